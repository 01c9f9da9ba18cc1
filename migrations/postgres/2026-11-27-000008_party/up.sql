-- Party building (党建, SPEC §7): the branches under the street's party working committee
-- (community and village, non-public-enterprise and agency branches) with their secretary,
-- first secretary and demonstration-site status; their members; the activity records
-- (三会一课, themed party days, study sessions, volunteer service, visits, pairing assistance)
-- with attendance, photos and links to grids and issues; pairings of members with households in
-- need; and the opinion box (党情民意箱). `scope_path` is the path of the org unit a branch
-- belongs to, copied onto its rows, so every query filters by the user's subtree.

CREATE TABLE party_branches (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    secretary TEXT NOT NULL DEFAULT '',
    secretary_user_id INTEGER REFERENCES users(id),
    phone TEXT NOT NULL DEFAULT '',
    first_secretary TEXT NOT NULL DEFAULT '',
    first_secretary_post TEXT NOT NULL DEFAULT '',
    first_secretary_since DATE,
    demo_site BOOLEAN NOT NULL DEFAULT FALSE,
    demo_criteria TEXT NOT NULL DEFAULT '',
    demo_evidence TEXT NOT NULL DEFAULT '',
    demo_reviewed_on DATE,
    demo_review TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    members INTEGER NOT NULL DEFAULT 0,
    last_activity DATE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX party_branches_scope ON party_branches(scope_path, name);
CREATE INDEX party_branches_secretary ON party_branches(secretary_user_id);

CREATE TABLE party_members (
    id SERIAL PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL DEFAULT '',
    birth_year INTEGER,
    joined_on DATE NOT NULL,
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    difficulty TEXT NOT NULL DEFAULT '',
    volunteer BOOLEAN NOT NULL DEFAULT FALSE,
    building_group TEXT NOT NULL DEFAULT '',
    notes TEXT NOT NULL DEFAULT '',
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX party_members_branch ON party_members(branch_id, active, name);

CREATE TABLE party_activities (
    id SERIAL PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    day DATE NOT NULL,
    start_time TEXT NOT NULL DEFAULT '',
    end_time TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    host TEXT NOT NULL DEFAULT '',
    recorder TEXT NOT NULL DEFAULT '',
    content TEXT NOT NULL DEFAULT '',
    outcomes TEXT NOT NULL DEFAULT '',
    expected INTEGER NOT NULL DEFAULT 0,
    present INTEGER NOT NULL DEFAULT 0,
    visited TEXT NOT NULL DEFAULT '',
    visited_member_id INTEGER REFERENCES party_members(id),
    difficulty TEXT NOT NULL DEFAULT '',
    given TEXT NOT NULL DEFAULT '',
    pairing_id INTEGER,
    photos INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A branch's record by period; the summary counts per branch, kind and month from the index.
CREATE INDEX party_activities_branch_day ON party_activities(branch_id, day, kind);
-- The list in scope, newest first.
CREATE INDEX party_activities_day_scope ON party_activities(day, scope_path);

CREATE TABLE party_attendance (
    id SERIAL PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES party_activities(id),
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    attendance TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX party_attendance_activity ON party_attendance(activity_id);

CREATE TABLE party_activity_links (
    id SERIAL PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES party_activities(id),
    grid_id INTEGER REFERENCES org_units(id),
    issue_id INTEGER REFERENCES issues(id)
);
CREATE INDEX party_activity_links_activity ON party_activity_links(activity_id);
CREATE INDEX party_activity_links_issue ON party_activity_links(issue_id);

CREATE TABLE party_activity_photos (
    id SERIAL PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES party_activities(id),
    file_key TEXT NOT NULL,
    thumb_key TEXT NOT NULL,
    uploaded_by INTEGER REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX party_activity_photos_activity ON party_activity_photos(activity_id, id);

CREATE TABLE party_pairings (
    id SERIAL PRIMARY KEY,
    branch_id INTEGER NOT NULL REFERENCES party_branches(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    household TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    situation TEXT NOT NULL DEFAULT '',
    since DATE NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX party_pairings_branch ON party_pairings(branch_id, active);

CREATE TABLE party_opinions (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    channel TEXT NOT NULL,
    received_on DATE NOT NULL,
    content TEXT NOT NULL,
    contact_name TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'open',
    answer TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES users(id),
    answered_at TIMESTAMP,
    issue_id INTEGER REFERENCES issues(id),
    created_by INTEGER REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX party_opinions_scope ON party_opinions(received_on, scope_path);
