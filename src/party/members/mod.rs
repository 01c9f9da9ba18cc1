//! A branch's members (党员): added and edited by the branch's secretary or the staff who keep the
//! record (a member who leaves is made inactive, not deleted: activities keep their attendance),
//! and the roll's export.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/party/branches/{id}/members",
        web::post().to(handlers::create),
    )
    .route(
        "/party/branches/{id}/members/export.xlsx",
        web::get().to(handlers::export),
    )
    .route(
        "/party/branches/{id}/members/new",
        web::get().to(handlers::new_form),
    )
    .route(
        "/party/branches/{id}/members/{member}/edit",
        web::get().to(handlers::edit_form),
    )
    .route(
        "/party/branches/{id}/members/{member}",
        web::post().to(handlers::update),
    )
    .route(
        "/party/branches/{id}/members/{member}/edit",
        web::post().to(crate::web::edit_moved),
    );
}
