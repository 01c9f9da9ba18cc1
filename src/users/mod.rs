//! Staff accounts (admin only): create, edit role and org unit, deactivate, reset password,
//! unlock — all inside the admin's own subtree, all audited.

pub mod cli;
mod forms;
mod handlers;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/users", web::get().to(handlers::list))
        .route("/users", web::post().to(handlers::create))
        .route("/users/new", web::get().to(handlers::new_form))
        .route("/users/export.xlsx", web::get().to(handlers::export))
        .route("/users/{id}/edit", web::get().to(handlers::edit_form))
        .route("/users/{id}", web::post().to(handlers::update))
        .route(
            "/users/{id}/deactivate",
            web::post().to(handlers::deactivate),
        )
        .route("/users/{id}/activate", web::post().to(handlers::activate))
        .route("/users/{id}/unlock", web::post().to(handlers::unlock))
        .route(
            "/users/{id}/password",
            web::post().to(handlers::reset_password),
        );
}
