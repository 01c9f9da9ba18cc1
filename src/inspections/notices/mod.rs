//! Rectification notices (整改通知书): the open findings of one responsible unit of a round,
//! issued as a numbered notice (〔2026〕督字第N号) with a deadline in working days; 签收 and the
//! answers by the unit, an extension asked for before the deadline and decided by the office;
//! the list with its export, a notice's page, and its A4 print with the tear-off receipt.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;
pub mod steps;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/inspections/notices", web::get().to(handlers::list))
        .route("/inspections/notices", web::post().to(handlers::create))
        .route(
            "/inspections/notices/export.xlsx",
            web::get().to(handlers::export),
        )
        .route(
            "/inspections/notices/new",
            web::get().to(handlers::new_form),
        )
        .route("/inspections/notices/{id}", web::get().to(handlers::show))
        .route(
            "/inspections/notices/{id}/print",
            web::get().to(handlers::print),
        )
        .route(
            "/inspections/notices/{id}/sign",
            web::post().to(steps::sign),
        )
        .route(
            "/inspections/notices/{id}/answers",
            web::post().to(steps::answer),
        )
        .route(
            "/inspections/notices/{id}/extension",
            web::post().to(steps::ask),
        )
        .route(
            "/inspections/notices/{id}/extension/decide",
            web::post().to(steps::decide),
        );
}
