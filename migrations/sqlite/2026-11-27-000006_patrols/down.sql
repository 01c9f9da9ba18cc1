DROP TABLE patrol_corrections;
DROP TABLE patrol_issues;
DROP TABLE patrol_visits;
DROP TABLE patrol_sites;
DROP TABLE patrols;
