DROP TABLE party_opinions;
DROP TABLE party_pairings;
DROP TABLE party_activity_photos;
DROP TABLE party_activity_links;
DROP TABLE party_attendance;
DROP TABLE party_activities;
DROP TABLE party_members;
DROP TABLE party_branches;
