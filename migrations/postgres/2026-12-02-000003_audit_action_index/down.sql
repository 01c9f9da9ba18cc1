DROP INDEX audit_log_action;
