-- Campaigns (专项整治行动, issue 20): a campaign kept by a street (its basis document, period, lead
-- office), its targets (an item counted in one unit, e.g. 拆除违建 in m², with the number aimed
-- at) and the tallies grids and communities enter toward them. A tally is never edited: a
-- correction is a new row naming the one it corrects (corrects_id), with its reason, and the
-- figure of a chain is its latest row. Counts are whole numbers (BIGINT).
CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    name TEXT NOT NULL,
    basis TEXT NOT NULL,
    lead_office TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    note TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaigns_scope ON campaigns(scope_path, starts_on);

CREATE TABLE campaign_targets (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    item TEXT NOT NULL,
    unit_of_count TEXT NOT NULL,
    target BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX campaign_targets_item ON campaign_targets(campaign_id, item, unit_of_count);

CREATE TABLE campaign_tallies (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
    target_id INTEGER NOT NULL REFERENCES campaign_targets(id),
    unit_id INTEGER NOT NULL REFERENCES org_units(id),
    scope_path TEXT NOT NULL,
    done_on DATE NOT NULL,
    amount BIGINT NOT NULL,
    note TEXT NOT NULL,
    corrects_id INTEGER REFERENCES campaign_tallies(id),
    reason TEXT NOT NULL,
    entered_by INTEGER NOT NULL REFERENCES users(id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX campaign_tallies_campaign ON campaign_tallies(campaign_id, done_on);
