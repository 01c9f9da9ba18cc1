//! The livelihood report (民生月报, issue 20): the indicators a street keeps (data, not code:
//! name, unit of count, summed over the year or a stock figure, the year's target, the
//! responsible office), the monthly entries per indicator (exact amounts; a correction is a new
//! entry with its reason, never an overwrite), months frozen (报送) by the street's clerk or
//! leader, and the monthly report with every indicator's month, cumulative figure, target,
//! completion rate and 时序进度 — all computed ([`domain`]), never typed — with its A4 print,
//! its .xlsx and a year view.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/livelihood", web::get().to(handlers::report))
        .route("/livelihood/print", web::get().to(handlers::print))
        .route("/livelihood/export.xlsx", web::get().to(handlers::export))
        .route("/livelihood/year", web::get().to(handlers::year))
        .route("/livelihood/freeze", web::post().to(handlers::freeze))
        .route("/livelihood/indicators", web::get().to(handlers::list))
        .route("/livelihood/indicators", web::post().to(handlers::create))
        .route(
            "/livelihood/indicators/export.xlsx",
            web::get().to(handlers::list_export),
        )
        .route(
            "/livelihood/indicators/new",
            web::get().to(handlers::new_form),
        )
        .route("/livelihood/indicators/{id}", web::get().to(handlers::show))
        .route(
            "/livelihood/indicators/{id}",
            web::post().to(handlers::update),
        )
        .route(
            "/livelihood/indicators/{id}/edit",
            web::get().to(handlers::edit_form),
        )
        .route(
            "/livelihood/indicators/{id}/entries",
            web::post().to(handlers::enter),
        );
}
