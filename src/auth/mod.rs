//! Staff login (等保 2.0 身份鉴别): argon2id passwords, server-side sessions with idle and absolute
//! timeouts, lockout and per-address throttling, forced change of initial passwords, the login
//! log, and the language switch.
//!
//! This file is the facade. The current user, their role and the session lookup every request
//! makes live below every feature, in `web::current_user`, `web::roles` and `web::session`, so
//! the page layout needs nothing from here; they are re-exported so `auth::CurrentUser` and
//! `auth::Role` stay the names features use. The routes are next to the handlers.

mod domain;
mod forms;
mod handlers;
pub mod models;
mod pages;
pub mod password;

pub use crate::web::current_user::CurrentUser;
pub use crate::web::roles::Role;
pub use handlers::routes;
