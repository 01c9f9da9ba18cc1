DROP TABLE meeting_corrections;
DROP TABLE meeting_items;
DROP TABLE meeting_people;
DROP TABLE meetings;
