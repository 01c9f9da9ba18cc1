//! The opinion box (党情民意箱, SPEC §7): residents' opinions and suggestions entered by the
//! street's clerks or a branch secretary (channel, content, the resident's contact kept private:
//! masked in the list and the export, in full only on the opinion's page to who keeps the record,
//! each such view audited — `domain::keeps_contact`), each answered or turned into a grid issue in
//! one step (source `opinion_box`), the answer recorded. The list in scope with its filters and
//! export.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/party/opinions", web::get().to(handlers::list))
        .route("/party/opinions", web::post().to(handlers::create))
        .route(
            "/party/opinions/export.xlsx",
            web::get().to(handlers::export),
        )
        .route("/party/opinions/new", web::get().to(handlers::new_form))
        .route("/party/opinions/{id}", web::get().to(handlers::show))
        .route(
            "/party/opinions/{id}/answer",
            web::post().to(handlers::answer),
        )
        .route(
            "/party/opinions/{id}/issue",
            web::post().to(handlers::file_issue),
        );
}
