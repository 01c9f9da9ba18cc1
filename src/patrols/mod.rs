//! Daily patrols and household visits (日巡查、日走访, SPEC §3): a grid worker's log of the day
//! (times, route, key sites checked, households visited, problems found — each problem becomes
//! an issue in the same submit), the one-click "patrolled, nothing to report", same-day edits and
//! later corrections with a reason, a grid's patrol calendar, and coverage for leaders.

pub mod calendar;
pub mod coverage;
pub mod coverage_data;
pub mod coverage_models;
pub mod domain;
pub mod forms;
mod handlers;
mod log_form;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    // The coverage figures' cache, one per HTTP worker. Named pages come before
    // /patrols/{id}, which would take their names for an id.
    cfg.app_data(web::Data::new(coverage_data::Cache::default()))
        .route("/patrols/coverage", web::get().to(coverage::show))
        .route(
            "/patrols/coverage/export.xlsx",
            web::get().to(coverage::export),
        )
        .route("/patrols", web::get().to(handlers::list))
        .route("/patrols", web::post().to(log_form::create))
        .route("/patrols/new", web::get().to(log_form::new_form))
        .route("/patrols/quick", web::post().to(log_form::quick))
        .route("/patrols/export.xlsx", web::get().to(handlers::export))
        .route("/patrols/{id}", web::get().to(handlers::show))
        .route("/patrols/{id}", web::post().to(log_form::update))
        .route("/patrols/{id}/edit", web::get().to(log_form::edit_form))
        .route(
            "/grids/{id}/patrols",
            web::get().to(calendar::show_patrol_calendar),
        )
        .route(
            "/grids/{id}/patrols/export.xlsx",
            web::get().to(calendar::export_patrol_calendar),
        );
}
