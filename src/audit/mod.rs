//! The audit log (等保 2.0 安全审计): every login and every change — who, when, from where, which
//! record, and its values before and after. Written in the same transaction as the change, so a
//! change without its audit row cannot exist. Admins read and export it at /audit.

mod handlers;
mod models;
mod pages;

pub use models::{Actor, AuditFilter, created, deleted, record, updated};

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/audit", web::get().to(handlers::list_audit))
        .route("/audit/export.xlsx", web::get().to(handlers::export_audit));
}
