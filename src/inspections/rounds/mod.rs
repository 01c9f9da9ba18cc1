//! Rounds (督查计划): the list in scope with its export, a round's page (its units, checklist
//! and inspectors), and the round form (a street's or the district's office staff).

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/inspections", web::get().to(handlers::list))
        .route("/inspections/export.xlsx", web::get().to(handlers::export))
        .route("/inspections/rounds", web::post().to(handlers::create))
        .route("/inspections/rounds/new", web::get().to(handlers::new_form))
        .route("/inspections/rounds/{id}", web::get().to(handlers::show))
        .route(
            "/inspections/rounds/{id}/edit",
            web::get().to(handlers::edit_form),
        )
        .route("/inspections/rounds/{id}", web::post().to(handlers::update));
}
