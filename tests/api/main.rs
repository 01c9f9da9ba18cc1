//! HTTP tests: one binary, one real server and one fresh database per test.
//! `TEST_DATABASE_URL=postgres://…/postgres cargo test` runs the same suite on PostgreSQL.

mod audit;
mod auth;
mod browser;
mod calendar;
mod categories;
mod cli;
mod crash;
mod edges;
mod figures;
mod grids;
mod helpers;
mod i18n;
mod issues;
mod lists;
mod meeting_sheet;
mod meetings;
mod meetings_demo;
mod migrations;
mod org;
mod party;
mod party_activities;
mod party_demo;
mod party_opinions;
mod party_pairings;
mod party_summary;
mod patrol_calendar;
mod patrol_coverage;
mod patrols;
mod restore;
mod scope;
mod security;
mod storage;
mod ui;
mod uploads;
mod users;
