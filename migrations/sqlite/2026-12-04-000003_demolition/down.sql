DROP TABLE demolition_daily_reports;
DROP TABLE demolition_steps;
DROP TABLE demolition_households;
DROP TABLE demolition_groups;
DROP TABLE demolition_commands;
