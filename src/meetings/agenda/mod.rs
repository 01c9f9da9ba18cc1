//! A meeting's agenda (mission-anchors §c.1, §c.3): it drafts itself from the issue register
//! when the meeting is created (and again on request before the meeting), and is edited by hand
//! — an issue added by its number or a free topic, a line removed (kept aside) or put back,
//! moved up or down. Shown on the meeting's page, the item pages and the sheet.

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/meetings/{id}/items", web::post().to(handlers::add))
        .route("/meetings/{id}/redraft", web::post().to(handlers::redraft))
        .route(
            "/meetings/{id}/items/{item}/move",
            web::post().to(handlers::move_item),
        );
}
