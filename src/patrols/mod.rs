//! Daily patrols and household visits (日巡查、日走访, SPEC §3): a grid worker's log of the day
//! (times, route, key sites checked, households visited, problems found — each problem becomes
//! an issue in the same submit), the one-click "patrolled, nothing to report", same-day edits and
//! later corrections with a reason, a grid's patrol calendar, and coverage for leaders.
//!
//! This module reads the logs: the list with my grids of today, a log's page, the export
//! (`handlers`, `forms`: the list's query, `models`: the reads and the list, `pages`, `domain`:
//! who may change a log and see residents). The sub-features have the same shape inside:
//! `log` (the form: new, quick, edit, correct), `calendar` (a grid's month) and `coverage`.

pub mod calendar;
pub mod coverage;
pub mod domain;
pub mod forms;
mod handlers;
pub mod log;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    // Named pages come before /patrols/{id}, which would take their names for an id.
    coverage::routes(cfg, once);
    cfg.route("/patrols", web::get().to(handlers::list))
        .route("/patrols/export.xlsx", web::get().to(handlers::export));
    log::routes(cfg);
    cfg.route("/patrols/{id}", web::get().to(handlers::show));
    calendar::routes(cfg);
}
