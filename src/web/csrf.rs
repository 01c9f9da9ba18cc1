//! CSRF: a synchronizer token kept in the (encrypted, signed) session cookie and sent back in a
//! hidden `csrf_token` field, plus a Fetch-Metadata / Origin check. SameSite alone is not enough:
//! the office's old browsers (360, IE mode) may ignore it.

use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::error::PayloadError;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use super::input;
use crate::error::{AppError, AppResult};

const SESSION_KEY: &str = "csrf";

/// 32 random bytes as hex: session ids, CSRF and form tokens.
pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    hex::encode(bytes)
}

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(SESSION_KEY) {
        return t;
    }
    rotate(session)
}

/// A fresh token (at login, so a token seen before login is useless after it).
pub fn rotate(session: &Session) -> String {
    let t = random_token();
    let _ = session.insert(SESSION_KEY, &t);
    t
}

/// Refuses requests that a browser marks as cross-site, or whose Origin is not this host.
pub fn check_origin(req: &HttpRequest) -> AppResult<()> {
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return Err(AppError::Csrf);
    }
    if let Some(origin) = headers.get("origin").and_then(|v| v.to_str().ok()) {
        let host = req.connection_info().host().to_string();
        let origin_host = origin.split("://").nth(1).unwrap_or("");
        if origin == "null" || !origin_host.eq_ignore_ascii_case(&host) {
            return Err(AppError::Csrf);
        }
    }
    Ok(())
}

/// Compares a submitted token with the session's, in constant time.
pub fn verify(req: &HttpRequest, submitted: &str) -> AppResult<()> {
    check_origin(req)?;
    let session = req.get_session();
    let expected = session
        .get::<String>(SESSION_KEY)
        .ok()
        .flatten()
        .ok_or(AppError::Csrf)?;
    if submitted.is_empty() || !bool::from(expected.as_bytes().ct_eq(submitted.as_bytes())) {
        return Err(AppError::Csrf);
    }
    Ok(())
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf_token: String,
}

/// A url-encoded form whose CSRF token has been checked. Every POST handler with a form body
/// takes this instead of `web::Form`, so no form can skip the check. Unknown fields are ignored,
/// so a form can never set what its struct does not name (no mass assignment). The body is read
/// by `web::input`'s rule: only `application/x-www-form-urlencoded`, UTF-8, control characters
/// stripped; over `input::FORM_MAX_BYTES` it is the 413 page.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = Bytes::from_request(&req, payload);
        Box::pin(async move {
            if req.content_type() != mime::APPLICATION_WWW_FORM_URLENCODED.essence_str() {
                tracing::info!(
                    content_type = req.content_type(),
                    "form body of another type"
                );
                return Err(AppError::BadRequest.into());
            }
            let body = body.await.map_err(|e| match e.as_error::<PayloadError>() {
                Some(PayloadError::Overflow) => AppError::TooLarge,
                _ => AppError::BadRequest,
            })?;
            let pairs = input::decode(&body).map_err(|_| {
                tracing::info!("form body not UTF-8");
                AppError::BadRequest
            })?;
            let cleaned = input::encode(&pairs);
            let token: TokenOnly =
                serde_urlencoded::from_str(&cleaned).map_err(|_| AppError::BadRequest)?;
            verify(&req, &token.csrf_token)?;
            let form: T = serde_urlencoded::from_str(&cleaned).map_err(|e| {
                tracing::info!(error = %e, "malformed form");
                AppError::BadRequest
            })?;
            Ok(CsrfForm(form))
        })
    }
}

/// The body of a button-only form (deactivate, delete, verify): just the token.
#[derive(Debug, Deserialize)]
pub struct NoFields {}
