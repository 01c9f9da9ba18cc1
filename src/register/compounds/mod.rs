//! Compounds (小区/楼院) and their buildings (楼栋): the list in scope with its export, a
//! compound's page, the compound form, a building added on the compound's page.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::web::edit::record::{create, edit_form, new_form, update};
    use actix_web::web;
    use handlers::CompoundEditor as E;
    cfg.route("/register", web::get().to(handlers::list))
        .route("/register/export.xlsx", web::get().to(handlers::export))
        .route("/register/compounds", web::post().to(create::<E>))
        .route("/register/compounds/new", web::get().to(new_form::<E>))
        .route("/register/compounds/{id}", web::get().to(handlers::show))
        .route(
            "/register/compounds/{id}/edit",
            web::get().to(edit_form::<E>),
        )
        .route("/register/compounds/{id}", web::post().to(update::<E>))
        .route(
            "/register/compounds/{id}/buildings",
            web::post().to(handlers::add_building),
        )
        .route(
            "/register/compounds/{id}/households",
            web::post().to(handlers::add_household),
        );
}
