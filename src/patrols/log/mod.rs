//! The patrol log form (日巡查、日走访): a new log with its key-site checks, household visits and
//! problems (each problem filed as an issue in the same submit), the one-click "patrolled,
//! nothing to report", a same-day edit and a later correction with a reason.
//!
//! `forms` reads the multipart form's rows and checks them into a `domain::Log`; `models`
//! writes it (the row, its issues and children, the audit) in one transaction; `pages` renders
//! the form, with the 409 comparison of a stale edit.

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
mod pages;

/// The log form's routes (the read pages are mounted by `patrols::routes`).
pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/patrols", web::post().to(handlers::create))
        .route("/patrols/new", web::get().to(handlers::new_form))
        .route("/patrols/quick", web::post().to(handlers::quick))
        .route("/patrols/{id}", web::post().to(handlers::update))
        .route("/patrols/{id}/edit", web::get().to(handlers::edit_form));
}
