DROP TRIGGER issue_search_update;
DROP TRIGGER issue_search_delete;
DROP TRIGGER issue_search_insert;
DROP TABLE issue_search;
