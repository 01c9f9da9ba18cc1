//! The register's Excel import (导入, issue 21): a clerk or grid worker downloads the template,
//! fills it (or their own sheet: columns are found by their usual headers, 姓名, 身份证号, 与户主关系,
//! 联系电话, 小区, 楼栋, 单元, 房号 …), uploads it, and sees every row with the messages beside
//! its cells (a bad ID number, an unknown compound or one outside their scope, a duplicate in
//! the file, one already registered) before anything is written. The commit writes in one
//! transaction, all or nothing or the correct rows only as the user chooses, once however often
//! it is posted, audited as one import record with its counts.

pub mod check;
pub mod domain;
pub mod forms;
pub mod handlers;
pub mod models;
pub mod pages;
pub mod workbook;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/imports", web::get().to(handlers::list))
        .route("/imports", web::post().to(handlers::upload))
        .route("/imports/new", web::get().to(handlers::new_form))
        .route("/imports/template.xlsx", web::get().to(handlers::template))
        .route("/imports/{id}", web::get().to(handlers::show))
        .route("/imports/{id}/commit", web::post().to(handlers::commit));
}
