CREATE INDEX audit_log_scope ON audit_log(scope_path, id);
