//! A branch's yearly ledger (台账, SPEC §7): the branch's facts, its member roll, every activity
//! of the year in date order with attendance and absentees, and the year's summary — one
//! document printed on A4, each month from a new page.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/party/branches/{id}/ledger", web::get().to(handlers::show));
}
