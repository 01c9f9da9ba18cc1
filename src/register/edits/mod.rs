//! Editing the register (issue 21): a household's and a person's record edited with their
//! version checked (a stale edit answers 409 with both versions, bad input 422 beside the
//! field), and moving out (迁出): a dated state change, never a delete — the record stays, marked
//! with the day, and the audit keeps who moved whom when. A household moving out takes its
//! persons still living there with it.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/register/households/{id}/edit",
        web::get().to(handlers::household_form),
    )
    .route(
        "/register/households/{id}",
        web::post().to(handlers::household_update),
    )
    .route(
        "/register/households/{id}/move_out",
        web::post().to(handlers::household_move_out),
    )
    .route(
        "/register/persons/{id}/edit",
        web::get().to(handlers::person_form),
    )
    .route(
        "/register/persons/{id}",
        web::post().to(handlers::person_update),
    )
    .route(
        "/register/persons/{id}/move_out",
        web::post().to(handlers::person_move_out),
    );
}
