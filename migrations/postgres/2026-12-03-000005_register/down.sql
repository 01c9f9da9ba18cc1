DROP TABLE register_persons;
DROP TABLE register_households;
DROP TABLE register_buildings;
DROP TABLE register_compounds;
