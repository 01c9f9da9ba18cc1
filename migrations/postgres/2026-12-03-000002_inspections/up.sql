-- 督查: a street or district plans an inspection round (督查计划) over units of its own scope,
-- with a checklist (item + standard), open or unannounced (明查/暗访), planned dates and its
-- inspectors. The units and inspectors keep their names as they were when the round was saved.
CREATE TABLE inspection_rounds (
    id SERIAL PRIMARY KEY,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    title TEXT NOT NULL,
    mode TEXT NOT NULL,
    planned_from DATE NOT NULL,
    planned_to DATE NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_by INTEGER NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_rounds_scope ON inspection_rounds(scope_path, planned_from);
CREATE TABLE inspection_round_units (
    id SERIAL PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    unit_name TEXT NOT NULL
);
CREATE INDEX inspection_round_units_round ON inspection_round_units(round_id, id);
CREATE TABLE inspection_round_items (
    id SERIAL PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    position INTEGER NOT NULL,
    item TEXT NOT NULL,
    standard TEXT NOT NULL
);
CREATE INDEX inspection_round_items_round ON inspection_round_items(round_id, position);
CREATE TABLE inspection_round_inspectors (
    id SERIAL PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    name TEXT NOT NULL
);
CREATE INDEX inspection_round_inspectors_round ON inspection_round_inspectors(round_id, id);
