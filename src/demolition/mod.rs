//! The demolition command (征拆指挥部, issue 19; research §5): a command for a key project with
//! its commander and dates, its groups (包组: the leader who 分包 it, the members, 责任到人),
//! the households and public units each group is responsible for, each object's dated steps
//! (入户调查 → 评估 → 协商 → 签约 → 腾空交房, never deleted), the groups' daily reports
//! (一天一上报: counted from the steps, frozen once submitted) and the command summary (per
//! group and in total, printed on A4 and exported). The street tracks progress and people; it
//! does not compute compensation.

pub mod daily;
pub mod domain;
pub mod forms;
pub mod handlers;
pub mod households;
pub mod models;
pub mod pages;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    const P: &str = "/campaigns/demolition";
    cfg.route(P, web::get().to(handlers::list))
        .route(P, web::post().to(handlers::create))
        .route(&format!("{P}/new"), web::get().to(handlers::new_form))
        .route(&format!("{P}/export.xlsx"), web::get().to(handlers::export))
        .route(&format!("{P}/{{id}}"), web::get().to(handlers::show))
        .route(&format!("{P}/{{id}}"), web::post().to(handlers::update))
        .route(
            &format!("{P}/{{id}}/edit"),
            web::get().to(handlers::edit_form),
        )
        .route(&format!("{P}/{{id}}/print"), web::get().to(handlers::print))
        .route(
            &format!("{P}/{{id}}/export.xlsx"),
            web::get().to(handlers::export_summary),
        )
        .route(
            &format!("{P}/{{id}}/groups/new"),
            web::get().to(handlers::group_form),
        )
        .route(
            &format!("{P}/{{id}}/groups"),
            web::post().to(handlers::create_group),
        );
    households::routes(cfg);
    daily::routes(cfg);
}
