-- A pairing (结对帮扶) that ends is kept, with when and why: `active` turns false, `ended_on` is
-- the day it ended and `end_note` the reason (a household moved away, its need was met, …).
-- Its visits stay attached; the activity form no longer offers it.
ALTER TABLE party_pairings ADD COLUMN ended_on DATE;
ALTER TABLE party_pairings ADD COLUMN end_note TEXT NOT NULL DEFAULT '';
