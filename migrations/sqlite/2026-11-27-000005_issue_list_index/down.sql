DROP INDEX issues_reported;
CREATE INDEX issues_reported ON issues(reported_at);
