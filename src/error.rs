//! One error type for every handler. Each variant maps to a status code here, in one place; the
//! page the user sees is rendered by `web::errors` in their language, inside the layout. Causes go
//! to the log, never to the page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

pub type AppResult<T> = Result<T, AppError>;

#[derive(Debug)]
pub enum AppError {
    /// Not there, or outside the user's data scope: both look the same to the user.
    NotFound,
    /// The role may not use this function at all.
    Forbidden,
    /// Not logged in (or the session ended): 303 to the login page. `expired` when the browser
    /// still held a session that has ended (timeout, logout elsewhere, deactivation), so the
    /// login page can say why.
    LoginRequired { next: String, expired: bool },
    /// The initial or reset password must be changed first: 303 to /password.
    PasswordChangeRequired,
    /// The CSRF token or the request's origin did not check out.
    Csrf,
    /// Bad request that no form shows (a malformed query, an unknown parameter value).
    BadRequest,
    /// Someone changed the record while this request was checked and written (a form shows its
    /// own 409 with both versions; this is the rare race past that check).
    Conflict,
    /// Too many attempts (login throttling per IP).
    TooManyRequests,
    /// The pool or the password-hashing slots are exhausted: try again shortly.
    Unavailable,
    /// Everything else: logged with its cause, shown as a plain 500.
    Internal(String),
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Internal(cause) => write!(f, "internal error: {cause}"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl std::error::Error for AppError {}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<actix_web::Error> for AppError {
    fn from(e: actix_web::Error) -> Self {
        AppError::Internal(format!("actix: {e}"))
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } | AppError::PasswordChangeRequired => {
                StatusCode::SEE_OTHER
            }
            AppError::BadRequest => StatusCode::BAD_REQUEST,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A bare response; `web::errors::render_error_page` fills the body with the page, since only
    /// it sees the request (and so the user's language).
    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::LoginRequired { next, expired } => {
                let mut query = Vec::new();
                if !next.is_empty() && next != "/" {
                    query.push(format!("next={}", crate::web::urlencode(next)));
                }
                if *expired {
                    query.push("expired=1".to_string());
                }
                let location = if query.is_empty() {
                    "/login".to_string()
                } else {
                    format!("/login?{}", query.join("&"))
                };
                HttpResponse::SeeOther()
                    .insert_header(("Location", location))
                    .finish()
            }
            AppError::PasswordChangeRequired => HttpResponse::SeeOther()
                .insert_header(("Location", "/password"))
                .finish(),
            AppError::Internal(cause) => {
                tracing::error!(%cause, "request failed");
                HttpResponse::InternalServerError().finish()
            }
            AppError::Csrf => {
                tracing::warn!("csrf check failed");
                HttpResponse::Forbidden().finish()
            }
            other => HttpResponse::build(other.status_code()).finish(),
        }
    }
}
