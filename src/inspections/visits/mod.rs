//! An inspection (督查) of one unit of a round on a day: a result per checklist item and the
//! findings (问题), each with 漏报 computed against the issue register. The form is one plain
//! POST, usable on a phone without JavaScript.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/inspections/rounds/{id}/visits/new",
        web::get().to(handlers::new_form),
    )
    .route(
        "/inspections/rounds/{id}/visits",
        web::post().to(handlers::create),
    )
    .route("/inspections/visits/{id}", web::get().to(handlers::show));
}
