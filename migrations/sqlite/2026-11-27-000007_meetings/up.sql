-- Daily huddles, weekly meetings and supervision meetings (日碰头、周例会、督查会): one row per
-- meeting of a street or community, its expected attendees (staff and outside guests) with
-- attendance, its agenda items (an issue from the register or a free topic) each with the
-- decision taken, and the corrections appended once the minutes are finalized.
-- `day` is the local (Asia/Shanghai) date, times local "HH:MM". `since` (UTC) is where the
-- self-drafted agenda's "new since the last meeting" window starts.

CREATE TABLE meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'draft',
    day DATE NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    chair TEXT NOT NULL DEFAULT '',
    recorder TEXT NOT NULL DEFAULT '',
    minutes TEXT NOT NULL DEFAULT '',
    since TIMESTAMP NOT NULL,
    expected INTEGER NOT NULL DEFAULT 0,
    present INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    decided INTEGER NOT NULL DEFAULT 0,
    corrections INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    finalized_by INTEGER REFERENCES users(id),
    held_at TIMESTAMP,
    finalized_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- The last meeting of a kind for a unit (the agenda's window), a unit's meetings by period.
CREATE INDEX meetings_unit_kind_day ON meetings(unit_id, kind, day);
-- The list in scope, newest first.
CREATE INDEX meetings_day_scope ON meetings(day, scope_path);

CREATE TABLE meeting_people (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    user_id INTEGER REFERENCES users(id),
    name TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    attendance TEXT NOT NULL DEFAULT 'expected',
    reason TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX meeting_people_meeting ON meeting_people(meeting_id, position);

CREATE TABLE meeting_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    position INTEGER NOT NULL,
    issue_id INTEGER REFERENCES issues(id),
    reasons TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    grid_id INTEGER REFERENCES org_units(id),
    discussed_before INTEGER NOT NULL DEFAULT 0,
    age_days INTEGER NOT NULL DEFAULT 0,
    removed BOOLEAN NOT NULL DEFAULT 0,
    discussion TEXT NOT NULL DEFAULT '',
    solution TEXT NOT NULL DEFAULT '',
    resp_user_id INTEGER REFERENCES users(id),
    resp_unit_id INTEGER REFERENCES org_units(id),
    resp_party TEXT NOT NULL DEFAULT '',
    resp_name TEXT NOT NULL DEFAULT '',
    deadline DATE,
    decided_at TIMESTAMP,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX meeting_items_meeting ON meeting_items(meeting_id, position);
-- Carried-over items and "discussed N times" per issue.
CREATE INDEX meeting_items_issue ON meeting_items(issue_id, meeting_id);
-- Overdue decisions.
CREATE INDEX meeting_items_deadline ON meeting_items(deadline);

CREATE TABLE meeting_corrections (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    actor_id INTEGER REFERENCES users(id),
    reason TEXT NOT NULL,
    changes TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX meeting_corrections_meeting ON meeting_corrections(meeting_id, id);
