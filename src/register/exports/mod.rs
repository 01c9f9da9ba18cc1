//! The register's households and persons as .xlsx, inside the user's scope (or one compound of
//! it), masked exactly as the pages mask: the ID number and phone in full only where the
//! exporter reads them in full (`domain::sees_personal`). Every export is audited.

pub mod handlers;
pub mod models;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route(
        "/register/export/households.xlsx",
        web::get().to(handlers::households),
    )
    .route(
        "/register/export/persons.xlsx",
        web::get().to(handlers::persons),
    );
}
