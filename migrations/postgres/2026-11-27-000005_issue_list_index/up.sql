-- The issue list of a street or district walks this index newest first and tests scope, state
-- and category on the index entry itself; only the 50 rows shown are read from the table.
-- (With reported_at alone, every scanned entry cost a table lookup: a filtered street list over
-- a district-year read ~3,000 table rows per page.)
DROP INDEX issues_reported;
CREATE INDEX issues_reported ON issues(reported_at, scope_path, state, category_id);

-- Open issues by state and place, with the deadline and category on the entry: the figures
-- count overdue issues and the to-do lists find theirs without reading the table.
DROP INDEX issues_state_scope;
CREATE INDEX issues_state_scope ON issues(state, scope_path, deadline, category_id);

-- This month's overdue issues by deadline: the figures of a city find them without passing
-- every open issue (a city-year has ~30,000 long-open ones).
CREATE INDEX issues_state_deadline ON issues(state, deadline, scope_path, category_id);
