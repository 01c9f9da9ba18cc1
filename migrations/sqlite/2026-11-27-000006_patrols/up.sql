-- Daily patrols and household visits (日巡查、日走访): one row per patrol a grid worker logs,
-- its key-site checks and household visits, the issues reported from it, and the corrections
-- appended once the same-day edit window has passed (the log is a record, not a draft).
-- `day` is the local (Asia/Shanghai) date; times are local "HH:MM" (empty for a one-click
-- "patrolled, nothing to report"). Counts are kept on the patrol so coverage pages read one
-- covering index.

CREATE TABLE patrols (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    worker_id INTEGER NOT NULL REFERENCES users(id),
    day DATE NOT NULL,
    started_at TEXT NOT NULL DEFAULT '',
    ended_at TEXT NOT NULL DEFAULT '',
    route TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    quick BOOLEAN NOT NULL DEFAULT 0,
    sites_checked INTEGER NOT NULL DEFAULT 0,
    site_problems INTEGER NOT NULL DEFAULT 0,
    visits INTEGER NOT NULL DEFAULT 0,
    problems INTEGER NOT NULL DEFAULT 0,
    corrections INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Coverage and the grid calendar: per grid over a period, counts read from the index alone.
CREATE INDEX patrols_grid_day ON patrols(grid_id, day, worker_id, visits, problems, site_problems);
-- A worker's log and "last log" per worker.
CREATE INDEX patrols_worker_day ON patrols(worker_id, day);
-- The list in scope, newest first.
CREATE INDEX patrols_day_scope ON patrols(day, scope_path);

CREATE TABLE patrol_sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    patrol_id INTEGER NOT NULL REFERENCES patrols(id),
    site_id INTEGER NOT NULL REFERENCES key_sites(id),
    day DATE NOT NULL,
    finding TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patrol_sites_patrol ON patrol_sites(patrol_id);
-- "Last checked" per key site is one backward seek.
CREATE INDEX patrol_sites_site_day ON patrol_sites(site_id, day);

CREATE TABLE patrol_visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    patrol_id INTEGER NOT NULL REFERENCES patrols(id),
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    day DATE NOT NULL,
    household TEXT NOT NULL,
    address TEXT NOT NULL,
    householder TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    learned TEXT NOT NULL DEFAULT '',
    needs TEXT NOT NULL DEFAULT ''
);
CREATE INDEX patrol_visits_patrol ON patrol_visits(patrol_id);
-- Distinct households visited per grid over a period, from the index alone.
CREATE INDEX patrol_visits_grid_day ON patrol_visits(grid_id, day, household);

CREATE TABLE patrol_issues (
    patrol_id INTEGER NOT NULL REFERENCES patrols(id),
    issue_id INTEGER NOT NULL REFERENCES issues(id),
    PRIMARY KEY (patrol_id, issue_id)
);
CREATE INDEX patrol_issues_issue ON patrol_issues(issue_id);

CREATE TABLE patrol_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    patrol_id INTEGER NOT NULL REFERENCES patrols(id),
    actor_id INTEGER REFERENCES users(id),
    reason TEXT NOT NULL,
    changes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX patrol_corrections_patrol ON patrol_corrections(patrol_id, id);
