//! Issues from discovery to closure (矛盾问题排查与办结, SPEC §4): reporting with photos, the
//! life cycle (register, dispatch, handle, verify and close, with rework, return, extension,
//! hang, escalation and cancellation), deadlines on the work calendar, the timeline, my to-do
//! list, the filtered list with its export, and the figures kept in a summary table.

pub mod decision;
pub mod domain;
pub mod figures;
mod figures_pages;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;
pub mod photos;
pub mod stats;
pub mod workflow;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    // The to-do counts are kept per worker; the navigation's badge reads the same cache.
    let todos = std::sync::Arc::new(models::TodoCache::default());
    crate::web::ctx::register_badge(cfg, todos.clone());
    cfg.app_data(web::Data::from(todos));
    // The figures' routes come before /issues/{id}, which would take "figures" for an id.
    cfg.route("/issues/figures", web::get().to(figures_pages::show))
        .route(
            "/issues/figures/export.xlsx",
            web::get().to(figures_pages::export),
        )
        .route(
            "/issues/figures/freeze",
            web::post().to(figures_pages::freeze),
        )
        .route("/issues", web::get().to(handlers::list))
        .route("/issues", web::post().to(handlers::create))
        .route("/issues/new", web::get().to(handlers::new_form))
        .route("/issues/export.xlsx", web::get().to(handlers::export))
        .route("/issues/{id}", web::get().to(handlers::show))
        .route("/issues/{id}/act", web::post().to(handlers::act))
        .route(
            "/issues/{id}/photos/{pid}",
            web::get().to(photos::show_full),
        )
        .route(
            "/issues/{id}/photos/{pid}/thumb",
            web::get().to(photos::show_thumb),
        );
}
