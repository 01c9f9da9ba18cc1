-- The grid's base register (底数, issue 21): compounds (小区/楼院) in a grid with their buildings
-- (楼栋) and the four-item checklist of the 三类楼院 work (灯亮、路平、水通、安全, each with the day
-- it was met); households (住户) in a compound, and the persons of a household (人员) with their
-- ID numbers, phones, residence and care tags. Nothing is deleted: a household or a person moves
-- out on a day. `scope_path` is the grid's path, copied onto every row, so every query filters
-- by the user's subtree.

CREATE TABLE register_compounds (
    id SERIAL PRIMARY KEY,
    grid_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    property_company TEXT NOT NULL DEFAULT '',
    property_contact TEXT NOT NULL DEFAULT '',
    property_phone TEXT NOT NULL DEFAULT '',
    head_name TEXT NOT NULL DEFAULT '',
    head_phone TEXT NOT NULL DEFAULT '',
    lights_on DATE,
    roads_on DATE,
    water_on DATE,
    safety_on DATE,
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX register_compounds_scope ON register_compounds(scope_path, name);

CREATE TABLE register_buildings (
    id SERIAL PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES register_compounds(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    floors INTEGER NOT NULL DEFAULT 0,
    units INTEGER NOT NULL DEFAULT 0,
    households INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX register_buildings_compound ON register_buildings(compound_id, name);

CREATE TABLE register_households (
    id SERIAL PRIMARY KEY,
    compound_id INTEGER NOT NULL REFERENCES register_compounds(id),
    building_id INTEGER REFERENCES register_buildings(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    unit_no TEXT NOT NULL DEFAULT '',
    room TEXT NOT NULL DEFAULT '',
    moved_in DATE,
    moved_out DATE,
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX register_households_compound ON register_households(compound_id, building_id, room);
CREATE INDEX register_households_scope ON register_households(scope_path);

CREATE TABLE register_persons (
    id SERIAL PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES register_households(id),
    scope_path TEXT COLLATE "C" NOT NULL,
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    id_number TEXT NOT NULL DEFAULT '',
    sex TEXT NOT NULL,
    birth_date DATE,
    phone TEXT NOT NULL DEFAULT '',
    registered_address TEXT NOT NULL DEFAULT '',
    separated BOOLEAN NOT NULL DEFAULT FALSE,
    tags TEXT NOT NULL DEFAULT '',
    moved_in DATE,
    moved_out DATE,
    notes TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX register_persons_household ON register_persons(household_id);
CREATE INDEX register_persons_scope ON register_persons(scope_path, name);
CREATE INDEX register_persons_id_number ON register_persons(id_number);
