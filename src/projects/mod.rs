//! Key projects (重点项目, issue 19; SPEC §8; research §4): the ledger (台账) of the projects a
//! street pushes — level, class, owner, content, total and this year's planned investment kept
//! exactly in hundredths of 万元, the dates, the leader who 分包 it, the responsible office and
//! person — filtered, exported and printed on landscape A4, with 序时进度 and the warning
//! lights computed by [`domain`]; a project's page and its form.

pub mod domain;
pub mod forms;
pub mod handlers;
pub mod milestones;
pub mod models;
pub mod pages;
pub mod reports;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use crate::web::edit::record::{create, edit_form, new_form, update};
    use actix_web::web;
    use handlers::ProjectEditor as E;
    cfg.route("/projects", web::get().to(handlers::list))
        .route("/projects", web::post().to(create::<E>))
        .route("/projects/new", web::get().to(new_form::<E>))
        .route("/projects/print", web::get().to(handlers::print))
        .route("/projects/export.xlsx", web::get().to(handlers::export))
        .route("/projects/{id}", web::get().to(handlers::show))
        .route("/projects/{id}/edit", web::get().to(edit_form::<E>))
        .route("/projects/{id}", web::post().to(update::<E>));
    milestones::routes(cfg);
    reports::routes(cfg);
}
