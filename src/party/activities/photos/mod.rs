//! An activity's photos: served only inside the branch's scope, and removed by whoever may edit
//! the activity (`domain::may_edit`). A removal deletes the row, keeps the activity's photo count
//! and writes the audit row (who removed which photo) in one transaction, then deletes the stored
//! files through `storage::Store` once the row is gone (a failed delete leaves an orphan file,
//! never a record pointing at nothing). A second click finds nothing to remove and says so.

pub mod handlers;
pub mod models;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/party/activities/{id}/photos/{photo}",
        web::get().to(handlers::show),
    )
    .route(
        "/party/activities/{id}/photos/{photo}/thumb",
        web::get().to(handlers::thumb),
    )
    .route(
        "/party/activities/{id}/photos/{photo}/delete",
        web::post().to(handlers::delete),
    );
}
