-- The livelihood report (民生月报, issue 20): the indicators a street keeps (name, unit of
-- count, summed over the year or a stock figure, the year's target, the responsible office),
-- the monthly entries per indicator (append-only: a correction is a later entry with its reason)
-- and the months a street has frozen (报送). Amounts are integers of the unit's smallest step
-- (hundredths for 万元), never floats.

CREATE TABLE livelihood_indicators (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    year INTEGER NOT NULL,
    name TEXT NOT NULL,
    count_unit TEXT NOT NULL,
    summed BOOLEAN NOT NULL DEFAULT 1,
    target BIGINT NOT NULL,
    office TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    sort_order INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX livelihood_indicators_scope ON livelihood_indicators(scope_path, year, sort_order);

CREATE TABLE livelihood_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    indicator_id INTEGER NOT NULL REFERENCES livelihood_indicators(id),
    scope_path TEXT NOT NULL,
    month INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    author_id INTEGER REFERENCES users(id),
    author_name TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX livelihood_entries_indicator ON livelihood_entries(indicator_id, month, id);

CREATE TABLE livelihood_frozen (
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    year INTEGER NOT NULL,
    month INTEGER NOT NULL,
    frozen_by INTEGER REFERENCES users(id),
    frozen_at TIMESTAMP NOT NULL,
    PRIMARY KEY (unit_id, year, month)
);
