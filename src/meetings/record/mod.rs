//! A meeting's record: times, place, chair, recorder, attendance (with reasons for absence),
//! guests and the minutes. Once the minutes are finalized a change is a correction with a
//! reason, kept with the changed lines before and after.

pub mod forms;
mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/meetings/{id}/record", web::get().to(handlers::edit_form))
        .route("/meetings/{id}/record", web::post().to(handlers::update));
}
