-- The search box and the issue list's text filter: a trigram full-text index of the issues'
-- number, title, address and description (FTS5, external content: the text stays in issues).
-- Trigrams find any substring of three characters or more, Chinese included, which is what
-- LIKE '%…%' finds, without reading every issue. Triggers keep it in step with the table.
CREATE VIRTUAL TABLE issue_search USING fts5(
    number, title, address, description,
    content = 'issues', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO issue_search(issue_search) VALUES ('rebuild');

CREATE TRIGGER issue_search_insert AFTER INSERT ON issues BEGIN
    INSERT INTO issue_search(rowid, number, title, address, description)
    VALUES (new.id, new.number, new.title, new.address, new.description);
END;

CREATE TRIGGER issue_search_delete AFTER DELETE ON issues BEGIN
    INSERT INTO issue_search(issue_search, rowid, number, title, address, description)
    VALUES ('delete', old.id, old.number, old.title, old.address, old.description);
END;

CREATE TRIGGER issue_search_update AFTER UPDATE OF number, title, address, description ON issues
BEGIN
    INSERT INTO issue_search(issue_search, rowid, number, title, address, description)
    VALUES ('delete', old.id, old.number, old.title, old.address, old.description);
    INSERT INTO issue_search(rowid, number, title, address, description)
    VALUES (new.id, new.number, new.title, new.address, new.description);
END;
