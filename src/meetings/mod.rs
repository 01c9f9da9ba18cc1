//! Daily huddles, weekly meetings and supervision meetings (日碰头、周例会, SPEC §5): a meeting of
//! a street or community with its attendees and attendance, an agenda that drafts itself from
//! the issue register, each item's discussion and decision written back to the issue, the
//! states draft → held → minutes finalized (then corrections with a reason), the printed weekly
//! sheet (周例会记录表) and the leader's view of the week.

mod agenda;
mod agenda_edit;
mod create;
mod decide;
pub mod domain;
pub mod forms;
mod handlers;
pub mod models;
mod overview;
mod pages;
mod record;
mod sheet;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    // Named pages come before /meetings/{id}, which would take their names for an id.
    cfg.app_data(web::Data::new(overview::WeekCache::default()))
        .route("/meetings", web::get().to(handlers::list))
        .route("/meetings", web::post().to(create::create))
        .route("/meetings/new", web::get().to(create::new_form))
        .route("/meetings/export.xlsx", web::get().to(handlers::export))
        .route("/meetings/week", web::get().to(overview::show))
        .route(
            "/meetings/week/export.xlsx",
            web::get().to(overview::export),
        )
        .route("/meetings/{id}", web::get().to(handlers::show))
        .route("/meetings/{id}/sheet", web::get().to(sheet::show))
        .route("/meetings/{id}/sheet.xlsx", web::get().to(sheet::export))
        .route("/meetings/{id}/state", web::post().to(handlers::set_state))
        .route("/meetings/{id}/record", web::get().to(record::edit_form))
        .route("/meetings/{id}/record", web::post().to(record::update))
        .route("/meetings/{id}/items", web::post().to(agenda_edit::add))
        .route(
            "/meetings/{id}/redraft",
            web::post().to(agenda_edit::redraft),
        )
        .route("/meetings/{id}/items/{item}", web::get().to(decide::show))
        .route(
            "/meetings/{id}/items/{item}",
            web::post().to(decide::decide),
        )
        .route(
            "/meetings/{id}/items/{item}/move",
            web::post().to(agenda_edit::move_item),
        )
        .route(
            "/meetings/{id}/items/{item}/issue",
            web::post().to(decide::topic_issue),
        );
}
