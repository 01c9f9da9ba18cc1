//! The party summary (党建统计, SPEC §7): per branch the activities of each month of a year and
//! of a quarter by kind, branches silent for 30 days, 三会一课 done against the expected rhythm
//! year-to-date, visits to members in difficulty (and who was not visited) — filtered by unit,
//! printable on A4 and exported as a workbook of several sheets. The fold (`domain`) also gives
//! a branch's ledger its year.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    cfg.app_data(once.data::<handlers::Cache>())
        .route("/party/summary", web::get().to(handlers::show))
        .route(
            "/party/summary/export.xlsx",
            web::get().to(handlers::export),
        );
}
