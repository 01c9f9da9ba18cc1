//! The work calendar (工作日历): China's official holidays and moved working days (调休), which
//! deadlines of issues are counted in. The State Council publishes next year's days each
//! November; an admin pastes them in at /calendar. Everyone logged in may read the calendar;
//! changes are admin-only and audited.

pub mod domain;
mod forms;
mod handlers;
pub mod models;
mod pages;

pub use domain::root_path;
pub use domain::{Limit, WorkCalendar};

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/calendar", web::get().to(handlers::list))
        .route("/calendar/days", web::post().to(handlers::create))
        .route("/calendar/export.xlsx", web::get().to(handlers::export))
        .route("/calendar/export", web::get().to(handlers::export_moved))
        .route("/calendar/{day}/delete", web::post().to(handlers::delete));
}
