//! A project's monthly progress reports: the investment completed in the month (the year's
//! cumulative is computed, never typed), 形象进度 and problems. A reported month locks: a
//! correction is a new entry naming the one it corrects, with its reason.

pub mod forms;
pub mod handlers;
pub mod models;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/projects/{id}/reports/new",
        web::get().to(handlers::new_form),
    )
    .route("/projects/{id}/reports", web::post().to(handlers::create));
}
