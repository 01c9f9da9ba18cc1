//! Campaigns (专项整治行动, issue 20; research §6): a campaign a street runs — its basis
//! document, period, lead office — with its targets (items counted in a unit, with the number
//! aimed at), the tallies its grids and communities enter toward them (frozen once submitted,
//! corrected by new entries), the progress per target against 时序进度, the ranking of the
//! units, the issues reported inside it in its period, the A4 bulletin (工作简报) and .xlsx.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;
pub mod tallies;
pub mod targets;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/campaigns", web::get().to(handlers::list))
        .route("/campaigns", web::post().to(handlers::create))
        .route("/campaigns/new", web::get().to(handlers::new_form))
        .route("/campaigns/export.xlsx", web::get().to(handlers::export))
        .route("/campaigns/{id}", web::get().to(handlers::show))
        .route("/campaigns/{id}", web::post().to(handlers::update))
        .route("/campaigns/{id}/edit", web::get().to(handlers::edit_form))
        .route("/campaigns/{id}/print", web::get().to(handlers::print))
        .route(
            "/campaigns/{id}/export.xlsx",
            web::get().to(handlers::export_tallies),
        );
    targets::routes(cfg);
    tallies::routes(cfg);
}
