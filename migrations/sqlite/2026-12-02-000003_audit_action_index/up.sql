-- The newest entry of one action (the admin's home asks when the last backup was written on
-- every load): found in the index, not by scanning a year of log-ins.
CREATE INDEX audit_log_action ON audit_log(action, created_at);
