//! The logged-in user, extracted from the session cookie and checked against the `sessions`
//! table on every request: a session ends on the server (logout, password change, deactivation,
//! idle and absolute timeouts), not only when a cookie expires. Also the `Actor` the audit log
//! names, since every change is made by the current user (or the command line).
//!
//! It lives in `web/`, below every feature: the page context needs it, and every feature
//! takes it. `auth` (login, logout, passwords) re-exports it as `auth::CurrentUser`.

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use super::AppState;
use super::roles::Role;
use super::session::{self, SID_KEY};
use crate::error::AppError;

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
}

/// Who did it, as the audit log records it (`audit::Actor`). `id` is None for failed logins of
/// unknown users and for the command line.
#[derive(Debug, Clone)]
pub struct Actor {
    pub id: Option<i32>,
    pub name: String,
    pub ip: String,
}

impl Actor {
    /// Changes made from the command line (`gridwork user …`, demo seeding).
    pub fn cli() -> Actor {
        Actor {
            id: None,
            name: "cli".into(),
            ip: String::new(),
        }
    }
}

impl From<&CurrentUser> for Actor {
    fn from(user: &CurrentUser) -> Actor {
        Actor {
            id: Some(user.id),
            name: user.username.clone(),
            ip: user.ip.clone(),
        }
    }
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

    /// The user as the audit log names them.
    pub fn actor(&self) -> Actor {
        Actor::from(self)
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
            let hash = session::session_hash(&token);
            let idle = chrono::Duration::minutes(state.settings.session_idle_minutes);
            let absolute = chrono::Duration::hours(state.settings.session_absolute_hours);
            let ip = crate::web::client_ip(&req, &state.settings);
            // The layout's badges are read in the same trip to the pool as the session: one
            // blocking call per page, and `Ctx::build` stays synchronous (see `ctx::NavBadge`).
            let badge = super::ctx::nav_badge(&req);
            let found = crate::db::run(&state.pool, move |conn| {
                let Some(user) = session::load_session(conn, &hash, idle, absolute)? else {
                    return Ok(None);
                };
                let badges = super::ctx::NavBadges::read(badge.as_deref(), conn, &user)?;
                Ok(Some((user, badges)))
            })
            .await?;
            let Some((mut user, badges)) = found else {
                session.remove(SID_KEY);
                return Err(AppError::LoginRequired {
                    next,
                    expired: true,
                });
            };
            user.ip = ip;
            req.extensions_mut().insert(user.clone());
            req.extensions_mut().insert(badges);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 7,
            username: "wang".into(),
            display_name: "Wang".into(),
            role,
            org_unit_id: 3,
            org_name: "Street".into(),
            org_path: "/1/3/".into(),
            must_change_password: false,
            session_hash: String::new(),
            ip: "10.0.0.1".into(),
        }
    }

    #[test]
    fn the_actor_is_the_user_with_their_address() {
        let a = user(Role::Clerk).actor();
        assert_eq!(
            (a.id, a.name.as_str(), a.ip.as_str()),
            (Some(7), "wang", "10.0.0.1")
        );
        assert_eq!(Actor::cli().id, None);
    }

    #[test]
    fn scope_is_the_subtree_of_the_users_unit() {
        let u = user(Role::Clerk);
        assert!(u.sees("/1/3/17/"));
        assert!(!u.sees("/1/4/"));
        assert!(u.require_admin().is_err());
        assert!(user(Role::Admin).require_admin().is_ok());
        assert!(u.require_grid_editor().is_ok());
        assert!(user(Role::GridWorker).require_grid_editor().is_err());
    }

    #[test]
    fn a_forced_password_change_leaves_only_its_own_pages() {
        assert!(allowed_before_password_change("/password"));
        assert!(allowed_before_password_change("/logout"));
        assert!(!allowed_before_password_change("/issues"));
    }
}
