//! The objects of a command (households and public units, per group, 一个住户包到底) and their
//! steps, recorded in order, dated, never deleted.

pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    const P: &str = "/campaigns/demolition/{id}/households";
    cfg.route(P, web::get().to(handlers::list))
        .route(P, web::post().to(handlers::create))
        .route(&format!("{P}/new"), web::get().to(handlers::new_form))
        .route(&format!("{P}/export.xlsx"), web::get().to(handlers::export))
        .route(&format!("{P}/{{hid}}"), web::get().to(handlers::show))
        .route(
            &format!("{P}/{{hid}}/steps"),
            web::post().to(handlers::take_step),
        );
}
