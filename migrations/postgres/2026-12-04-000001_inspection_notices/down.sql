DROP TABLE inspection_finding_links;
DROP TABLE inspection_reinspections;
DROP TABLE inspection_answers;
DROP TABLE inspection_notice_findings;
DROP TABLE inspection_notices;
