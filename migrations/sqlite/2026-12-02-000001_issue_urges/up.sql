-- 督办: a leader (or a clerk on the leader's behalf) chases an open issue with a note and, when
-- agreed, a new deadline (`new_deadline`, UTC, the end of the agreed day; NULL: unchanged). Each
-- urge is one row; the issue's timeline carries the same as an `urge` entry. The index serves the
-- issue page's count, the list's 督办中 filter and the agenda's 领导督办 lines.
CREATE TABLE issue_urges (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    urged_by INTEGER NOT NULL REFERENCES users(id),
    note TEXT NOT NULL,
    new_deadline TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX issue_urges_issue ON issue_urges(issue_id, id);
