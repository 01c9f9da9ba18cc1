DROP TABLE project_problems;
DROP TABLE project_reports;
DROP TABLE project_approvals;
DROP TABLE project_milestones;
DROP TABLE projects;
