//! The issue category taxonomy (问题类别): major categories, and under them the minor categories
//! issues are filed in, each with its handling time limit in working days or working hours.
//! Admins keep it at /categories: add, rename, move a minor to another major, change limits and
//! order, deactivate (history keeps the name), delete only what no issue uses. Every change is
//! audited under the root of the admin's tree, like the work calendar.

mod forms;
mod handlers;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    cfg.app_data(once.data::<models::CountCache>())
        .route("/categories", web::get().to(handlers::list))
        .route("/categories", web::post().to(handlers::create))
        .route("/categories/new", web::get().to(handlers::new_form))
        .route("/categories/export.xlsx", web::get().to(handlers::export))
        .route("/categories/{id}/edit", web::get().to(handlers::edit_form))
        .route("/categories/{id}", web::post().to(handlers::update))
        .route("/categories/{id}/delete", web::post().to(handlers::delete));
}
