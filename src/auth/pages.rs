//! The login and password pages.

use askama::Template;
use askama_web::WebTemplate;

use crate::web::ctx::Ctx;
use crate::web::forms::FormErrors;

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    pub ctx: Ctx,
    pub username: String,
    pub next: String,
    /// Locale key of the failure message.
    pub error: Option<&'static str>,
    /// The browser's session ended (timeout, logout elsewhere): say so.
    pub expired: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/password.html")]
pub struct PasswordPage {
    pub ctx: Ctx,
    pub forced: bool,
    pub errors: FormErrors,
}
