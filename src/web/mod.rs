//! What every page shares: the page context and layout data, CSRF, flash messages, the current
//! user (its session, role and audit actor), forms, pagination, i18n, security headers, static
//! assets and error pages.
//!
//! Layering: `web/` sits on `error`, `config`, `db`, `storage` and `percent`, and imports no
//! feature; features import it. What a feature adds to every page (a navigation badge) or keeps
//! for the whole server (a cache, from `singletons`) it registers itself as app data in its
//! `routes`.

pub mod charts;
pub mod crumbs;
pub mod csrf;
pub mod ctx;
pub mod current_user;
pub mod drafts;
pub mod edit;
pub mod errors;
pub mod forms;
pub mod headers;
pub mod i18n;
pub mod idempotency;
pub mod input;
pub mod list;
pub mod multipart;
pub mod pagination;
pub mod print;
pub mod privacy;
pub mod roles;
pub mod session;
pub mod singletons;
pub mod static_files;
pub mod xlsx;

use actix_web::HttpRequest;

use crate::config::Settings;
use crate::db::Pool;

/// Shared state every handler can reach through `web::Data<AppState>`.
pub struct AppState {
    pub pool: Pool,
    pub settings: Settings,
    pub tz: chrono_tz::Tz,
    /// Bounds concurrent argon2 work (memory and CPU), see `auth::password`.
    pub hash_slots: tokio::sync::Semaphore,
    /// Uploaded photos: a local directory or an S3 bucket, see `crate::storage`.
    pub uploads: crate::storage::Store,
}

impl AppState {
    /// Today in the configured time zone (Asia/Shanghai by default), not the server's.
    pub fn today(&self) -> chrono::NaiveDate {
        chrono::Utc::now().with_timezone(&self.tz).date_naive()
    }
}

/// Percent-encodes a query-string value (kept here for the pages that link with filters).
pub use crate::percent::encode as urlencode;

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when the settings
/// say a trusted proxy is in front.
pub fn client_ip(req: &HttpRequest, settings: &Settings) -> String {
    if settings.trust_proxy
        && let Some(ip) = req.connection_info().realip_remote_addr()
    {
        return ip.to_string();
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_default()
}

/// A local redirect target from user input: only absolute paths on this site, so `next=` can
/// never send a user elsewhere (open redirect).
pub fn safe_next(next: &str) -> String {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next.to_string()
    } else {
        "/".to_string()
    }
}

/// A 303 See Other to `location`: the answer to every successful POST.
pub fn see_other(location: &str) -> actix_web::HttpResponse {
    actix_web::HttpResponse::SeeOther()
        .insert_header(("Location", location))
        .finish()
}

/// POST `/x/{id}/edit`, where an edit form posted before the house shape (POST `/x/{id}`): a 308
/// to the record's address, which keeps the method and the body, for pages still open and
/// scripts. Mount it on the old path.
pub async fn edit_moved(req: HttpRequest) -> actix_web::HttpResponse {
    let to = req.path().strip_suffix("/edit").unwrap_or(req.path());
    actix_web::HttpResponse::PermanentRedirect()
        .insert_header(("Location", to))
        .finish()
}

/// Renders a page with a status other than 200 (422 for invalid input, 409 for a stale edit).
pub fn render_status<T: askama::Template>(
    page: &T,
    status: actix_web::http::StatusCode,
) -> crate::error::AppResult<actix_web::HttpResponse> {
    Ok(actix_web::HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// Renders a page with 200.
pub fn render_ok<T: askama::Template>(
    page: &T,
) -> crate::error::AppResult<actix_web::HttpResponse> {
    render_status(page, actix_web::http::StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/org/3"), "/org/3");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
    }
}
