//! Patrol coverage for leaders (/patrols/coverage, SPEC §3 日巡查、日走访): for a unit of the
//! user's scope, which grids were patrolled today and on every working day of this week, their
//! patrols, visits and households, the key sites overdue against their interval, the workers who
//! have logged nothing for days, and each worker's figures over a period; printable on A4 and
//! exported as four sheets.
//!
//! `forms` reads the query, `models` reads the rows (and caches the figures), `domain`
//! assembles them and holds the rules, `pages` shows them, `handlers` ties them together.

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
mod pages;

pub use models::Cache;

/// GET /patrols/coverage and its export. Mounted before /patrols/{id}, which would take
/// "coverage" for an id.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    // The figures' cache, one for all the HTTP workers.
    cfg.app_data(once.data::<Cache>())
        .route("/patrols/coverage", web::get().to(handlers::show))
        .route(
            "/patrols/coverage/export.xlsx",
            web::get().to(handlers::export),
        );
}
