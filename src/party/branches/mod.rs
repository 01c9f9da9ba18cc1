//! Branches (党支部): the list in scope with its export, a branch's page (secretary, first
//! secretary, demonstration site, members, the latest activities), and the branch form (clerks,
//! leaders, admins).

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::web::edit::record::{create, edit_form, new_form, update};
    use actix_web::web;
    use handlers::BranchEditor as E;
    cfg.route("/party", web::get().to(handlers::list))
        .route("/party/export.xlsx", web::get().to(handlers::export))
        .route("/party/branches", web::post().to(create::<E>))
        .route("/party/branches/new", web::get().to(new_form::<E>))
        .route("/party/branches/{id}", web::get().to(handlers::show))
        .route("/party/branches/{id}/edit", web::get().to(edit_form::<E>))
        .route("/party/branches/{id}", web::post().to(update::<E>))
        .route(
            "/party/branches/{id}/edit",
            web::post().to(crate::web::edit_moved),
        );
}
