//! Pairings (结对帮扶): a member of the branch paired with a household in need; its page collects
//! the visits (activities of kind `pairing` that name it) and, while it lasts, offers to end it.
//! Editing and ending are for whoever keeps the branch's record (`domain::may_edit`; others 403,
//! outside the scope 404), check the version (a stale edit is a 409 with both versions) and write
//! the audit row in the change's transaction. Ending twice changes nothing the second time.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/party/branches/{id}/pairings",
        web::get().to(handlers::list),
    )
    .route(
        "/party/branches/{id}/pairings",
        web::post().to(handlers::create),
    )
    // Named paths before /party/branches/{id}/pairings/{pairing}.
    .route(
        "/party/branches/{id}/pairings/export.xlsx",
        web::get().to(handlers::export),
    )
    .route(
        "/party/branches/{id}/pairings/new",
        web::get().to(handlers::new_form),
    )
    .route(
        "/party/branches/{id}/pairings/{pairing}",
        web::get().to(handlers::show),
    )
    .route(
        "/party/branches/{id}/pairings/{pairing}/edit",
        web::get().to(handlers::edit_form),
    )
    .route(
        "/party/branches/{id}/pairings/{pairing}",
        web::post().to(handlers::update),
    )
    .route(
        "/party/branches/{id}/pairings/{pairing}/edit",
        web::post().to(crate::web::edit_moved),
    )
    .route(
        "/party/branches/{id}/pairings/{pairing}/end",
        web::post().to(handlers::end),
    );
}
