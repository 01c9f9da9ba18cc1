-- Key projects (重点项目, issue 19): a project's ledger row, its stages as milestones (several can
-- run at once), its approvals with their expiry, its monthly progress reports (a reported month
-- locks: a correction is a new row naming the one it corrects, with its reason) and its problem
-- list. Money is kept exactly, in hundredths of 万元 (BIGINT), never as a float.
CREATE TABLE projects (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    class TEXT NOT NULL,
    owner TEXT NOT NULL,
    place TEXT NOT NULL,
    content TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    plan_year INTEGER NOT NULL,
    year_plan_cents BIGINT NOT NULL,
    planned_start DATE,
    planned_finish DATE,
    actual_start DATE,
    actual_finish DATE,
    leader TEXT NOT NULL,
    person TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX projects_scope ON projects(scope_path, name);

CREATE TABLE project_milestones (
    id SERIAL PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    stage TEXT NOT NULL,
    planned_on DATE,
    actual_on DATE,
    status TEXT NOT NULL,
    note TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX project_milestones_stage ON project_milestones(project_id, stage);

CREATE TABLE project_approvals (
    id SERIAL PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    issued_on DATE,
    expires_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_approvals_project ON project_approvals(project_id, expires_on);

CREATE TABLE project_reports (
    id SERIAL PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    done_cents BIGINT NOT NULL,
    progress TEXT NOT NULL,
    problems TEXT NOT NULL,
    corrects_id INTEGER REFERENCES project_reports(id),
    reason TEXT NOT NULL,
    reported_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_reports_month ON project_reports(project_id, year, month, id);

CREATE TABLE project_problems (
    id SERIAL PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES projects(id),
    problem TEXT NOT NULL,
    raised_on DATE NOT NULL,
    unit TEXT NOT NULL,
    leader TEXT NOT NULL,
    deadline DATE,
    state TEXT NOT NULL,
    closed_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX project_problems_project ON project_problems(project_id, state);
