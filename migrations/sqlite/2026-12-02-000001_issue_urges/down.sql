DROP TABLE issue_urges;
