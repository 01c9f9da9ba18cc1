DROP TABLE form_submissions;
DROP TABLE key_sites;
DROP TABLE grid_people;
DROP TABLE audit_log;
DROP TABLE login_log;
DROP TABLE sessions;
DROP TABLE users;
DROP TABLE org_units;
