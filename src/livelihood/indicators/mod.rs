//! The indicator catalogue a street keeps: the list and its export, an indicator's page with its
//! monthly entries (a correction is a new entry with its reason), and the indicator form.

pub mod handlers;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::web::edit::record::{create, edit_form, new_form, update};
    use actix_web::web;
    use handlers::IndicatorEditor as E;
    cfg.route("/livelihood/indicators", web::get().to(handlers::list))
        .route("/livelihood/indicators", web::post().to(create::<E>))
        .route(
            "/livelihood/indicators/export.xlsx",
            web::get().to(handlers::list_export),
        )
        .route("/livelihood/indicators/new", web::get().to(new_form::<E>))
        .route("/livelihood/indicators/{id}", web::get().to(handlers::show))
        .route("/livelihood/indicators/{id}", web::post().to(update::<E>))
        .route(
            "/livelihood/indicators/{id}/edit",
            web::get().to(edit_form::<E>),
        )
        .route(
            "/livelihood/indicators/{id}/entries",
            web::post().to(handlers::enter),
        );
}
