//! The audit log (等保 2.0 安全审计): every login and every change — who, when, from where, which
//! record, and its values before and after. Written in the same transaction as the change, so a
//! change without its audit row cannot exist. Admins read and export it at /audit.
//!
//! This file is the facade every feature writes through (`audit::record`, `created`, `updated`,
//! `deleted`, with an `Actor`, which lives beside `CurrentUser` in `web::current_user`); the
//! admin's pages and their routes are in `handlers`.

mod forms;
mod handlers;
mod models;
mod pages;
mod vocabulary;

pub use handlers::routes;
pub use models::{Actor, AuditFilter, change, created, deleted, latest, record, updated};
