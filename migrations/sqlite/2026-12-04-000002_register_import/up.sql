-- The register's Excel imports (issue 21): one row per uploaded workbook, its rows as read and
-- checked (rows_json: each row's cells and the errors beside them) until it is committed once, in
-- one transaction, with the counts of what it wrote. `scope_path` is the uploader's unit.

CREATE TABLE register_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    scope_path TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    filename TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'checked',
    mode TEXT NOT NULL DEFAULT '',
    rows_json TEXT NOT NULL,
    total INTEGER NOT NULL DEFAULT 0,
    error_rows INTEGER NOT NULL DEFAULT 0,
    households_added INTEGER NOT NULL DEFAULT 0,
    persons_added INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    committed_at TIMESTAMP
);
CREATE INDEX register_imports_scope ON register_imports(scope_path, id);
