//! 督办: a leader — or a clerk on the leader's behalf — chases an open issue with a note and,
//! when agreed, a new deadline. Each urge is a row of `issue_urges` and an `urge` entry on the
//! issue's timeline (which also moves the to-do cache's change stamp); the issue page, the list
//! rows and the to-do tabs show the count, the list filters 督办中 (`?urged=1`), the unit's next
//! weekly meeting drafts open urged issues in as 领导督办, and the cockpit reads
//! [`models::open_urged_count`].

pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/issues/{id}/urge", web::post().to(handlers::urge));
}
