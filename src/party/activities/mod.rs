//! Activity records (党支部活动记录): an activity's page (attendance, the visit or pairing, the
//! grids and issues it served, photos), the list in scope with its export, and the form for a new
//! record and an edit. Scope is the branch's (`branches::models::get_scoped`): the user's
//! subtree, or their own branch. Nothing typed is lost: bad input comes back with messages (per
//! member row for an absence without a reason), a stale edit shows both versions, a session that
//! ended keeps the form for after the login; a double submit records once.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;
pub mod photos;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/party/branches/{id}/activities",
        web::post().to(handlers::create),
    )
    .route(
        "/party/branches/{id}/activities/new",
        web::get().to(handlers::new_form),
    )
    // Named paths before /party/activities/{id}.
    .route("/party/activities", web::get().to(handlers::list))
    .route(
        "/party/activities/export.xlsx",
        web::get().to(handlers::export),
    )
    .route("/party/activities/{id}", web::get().to(handlers::show))
    .route("/party/activities/{id}", web::post().to(handlers::update))
    .route(
        "/party/activities/{id}/edit",
        web::get().to(handlers::edit_form),
    );
    photos::routes(cfg);
}
