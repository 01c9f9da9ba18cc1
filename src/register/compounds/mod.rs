//! Compounds (小区/楼院) and their buildings (楼栋): the list in scope with its export, a
//! compound's page, the compound form, a building added on the compound's page.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/register", web::get().to(handlers::list))
        .route("/register/export.xlsx", web::get().to(handlers::export))
        .route("/register/compounds", web::post().to(handlers::create))
        .route("/register/compounds/new", web::get().to(handlers::new_form))
        .route("/register/compounds/{id}", web::get().to(handlers::show))
        .route(
            "/register/compounds/{id}/edit",
            web::get().to(handlers::edit_form),
        )
        .route("/register/compounds/{id}", web::post().to(handlers::update))
        .route(
            "/register/compounds/{id}/buildings",
            web::post().to(handlers::add_building),
        )
        .route(
            "/register/compounds/{id}/households",
            web::post().to(handlers::add_household),
        );
}
