//! 量化考核 (issue 17): a scheme's indicator tree scored from the records Gridwork already holds
//! (issues from the summary table, patrols from the coverage index, on the work calendar) plus
//! manual inspection entries, per third-level grid and month; the street's ranking with grade
//! bands, each object's entries with the formula beside every point and a link to the records
//! behind it, reversal instead of deletion, publication that freezes a month, the export, the
//! printed bulletin (考核通报) and a grid worker's own score.

pub mod bulletin;
pub mod domain;
pub mod entries;
pub mod forms;
pub mod models;
pub mod pages;
pub mod results;
pub mod schemes;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    use bulletin::handlers as bulletin;
    use entries::handlers as entries;
    use results::handlers as results;
    use schemes::handlers as schemes;
    cfg.route("/assessment", web::get().to(results::list))
        .route("/assessment/compute", web::post().to(results::compute))
        .route("/assessment/publish", web::post().to(results::publish))
        .route("/assessment/export.xlsx", web::get().to(bulletin::export))
        .route("/assessment/bulletin", web::get().to(bulletin::bulletin))
        .route("/assessment/me", web::get().to(results::me))
        .route("/assessment/schemes", web::get().to(schemes::schemes))
        .route("/assessment/results/{id}", web::get().to(entries::show))
        .route(
            "/assessment/results/{id}/entries",
            web::post().to(entries::create_entry),
        )
        .route(
            "/assessment/results/{id}/entries/{entry}/reverse",
            web::post().to(entries::reverse),
        );
}
