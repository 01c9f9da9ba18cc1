//! The org tree (网格化管理: "三级网格、四级平台"): district → street (level-1 grid) →
//! community or village (level-2) → grid (level-3), with counts at every level. Admins add and
//! edit units; everyone sees their own subtree.

pub mod domain;
mod forms;
mod handlers;
pub mod models;
mod pages;

pub use pages::{crumbs_along, crumbs_for, crumbs_from};

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/org", web::get().to(handlers::list))
        .route("/org", web::post().to(handlers::create))
        .route("/org/new", web::get().to(handlers::new_form))
        .route("/org/export.xlsx", web::get().to(handlers::export))
        .route("/org/{id}", web::get().to(handlers::show))
        .route("/org/{id}", web::post().to(handlers::update))
        .route("/org/{id}/edit", web::get().to(handlers::edit_form))
        .route("/org/{id}/delete", web::post().to(handlers::delete));
}
