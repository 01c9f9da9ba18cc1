//! A campaign's tallies (台账): what a grid or community did toward a target on a day. An entry
//! is frozen once submitted; a correction is a new entry naming the latest one of its chain,
//! with its reason (a correction opened on an entry another correction has since replaced is
//! stale: 409 with both).

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/campaigns/{id}/tallies/new",
        web::get().to(handlers::new_form),
    )
    .route("/campaigns/{id}/tallies", web::post().to(handlers::create))
    .route(
        "/campaigns/{id}/tallies/{tid}/correct",
        web::get().to(handlers::correct_form),
    )
    .route(
        "/campaigns/{id}/tallies/{tid}/correct",
        web::post().to(handlers::correct),
    );
}
