ALTER TABLE org_units DROP COLUMN site_count;
ALTER TABLE org_units DROP COLUMN staff_count;
