//! The monthly report (民生月报): every indicator's month, cumulative figure, target, completion
//! rate and 时序进度, its A4 print, its .xlsx, the year view, and freezing (报送) a month.

pub mod handlers;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/livelihood", web::get().to(handlers::report))
        .route("/livelihood/print", web::get().to(handlers::print))
        .route("/livelihood/export.xlsx", web::get().to(handlers::export))
        .route("/livelihood/year", web::get().to(handlers::year))
        .route("/livelihood/freeze", web::post().to(handlers::freeze));
}
