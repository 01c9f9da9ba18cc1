//! Party building (党建, SPEC §7): the branches under the street's party working committee
//! (community, village, non-public-enterprise and agency branches) with their secretaries,
//! first secretaries and demonstration-site status, and their members.

mod branches;
pub mod domain;
pub mod forms;
mod members;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/party", web::get().to(branches::list))
        .route("/party/export.xlsx", web::get().to(branches::export))
        .route("/party/branches", web::post().to(branches::create))
        .route("/party/branches/new", web::get().to(branches::new_form))
        .route("/party/branches/{id}", web::get().to(branches::show))
        .route(
            "/party/branches/{id}/edit",
            web::get().to(branches::edit_form),
        )
        .route(
            "/party/branches/{id}/edit",
            web::post().to(branches::update),
        )
        .route(
            "/party/branches/{id}/members",
            web::post().to(members::create),
        )
        .route(
            "/party/branches/{id}/members/new",
            web::get().to(members::new_form),
        )
        .route(
            "/party/branches/{id}/members/{member}/edit",
            web::get().to(members::edit_form),
        )
        .route(
            "/party/branches/{id}/members/{member}/edit",
            web::post().to(members::update),
        );
}
