//! A grid's responsible people (网格责任人: grid leader, grid workers, sent-down cadres, partner
//! units) with photo, phone and service items; its key sites (重点部位) with the required patrol
//! interval; its public notice (公示) and service card (便民服务卡) — "将网格责任人、照片、联系电话、
//! 服务事项等在网格内进行公示，同时发放便民服务卡".

mod forms;
mod handlers;
pub mod models;
mod pages;
pub mod photo;
mod records;

use models::{Person, Site};

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/grids/{id}/notice", web::get().to(handlers::notice))
        .route(
            "/grids/{id}/notice/verify",
            web::post().to(handlers::verify_notice),
        )
        .route("/grids/{id}/card", web::get().to(handlers::card))
        .route(
            "/grids/{id}/people/new",
            web::get().to(handlers::new_form::<Person>),
        )
        .route(
            "/grids/{id}/people",
            web::post().to(handlers::create::<Person>),
        )
        .route(
            "/grids/{id}/people/{pid}/edit",
            web::get().to(handlers::edit_form::<Person>),
        )
        .route(
            "/grids/{id}/people/{pid}",
            web::post().to(handlers::update::<Person>),
        )
        .route(
            "/grids/{id}/people/{pid}/delete",
            web::post().to(handlers::delete_person),
        )
        .route("/grids/{id}/people/{pid}/photo", web::get().to(photo::show))
        .route(
            "/grids/{id}/people/{pid}/photo",
            web::post().to(photo::upload),
        )
        .route(
            "/grids/{id}/sites/new",
            web::get().to(handlers::new_form::<Site>),
        )
        .route(
            "/grids/{id}/sites",
            web::post().to(handlers::create::<Site>),
        )
        .route(
            "/grids/{id}/sites/{sid}/edit",
            web::get().to(handlers::edit_form::<Site>),
        )
        .route(
            "/grids/{id}/sites/{sid}",
            web::post().to(handlers::update::<Site>),
        );
}
