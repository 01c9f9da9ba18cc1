//! A campaign's targets: an item (拆除违建, 清理小广告, 整治门店…) counted in one unit with the
//! number aimed at. Data kept by the street, never code; an item may be set twice in two units
//! (处 and m²).

pub mod forms;
pub mod handlers;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/campaigns/{id}/targets/new",
        web::get().to(handlers::new_form),
    )
    .route("/campaigns/{id}/targets", web::post().to(handlers::create));
}
