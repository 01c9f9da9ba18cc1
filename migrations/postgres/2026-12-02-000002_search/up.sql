-- The search box and the issue list's text filter: trigram indexes (pg_trgm) that serve
-- LIKE '%…%' on the issues' number, title, address and description — the same query as on
-- SQLite's side, where an FTS5 trigram table does the job. pg_trgm is a trusted extension: the
-- database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX issues_text_trgm ON issues USING gin (
    number gin_trgm_ops, title gin_trgm_ops, address gin_trgm_ops, description gin_trgm_ops
);
