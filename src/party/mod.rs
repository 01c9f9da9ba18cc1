//! Party building (党建, SPEC §7): the branches under the street's party working committee
//! (community, village, non-public-enterprise and agency branches) with their secretaries,
//! first secretaries and demonstration-site status, and their members; the branches' activity
//! records (三会一课, themed days, study, volunteer service, visits, pairing assistance) with
//! attendance, photos and the grids and issues they served; pairings with households in need
//! (recorded, edited, ended and kept); the opinion box (党情民意箱) handing opinions to the
//! Issues feature; the party summary and a branch's yearly ledger (台账).

mod activities;
mod activity_form;
mod activity_form_data;
pub mod activity_forms;
pub mod activity_models;
mod activity_pages;
mod activity_photos;
mod branches;
pub mod domain;
pub mod forms;
mod ledger;
mod members;
pub mod models;
pub mod opinion_forms;
pub mod opinion_models;
mod opinions;
mod pages;
pub mod pairing_data;
mod pairing_edit;
mod pairings;
mod summary;
mod summary_data;
pub mod summary_models;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.app_data(web::Data::new(summary::Cache::default()))
        .route("/party", web::get().to(branches::list))
        .route("/party/export.xlsx", web::get().to(branches::export))
        .route("/party/branches", web::post().to(branches::create))
        .route("/party/branches/new", web::get().to(branches::new_form))
        .route("/party/opinions", web::get().to(opinions::list))
        .route("/party/opinions", web::post().to(opinions::create))
        .route(
            "/party/opinions/export.xlsx",
            web::get().to(opinions::export),
        )
        .route("/party/opinions/new", web::get().to(opinions::new_form))
        .route("/party/opinions/{id}", web::get().to(opinions::show))
        .route(
            "/party/opinions/{id}/answer",
            web::post().to(opinions::answer),
        )
        .route(
            "/party/opinions/{id}/issue",
            web::post().to(opinions::to_issue),
        )
        .route("/party/summary", web::get().to(summary::show))
        .route("/party/summary/export.xlsx", web::get().to(summary::export))
        .route("/party/branches/{id}/ledger", web::get().to(ledger::show))
        .route("/party/branches/{id}", web::get().to(branches::show))
        .route(
            "/party/branches/{id}/edit",
            web::get().to(branches::edit_form),
        )
        .route(
            "/party/branches/{id}/edit",
            web::post().to(branches::update),
        )
        .route(
            "/party/branches/{id}/members",
            web::post().to(members::create),
        )
        .route(
            "/party/branches/{id}/members/export.xlsx",
            web::get().to(members::export),
        )
        .route(
            "/party/branches/{id}/pairings/export.xlsx",
            web::get().to(pairings::export),
        )
        .route(
            "/party/branches/{id}/members/new",
            web::get().to(members::new_form),
        )
        .route(
            "/party/branches/{id}/members/{member}/edit",
            web::get().to(members::edit_form),
        )
        .route(
            "/party/branches/{id}/members/{member}/edit",
            web::post().to(members::update),
        )
        .route(
            "/party/branches/{id}/activities",
            web::post().to(activity_form::create),
        )
        .route(
            "/party/branches/{id}/activities/new",
            web::get().to(activity_form::new_form),
        )
        .route(
            "/party/branches/{id}/pairings",
            web::get().to(pairings::list),
        )
        .route(
            "/party/branches/{id}/pairings",
            web::post().to(pairings::create),
        )
        .route(
            "/party/branches/{id}/pairings/new",
            web::get().to(pairings::new_form),
        )
        .route(
            "/party/branches/{id}/pairings/{pairing}",
            web::get().to(pairings::show),
        )
        .route(
            "/party/branches/{id}/pairings/{pairing}/edit",
            web::get().to(pairing_edit::edit_form),
        )
        .route(
            "/party/branches/{id}/pairings/{pairing}/edit",
            web::post().to(pairing_edit::update),
        )
        .route(
            "/party/branches/{id}/pairings/{pairing}/end",
            web::post().to(pairing_edit::end),
        )
        // Named paths before /party/activities/{id}.
        .route("/party/activities", web::get().to(activities::list))
        .route(
            "/party/activities/export.xlsx",
            web::get().to(activities::export),
        )
        .route("/party/activities/{id}", web::get().to(activities::show))
        .route(
            "/party/activities/{id}",
            web::post().to(activity_form::update),
        )
        .route(
            "/party/activities/{id}/edit",
            web::get().to(activity_form::edit_form),
        )
        .route(
            "/party/activities/{id}/photos/{photo}",
            web::get().to(activity_photos::photo_full),
        )
        .route(
            "/party/activities/{id}/photos/{photo}/thumb",
            web::get().to(activity_photos::photo_thumb),
        )
        .route(
            "/party/activities/{id}/photos/{photo}/delete",
            web::post().to(activity_photos::delete),
        );
}
