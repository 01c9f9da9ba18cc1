-- The demolition command (征拆指挥部, issue 19): a command for a project, its groups (包组, a
-- leader who 分包 it and its members), the households and public units each group is
-- responsible for (the street tracks progress and people; it does not compute compensation),
-- each object's dated steps (入户调查 → 评估 → 协商 → 签约 → 腾空交房; recorded once, never
-- deleted) and the groups' daily reports (一天一上报), their counts frozen when submitted.
CREATE TABLE demolition_commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    scope_path TEXT NOT NULL,
    name TEXT NOT NULL,
    commander TEXT NOT NULL,
    started_on DATE NOT NULL,
    target_on DATE NOT NULL,
    closed BOOLEAN NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX demolition_commands_scope ON demolition_commands(scope_path, started_on);

CREATE TABLE demolition_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    command_id INTEGER NOT NULL REFERENCES demolition_commands(id),
    name TEXT NOT NULL,
    leader TEXT NOT NULL,
    members TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX demolition_groups_command ON demolition_groups(command_id, id);

CREATE TABLE demolition_households (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    command_id INTEGER NOT NULL REFERENCES demolition_commands(id),
    group_id INTEGER NOT NULL REFERENCES demolition_groups(id),
    kind TEXT NOT NULL,
    building TEXT NOT NULL,
    address TEXT NOT NULL,
    area_dm2 BIGINT NOT NULL,
    head TEXT NOT NULL,
    cadre TEXT NOT NULL,
    stage TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX demolition_households_group ON demolition_households(command_id, group_id, id);

CREATE TABLE demolition_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    household_id INTEGER NOT NULL REFERENCES demolition_households(id),
    command_id INTEGER NOT NULL REFERENCES demolition_commands(id),
    group_id INTEGER NOT NULL REFERENCES demolition_groups(id),
    step TEXT NOT NULL,
    done_on DATE NOT NULL,
    note TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX demolition_steps_once ON demolition_steps(household_id, step);
CREATE INDEX demolition_steps_command ON demolition_steps(command_id, step, done_on);

CREATE TABLE demolition_daily_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    command_id INTEGER NOT NULL REFERENCES demolition_commands(id),
    group_id INTEGER NOT NULL REFERENCES demolition_groups(id),
    day DATE NOT NULL,
    signed_today INTEGER NOT NULL,
    signed_total INTEGER NOT NULL,
    moved_today INTEGER NOT NULL,
    moved_total INTEGER NOT NULL,
    difficulties TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX demolition_daily_once ON demolition_daily_reports(group_id, day);
CREATE INDEX demolition_daily_command ON demolition_daily_reports(command_id, day);
