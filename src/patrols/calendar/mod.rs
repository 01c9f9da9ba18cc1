//! A grid's patrol calendar (巡查日历): one month, weeks Monday to Sunday, each day with its kind
//! on the work calendar, its patrol logs (who, when or "nothing to report", visits and problems)
//! and — for a past working day without any log — a "missing" mark; the month's totals. It is
//! what a community clerk checks a grid worker's 日巡查、日走访 against and prints for the file,
//! and exports one row per day.
//!
//! The page and the export read the same `models::load`; `domain::build_days` lays out the month.

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
mod pages;

/// GET /grids/{id}/patrols and its export.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/grids/{id}/patrols", web::get().to(handlers::show))
        .route(
            "/grids/{id}/patrols/export.xlsx",
            web::get().to(handlers::export),
        );
}
