DROP TABLE assess_entries;
DROP TABLE assess_results;
DROP TABLE assess_indicators;
DROP TABLE assess_schemes;
