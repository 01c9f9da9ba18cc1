//! The logged-in user, extracted from the session cookie and checked against the `sessions`
//! table on every request: a session ends on the server (logout, password change, deactivation,
//! idle and absolute timeouts), not only when a cookie expires.

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::Role;
use super::models;
use crate::error::AppError;
use crate::web::AppState;

/// Session cookie key holding the session token (the table keeps only its SHA-256).
pub const SID_KEY: &str = "sid";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub org_unit_id: i32,
    pub org_name: String,
    /// Materialized path of the user's org unit: the root of their data scope.
    pub org_path: String,
    pub must_change_password: bool,
    pub session_hash: String,
    /// The client's address, for the audit log.
    pub ip: String,
    /// Issues waiting for this user (我的待办), for the navigation badge; read in the same
    /// blocking call as the session.
    pub todo_total: i64,
}

impl CurrentUser {
    /// The `[lo, hi)` path range of the user's data scope.
    pub fn scope(&self) -> (String, String) {
        crate::db::subtree_range(&self.org_path)
    }

    /// True when `path` lies inside the user's scope.
    pub fn sees(&self, path: &str) -> bool {
        path.starts_with(&self.org_path)
    }

    pub fn require_admin(&self) -> Result<(), AppError> {
        if self.role.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn require_grid_editor(&self) -> Result<(), AppError> {
        if self.role.can_edit_grids() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor {
            id: Some(self.id),
            name: self.username.clone(),
            ip: self.ip.clone(),
        }
    }
}

/// Paths a user who must change their password may still use.
fn allowed_before_password_change(path: &str) -> bool {
    matches!(path, "/password" | "/logout" | "/locale")
}

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            if let Some(u) = req.extensions().get::<CurrentUser>() {
                return check_password_gate(&req, u.clone());
            }
            let next = if req.method() == actix_web::http::Method::GET {
                req.uri()
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/")
                    .to_string()
            } else {
                "/".to_string()
            };
            let session = req.get_session();
            let token = match session.get::<String>(SID_KEY) {
                Ok(Some(t)) => t,
                _ => {
                    return Err(AppError::LoginRequired {
                        next,
                        expired: false,
                    });
                }
            };
            let state = req
                .app_data::<web::Data<AppState>>()
                .ok_or_else(|| AppError::Internal("no app state".into()))?
                .clone();
            let hash = models::session_hash(&token);
            let idle = chrono::Duration::minutes(state.settings.session_idle_minutes);
            let absolute = chrono::Duration::hours(state.settings.session_absolute_hours);
            let ip = crate::web::client_ip(&req, &state.settings);
            let st = state.clone();
            let found = crate::db::run(&state.pool, move |conn| {
                let Some(mut user) = models::load_session(conn, &hash, idle, absolute)? else {
                    return Ok(None);
                };
                if !user.must_change_password {
                    user.todo_total = st
                        .todos
                        .counts(conn, &user, crate::db::now())?
                        .iter()
                        .map(|(_, n)| n)
                        .sum();
                }
                Ok(Some(user))
            })
            .await?;
            let Some(mut user) = found else {
                session.remove(SID_KEY);
                return Err(AppError::LoginRequired {
                    next,
                    expired: true,
                });
            };
            user.ip = ip;
            req.extensions_mut().insert(user.clone());
            check_password_gate(&req, user)
        })
    }
}

fn check_password_gate(req: &HttpRequest, user: CurrentUser) -> Result<CurrentUser, AppError> {
    if user.must_change_password && !allowed_before_password_change(req.path()) {
        return Err(AppError::PasswordChangeRequired);
    }
    Ok(user)
}
