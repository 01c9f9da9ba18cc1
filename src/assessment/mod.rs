//! 量化考核 (issue 17): a scheme's indicator tree scored from the records Gridwork already holds
//! (issues from the summary table, patrols from the coverage index, on the work calendar) plus
//! manual inspection entries, per third-level grid and month; the street's ranking with grade
//! bands, each object's entries with the formula beside every point and a link to the records
//! behind it, reversal instead of deletion, publication that freezes a month, the export, the
//! printed bulletin (考核通报) and a grid worker's own score.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/assessment", web::get().to(handlers::list))
        .route("/assessment/compute", web::post().to(handlers::compute))
        .route("/assessment/publish", web::post().to(handlers::publish))
        .route("/assessment/export.xlsx", web::get().to(handlers::export))
        .route("/assessment/bulletin", web::get().to(handlers::bulletin))
        .route("/assessment/me", web::get().to(handlers::me))
        .route("/assessment/schemes", web::get().to(handlers::schemes))
        .route("/assessment/results/{id}", web::get().to(handlers::show))
        .route(
            "/assessment/results/{id}/entries",
            web::post().to(handlers::create_entry),
        )
        .route(
            "/assessment/results/{id}/entries/{entry}/reverse",
            web::post().to(handlers::reverse),
        );
}
