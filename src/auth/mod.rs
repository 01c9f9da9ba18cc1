//! Staff login (等保 2.0 身份鉴别): argon2id passwords, server-side sessions with idle and absolute
//! timeouts, lockout and per-address throttling, forced change of initial passwords, the login
//! log, and the language switch.

mod current;
mod handlers;
pub mod models;
mod pages;
pub mod password;
mod roles;

pub use current::CurrentUser;
pub use roles::Role;

pub fn routes(cfg: &mut actix_web::web::ServiceConfig) {
    use actix_web::web;
    cfg.route("/healthz", web::get().to(handlers::healthz))
        .route("/login", web::get().to(handlers::login_form))
        .route("/login", web::post().to(handlers::login))
        .route("/logout", web::post().to(handlers::logout))
        .route("/password", web::get().to(handlers::password_form))
        .route("/password", web::post().to(handlers::change_password))
        .route("/locale", web::post().to(handlers::set_locale));
}
