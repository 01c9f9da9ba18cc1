-- Each unit's own figures (not its subtree's): active staff accounts whose unit it is, and active
-- key sites of the grid. Kept current by org::models::refresh_counts in the same transaction as
-- every change to users or key sites; the tree, the home page and unit pages add them up the
-- tree instead of counting rows on every page view.
ALTER TABLE org_units ADD COLUMN staff_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE org_units ADD COLUMN site_count INTEGER NOT NULL DEFAULT 0;
UPDATE org_units SET
    staff_count = (SELECT COUNT(*) FROM users WHERE users.org_unit_id = org_units.id AND users.active),
    site_count = (SELECT COUNT(*) FROM key_sites WHERE key_sites.grid_id = org_units.id AND key_sites.active);
