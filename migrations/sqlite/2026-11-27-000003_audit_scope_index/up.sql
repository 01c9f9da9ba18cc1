-- The audit list reads newest first (by id) and keeps the rows in the user's scope. With an
-- index on scope_path, SQLite chose a range scan of it and then sorted every row in scope by id
-- (a district's year of logins: ~200k rows, ~25 ms a page); walking the primary key backwards
-- and filtering finds a page in well under a millisecond.
DROP INDEX audit_log_scope;
