DROP INDEX issues_text_trgm;
