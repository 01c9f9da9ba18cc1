//! A project's milestones (the seed's stages as data: planned date, actual date, status; several
//! can be in progress at once) and their edit form.

pub mod forms;
pub mod handlers;
pub mod models;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/projects/{id}/milestones/{mid}/edit",
        web::get().to(handlers::edit_form),
    )
    .route(
        "/projects/{id}/milestones/{mid}",
        web::post().to(handlers::update),
    );
}
