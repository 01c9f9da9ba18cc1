//! The printed record of a meeting as a street office files it: the weekly meeting's and the
//! supervision meeting's A4 sheet (周例会记录表, 督查会记录表), the daily huddle's compact
//! one-page form (日碰头记录表), and the same record as a workbook. Both read the meeting through
//! `meetings::models::load`, so the sheet shows exactly what the meeting's page shows, in the
//! same scope.

pub mod domain;
mod handlers;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/meetings/{id}/sheet", web::get().to(handlers::show))
        .route("/meetings/{id}/sheet.xlsx", web::get().to(handlers::export));
}
