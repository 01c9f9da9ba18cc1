//! The issue figures (SPEC §4, research/mission-anchors.md §d.3): counts per month, category and
//! unit read from the summary table `issue_stats`, the rates computed from them with their
//! denominators, and months frozen so a printed bulletin never changes. Every change to an issue
//! keeps the summary table in step (`models::apply_change`, called by `issues::workflow`).

pub mod domain;
mod forms;
mod handlers;
pub mod models;
mod pages;

pub use domain::{Cell, MonthFigures, Rate, Rates, Tally, contributions, rates, sum_up};
pub use models::{apply_change, recount, stored};

/// The figures' routes. They come before `/issues/{id}`, which would take "figures" for an id.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/issues/figures", web::get().to(handlers::show))
        .route(
            "/issues/figures/export.xlsx",
            web::get().to(handlers::export),
        )
        .route("/issues/figures/freeze", web::post().to(handlers::freeze));
}
