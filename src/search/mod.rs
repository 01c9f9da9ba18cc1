//! The search box in every page's header (`GET /search?q=`): an exact issue number jumps to the
//! issue; anything else finds issues (number, title, address, description), staff by name and
//! org units by name, grouped by kind, each group cut at `models::LIMIT` with a link to the
//! filtered list where there is one. Every kind is read through its owner's scoped query
//! (`issues::models::list`, `users::models::list`, `org::models::named`), so the search sees
//! exactly what the user's lists see.

mod forms;
mod handlers;
pub mod models;
mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/search", web::get().to(handlers::search));
}
