DROP TABLE inspection_findings;
DROP TABLE inspection_results;
DROP TABLE inspection_visits;
DROP TABLE inspection_round_inspectors;
DROP TABLE inspection_round_items;
DROP TABLE inspection_round_units;
DROP TABLE inspection_rounds;
