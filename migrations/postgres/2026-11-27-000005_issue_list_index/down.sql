DROP INDEX issues_state_deadline;
DROP INDEX issues_reported;
CREATE INDEX issues_reported ON issues(reported_at);
DROP INDEX issues_state_scope;
CREATE INDEX issues_state_scope ON issues(state, scope_path);
