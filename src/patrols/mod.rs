//! Daily patrols and household visits (日巡查、日走访, SPEC §3): a grid worker's log of the day
//! (times, route, key sites checked, households visited, problems found — each problem becomes
//! an issue in the same submit), the one-click "patrolled, nothing to report", same-day edits and
//! later corrections with a reason, a grid's patrol calendar, and coverage for leaders.

pub mod coverage;
pub mod coverage_data;
pub mod coverage_models;
pub mod forms;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    // Before /patrols/{id}, which would take "coverage" for an id.
    // The coverage figures' cache, one per HTTP worker.
    cfg.app_data(web::Data::new(coverage_data::Cache::default()))
        .route("/patrols/coverage", web::get().to(coverage::show))
        .route(
            "/patrols/coverage/export.xlsx",
            web::get().to(coverage::export),
        );
}
