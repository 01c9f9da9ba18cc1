//! Issues from discovery to closure (矛盾问题排查与办结, SPEC §4): reporting with photos, the
//! life cycle (register, dispatch, handle, verify and close, with rework, return, extension,
//! hang, escalation and cancellation), 督办 (`urge/`), deadlines on the work calendar, the timeline, my to-do
//! list, the filtered list with its export, and the figures kept in a summary table.
//!
//! `workflow` carries out a report and each step in one transaction on the rules of `domain`;
//! `decision` writes a meeting's decision back through it; `figures/` is the sub-feature of the
//! summary table and the figures page.

pub mod decision;
pub mod domain;
pub mod figures;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;
pub mod urge;
pub mod workflow;

/// `todos` is made once per server (see `startup::build`) and shared by every worker, as the
/// counts were when they lived in `AppState`; the navigation's badge reads the same cache.
pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    let todos = once.data::<models::TodoCache>();
    crate::web::ctx::register_badge(cfg, todos.clone().into_inner());
    cfg.app_data(todos);
    // The figures' routes come before /issues/{id}, which would take "figures" for an id.
    cfg.configure(figures::routes)
        .configure(urge::routes)
        .route("/issues", web::get().to(handlers::list))
        .route("/issues", web::post().to(handlers::create))
        .route("/issues/new", web::get().to(handlers::new_form))
        .route("/issues/export.xlsx", web::get().to(handlers::export))
        .route("/issues/{id}", web::get().to(handlers::show))
        .route("/issues/{id}/steps", web::post().to(handlers::take_step))
        .route("/issues/{id}/act", web::post().to(handlers::act_moved))
        .route("/issues/{id}/photos/{pid}", web::get().to(handlers::photo))
        .route(
            "/issues/{id}/photos/{pid}/thumb",
            web::get().to(handlers::photo_thumb),
        );
}
