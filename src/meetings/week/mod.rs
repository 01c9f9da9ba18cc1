//! The leader's week (本周例会, `/meetings/week?week=&unit=`): every street and community in
//! scope with this week's weekly meetings (held or not), and the decisions whose deadline passed
//! while their issue is open — printable and exported.

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    cfg.app_data(once.data::<models::WeekCache>())
        .route("/meetings/week", web::get().to(handlers::show))
        .route(
            "/meetings/week/export.xlsx",
            web::get().to(handlers::export),
        );
}
