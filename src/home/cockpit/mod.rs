//! The leader's cockpit (领导驾驶舱, issue 16): the home of leaders and admins, for their own
//! unit whatever its level — what needs them today and how their area is doing, one tile per
//! feature, each a number with its comparison and a link to the list behind it — and `/brief`,
//! the week's one-page A4 print of it (领导工作简报).
//!
//! Adding a tile is one query function in `models` (a field of `Figures`, read in `load`) and one
//! template in `templates/home/tiles/`, listed in `tiles/_all.html`, which the cockpit and the
//! brief include.

pub mod domain;
mod handlers;
pub mod models;
mod pages;

pub use handlers::{is_for, show};

/// GET /brief, and the figures' cache (GET / is `home`'s, which dispatches here).
pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    cfg.app_data(once.data::<models::Cache>())
        .route("/brief", web::get().to(handlers::brief));
}
