DROP TABLE livelihood_frozen;
DROP TABLE livelihood_entries;
DROP TABLE livelihood_indicators;
