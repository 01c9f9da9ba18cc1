//! Daily huddles, weekly meetings and supervision meetings (日碰头、周例会, SPEC §5): a meeting of
//! a street or community with its attendees and attendance, an agenda that drafts itself from
//! the issue register, each item's discussion and decision written back to the issue, the
//! states draft → held → minutes finalized (then corrections with a reason), the printed weekly
//! sheet (周例会记录表) and the leader's view of the week.
//!
//! This module is the meeting itself: the list and its export, a new meeting, the meeting's page
//! and its state steps. Its parts each have their folder: `agenda` (drafting and editing the
//! lines), `record` (attendance, minutes, corrections), `decisions` (an item's decision, written
//! back to the issue), `sheet` (the filed record and its .xlsx) and `week` (the leader's week).

pub mod agenda;
pub mod decisions;
pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
pub mod pages;
pub mod record;
pub mod sheet;
pub mod week;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig, once: &crate::web::singletons::Singletons) {
    use actix_web::web;
    // Named pages come before /meetings/{id}, which would take their names for an id.
    cfg.route("/meetings", web::get().to(handlers::list))
        .route("/meetings", web::post().to(handlers::create))
        .route("/meetings/new", web::get().to(handlers::new_form))
        .route("/meetings/export.xlsx", web::get().to(handlers::export));
    week::routes(cfg, once);
    cfg.route("/meetings/{id}", web::get().to(handlers::show))
        .route("/meetings/{id}/state", web::post().to(handlers::advance));
    record::routes(cfg);
    agenda::routes(cfg);
    decisions::routes(cfg);
    sheet::routes(cfg);
}
