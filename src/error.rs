//! One error type for every handler. Each variant maps to a status code here, in one place; the
//! page the user sees is rendered by `web::errors` in their language, inside the layout. Causes go
//! to the log, never to the page: a 500 logs the whole cause chain (`AppError::report`).

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
    /// The body is larger than any form a person fills in (see `web::input::FORM_MAX_BYTES`).
    TooLarge,
    /// Too many attempts (login throttling per IP).
    TooManyRequests,
    /// The pool or the password-hashing slots are exhausted: try again shortly.
    Unavailable,
    /// Everything else, described by a message: logged, shown as a plain 500.
    Internal(String),
    /// Everything else, with the error that caused it kept whole, so the log gets its
    /// `source()` chain rather than one flattened string. Built by [`AppError::internal`] and by
    /// the `From` conversions below; shown as a plain 500.
    Failed {
        /// What was being done ("database", "template", …).
        context: String,
        source: Box<dyn std::error::Error + Send + Sync + 'static>,
    },
}

impl AppError {
    /// An internal error caused by `source` while doing `context`.
    pub fn internal(
        context: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync + 'static>>,
    ) -> AppError {
        AppError::Failed {
            context: context.into(),
            source: source.into(),
        }
    }

    /// The error and every cause under it, outermost first, joined by ": " — what the log and
    /// the command line print.
    pub fn report(&self) -> String {
        let mut out = self.to_string();
        let mut cause = std::error::Error::source(self);
        while let Some(e) = cause {
            out.push_str(": ");
            out.push_str(&e.to_string());
            cause = e.source();
        }
        out
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::Internal(cause) => write!(f, "internal error: {cause}"),
            // The cause is the source, not part of the message (see `report`).
            AppError::Failed { context, .. } => write!(f, "internal error: {context}"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl std::error::Error for AppError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            AppError::Failed { source, .. } => Some(source.as_ref()),
            _ => None,
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::internal("database", other),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::internal("template", e)
    }
}

impl From<actix_web::Error> for AppError {
    fn from(e: actix_web::Error) -> Self {
        // actix's error is neither Send nor Sync (and has no source), so its message is the cause.
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
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) | AppError::Failed { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A bare response; `web::errors::render_error_page` fills the body with the page, since only
    /// it sees the request (and so the user's language).
    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::LoginRequired { next, expired } => {
                let mut query = Vec::new();
                if !next.is_empty() && next != "/" {
                    query.push(format!("next={}", crate::percent::encode(next)));
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
            AppError::Internal(_) | AppError::Failed { .. } => {
                tracing::error!(cause = %self.report(), "request failed");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "reading the key")
        }
    }

    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn report_walks_the_whole_cause_chain() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied");
        let e = AppError::internal("startup", Outer(io));
        assert_eq!(
            e.report(),
            "internal error: startup: reading the key: permission denied"
        );
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn database_errors_keep_their_cause_and_not_found_stays_404() {
        let e = AppError::from(diesel::result::Error::RollbackTransaction);
        assert!(std::error::Error::source(&e).is_some());
        assert!(e.report().starts_with("internal error: database: "));
        assert!(matches!(
            AppError::from(diesel::result::Error::NotFound),
            AppError::NotFound
        ));
    }

    #[test]
    fn a_message_is_still_an_internal_error() {
        let e = AppError::Internal("no app state".into());
        assert_eq!(e.report(), "internal error: no app state");
        assert_eq!(e.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn login_redirect_encodes_next() {
        let e = AppError::LoginRequired {
            next: "/issues?q=a b".into(),
            expired: true,
        };
        let res = e.error_response();
        assert_eq!(
            res.headers().get("Location").and_then(|v| v.to_str().ok()),
            Some("/login?next=/issues%3Fq%3Da%20b&expired=1")
        );
    }
}
