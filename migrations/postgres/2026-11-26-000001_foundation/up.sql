-- Foundation: the org tree (district → street → community/village → grid), users, sessions,
-- the login log, the audit log, grid responsible people, key sites and form idempotency tokens.
-- Times are UTC, set from Rust. Paths use the "C" collation so that a subtree is an index range:
-- [path, path with its last slash replaced by 0).

CREATE TABLE org_units (
    id SERIAL PRIMARY KEY,
    parent_id INTEGER REFERENCES org_units(id),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    path TEXT COLLATE "C" NOT NULL DEFAULT '',
    depth INTEGER NOT NULL DEFAULT 0,
    sort_order INTEGER NOT NULL DEFAULT 0,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    duty_hours TEXT NOT NULL DEFAULT '',
    service_items TEXT NOT NULL DEFAULT '',
    boundary TEXT NOT NULL DEFAULT '',
    verified_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX org_units_parent ON org_units(parent_id, sort_order, id);
CREATE INDEX org_units_path ON org_units(path);

CREATE TABLE users (
    id SERIAL PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    org_unit_id INTEGER NOT NULL REFERENCES org_units(id),
    phone TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    must_change_password BOOLEAN NOT NULL DEFAULT TRUE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMP,
    last_login_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_org ON users(org_unit_id);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE login_log (
    id SERIAL PRIMARY KEY,
    username TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    success BOOLEAN NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX login_log_ip ON login_log(ip, created_at);
CREATE INDEX login_log_created ON login_log(created_at);

CREATE TABLE audit_log (
    id SERIAL PRIMARY KEY,
    actor_id INTEGER REFERENCES users(id),
    actor_name TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id INTEGER,
    summary TEXT NOT NULL DEFAULT '',
    before_json TEXT,
    after_json TEXT,
    scope_path TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX audit_log_scope ON audit_log(scope_path, id);
CREATE INDEX audit_log_created ON audit_log(created_at);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TABLE grid_people (
    id SERIAL PRIMARY KEY,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    user_id INTEGER REFERENCES users(id),
    name TEXT NOT NULL,
    duty TEXT NOT NULL,
    unit_name TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    photo TEXT,
    service_items TEXT NOT NULL DEFAULT '',
    duty_hours TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX grid_people_grid ON grid_people(grid_id, sort_order);
CREATE INDEX grid_people_user ON grid_people(user_id);

CREATE TABLE key_sites (
    id SERIAL PRIMARY KEY,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    patrol_days INTEGER NOT NULL DEFAULT 1,
    notes TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX key_sites_grid ON key_sites(grid_id);

CREATE TABLE form_submissions (
    token TEXT PRIMARY KEY NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_to TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
