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
-- An inspection (督查) of one unit of the round on a day: a result per checklist item
-- (pass | fail | na) and its findings (问题). `missed` (漏报): no issue of that category was
-- reported in the unit before the finding, as the issue register read it then.
CREATE TABLE inspection_visits (
    id SERIAL PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    unit_name TEXT NOT NULL,
    day DATE NOT NULL,
    inspector_id INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_visits_round ON inspection_visits(round_id, day);
CREATE TABLE inspection_results (
    id SERIAL PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES inspection_visits(id),
    item_id INTEGER NOT NULL REFERENCES inspection_round_items(id),
    result TEXT NOT NULL
);
CREATE INDEX inspection_results_visit ON inspection_results(visit_id);
CREATE TABLE inspection_findings (
    id SERIAL PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES inspection_visits(id),
    round_id INTEGER NOT NULL REFERENCES inspection_rounds(id),
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    unit_path TEXT NOT NULL,
    description TEXT NOT NULL,
    place TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES issue_categories(id),
    severity TEXT NOT NULL,
    fixed_on_spot BOOLEAN NOT NULL,
    missed BOOLEAN NOT NULL,
    state TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX inspection_findings_unit ON inspection_findings(unit_path, state);
CREATE INDEX inspection_findings_visit ON inspection_findings(visit_id);
