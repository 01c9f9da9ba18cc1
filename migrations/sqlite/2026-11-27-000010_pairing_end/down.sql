ALTER TABLE party_pairings DROP COLUMN end_note;
ALTER TABLE party_pairings DROP COLUMN ended_on;
