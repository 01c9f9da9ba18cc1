//! An agenda item's decision (solution, responsible, deadline) and discussion, written back to
//! the issue's timeline in the same transaction — dispatching it or moving its deadline where
//! the decision says so (`issues::decision`) — and a free topic turned into a new issue.

pub mod forms;
mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/meetings/{id}/items/{item}",
        web::get().to(handlers::edit_form),
    )
    .route(
        "/meetings/{id}/items/{item}",
        web::post().to(handlers::update),
    )
    .route(
        "/meetings/{id}/items/{item}/issue",
        web::post().to(handlers::make_issue),
    );
}
