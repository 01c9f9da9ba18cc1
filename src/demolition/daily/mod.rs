//! The daily report (一天一上报): per group the day's and the cumulative signed and moved-out
//! households, counted from the steps (one source) and frozen when the group submits the day.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    const P: &str = "/campaigns/demolition/{id}/daily";
    cfg.route(P, web::get().to(handlers::show))
        .route(P, web::post().to(handlers::submit))
        .route(&format!("{P}/print"), web::get().to(handlers::print))
        .route(&format!("{P}/export.xlsx"), web::get().to(handlers::export));
}
