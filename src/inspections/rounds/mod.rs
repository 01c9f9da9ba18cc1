//! Rounds (督查计划): the list in scope with its export, a round's page (its units, checklist
//! and inspectors), and the round form (a street's or the district's office staff).

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::web::edit::record::{create, edit_form, new_form, update};
    use actix_web::web;
    use handlers::RoundEditor as E;
    cfg.route("/inspections", web::get().to(handlers::list))
        .route("/inspections/export.xlsx", web::get().to(handlers::export))
        .route("/inspections/rounds", web::post().to(create::<E>))
        .route("/inspections/rounds/new", web::get().to(new_form::<E>))
        .route("/inspections/rounds/{id}", web::get().to(handlers::show))
        .route(
            "/inspections/rounds/{id}/edit",
            web::get().to(edit_form::<E>),
        )
        .route("/inspections/rounds/{id}", web::post().to(update::<E>));
}
