//! Households (住户) in a compound and their persons (人员). A household is added on its
//! compound's page (`compounds::handlers::add_household`); here: its page with the persons, a
//! person added on it (the ID number checked by `register::domain::check_id`), a person's page.
//! ID numbers and phones are shown in full only to who keeps the register
//! (`domain::sees_personal`), each such view audited.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/register/households/{id}", web::get().to(handlers::show))
        .route(
            "/register/households/{id}/persons",
            web::post().to(handlers::add_person),
        )
        .route("/register/persons/{id}", web::get().to(handlers::person));
}
