DROP TABLE inspection_round_inspectors;
DROP TABLE inspection_round_items;
DROP TABLE inspection_round_units;
DROP TABLE inspection_rounds;
