use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::current::SID_KEY;
use super::models;
use super::pages::{LoginPage, PasswordPage};
use super::{CurrentUser, password};
use crate::audit::{self, Actor};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::{self, CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::i18n::{LANG_COOKIE, Lang};
use crate::web::{AppState, client_ip, render_status, safe_next, see_other};

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: String,
    /// Set when the session the browser held has ended.
    expired: String,
}

/// GET /login
pub async fn login_form(ctx: Ctx, q: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if ctx.user.is_some() {
        return Ok(see_other("/"));
    }
    crate::web::render_ok(&LoginPage {
        ctx,
        username: String::new(),
        next: q.next.clone(),
        error: None,
        expired: !q.expired.is_empty(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: String,
}

enum Outcome {
    Success { must_change: bool },
    Failed,
    IpThrottled,
}

/// POST /login. Throttling is checked before any hashing, so a locked account or a flooding
/// address costs no CPU; an unknown username still costs one (dummy) hash, so the time taken
/// does not reveal which accounts exist. Every attempt lands in the login log and the audit log.
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<LoginForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let username = form.username.trim().to_lowercase();
    let ip = client_ip(&req, &state.settings);
    let s = &state.settings;
    let (ip_limit, threshold, lock_for) = (
        s.ip_failures_per_15min,
        s.lockout_threshold,
        chrono::Duration::minutes(s.lockout_minutes),
    );

    let (u, i) = (username.clone(), ip.clone());
    let (throttled, account) = db::run(&state.pool, move |conn| {
        Ok((
            models::recent_ip_failures(conn, &i)? >= ip_limit,
            models::find_account(conn, &u)?,
        ))
    })
    .await?;

    let outcome = if throttled {
        Outcome::IpThrottled
    } else {
        let locked = account
            .as_ref()
            .is_some_and(|a| a.locked_until.is_some_and(|t| t > db::now()));
        let usable = account.as_ref().filter(|a| a.active && !locked);
        let ok = match usable {
            Some(a) => {
                password::verify(&state, form.password.clone(), Some(a.password_hash.clone()))
                    .await?
            }
            None if locked => false,
            None => password::verify(&state, form.password.clone(), None).await?,
        };
        match (&account, ok) {
            (Some(a), true) => Outcome::Success {
                must_change: a.must_change_password,
            },
            _ => Outcome::Failed,
        }
    };

    let token = csrf::random_token();
    let (u, i, t, acct) = (username.clone(), ip.clone(), token.clone(), account.clone());
    let logged_in = matches!(outcome, Outcome::Success { .. });
    let throttled = matches!(outcome, Outcome::IpThrottled);
    db::run_write(&state.pool, move |conn| {
        let actor = Actor {
            id: acct.as_ref().map(|a| a.id),
            name: u.clone(),
            ip: i.clone(),
        };
        let scope = acct
            .as_ref()
            .map(|a| a.org_path.clone())
            .unwrap_or_default();
        if logged_in {
            let id = acct.as_ref().map(|a| a.id).unwrap_or_default();
            models::start_session(conn, id, &t, &i)?;
            models::log_login(conn, &u, Some(id), true, "", &i)?;
            audit::record(
                conn,
                &actor,
                "login",
                "session",
                Some(id),
                &u,
                None::<&()>,
                None::<&()>,
                &scope,
            )?;
        } else {
            let reason = if throttled {
                "ip_throttled"
            } else {
                match &acct {
                    None => "unknown_user",
                    Some(a) if !a.active => "inactive",
                    Some(a) if a.locked_until.is_some_and(|l| l > db::now()) => "locked",
                    Some(a) => {
                        if models::register_failure(conn, a.id, threshold, lock_for)? {
                            "bad_password_locked"
                        } else {
                            "bad_password"
                        }
                    }
                }
            };
            models::log_login(conn, &u, acct.as_ref().map(|a| a.id), false, reason, &i)?;
            audit::record(
                conn,
                &actor,
                "login_failed",
                "session",
                acct.as_ref().map(|a| a.id),
                reason,
                None::<&()>,
                None::<&()>,
                &scope,
            )?;
        }
        Ok(())
    })
    .await?;

    match outcome {
        Outcome::Success { must_change } => {
            // A new session id: whatever id an attacker may have planted before login is useless.
            session.renew();
            session
                .insert(SID_KEY, &token)
                .map_err(|e| AppError::Internal(e.to_string()))?;
            csrf::rotate(&session);
            let next = if must_change {
                "/password".to_string()
            } else {
                safe_next(&form.next)
            };
            Ok(see_other(&next))
        }
        Outcome::Failed | Outcome::IpThrottled => {
            let (status, key) = if throttled {
                (StatusCode::TOO_MANY_REQUESTS, "login.throttled")
            } else {
                (StatusCode::UNAUTHORIZED, "login.failed")
            };
            let ctx = Ctx::build(&req, None);
            let page = LoginPage {
                ctx,
                username: form.username,
                next: form.next,
                error: Some(key),
                expired: false,
            };
            render_status(&page, status)
        }
    }
}

/// POST /logout — ends the session on the server, then forgets the cookie.
pub async fn logout(
    req: HttpRequest,
    user: Option<CurrentUser>,
    state: web::Data<AppState>,
    session: Session,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    if let Ok(Some(token)) = session.get::<String>(SID_KEY) {
        let hash = models::session_hash(&token);
        let ip = client_ip(&req, &state.settings);
        db::run_write(&state.pool, move |conn| {
            models::end_session(conn, &hash)?;
            if let Some(u) = user {
                audit::record(
                    conn,
                    &Actor {
                        id: Some(u.id),
                        name: u.username.clone(),
                        ip,
                    },
                    "logout",
                    "session",
                    Some(u.id),
                    &u.username,
                    None::<&()>,
                    None::<&()>,
                    &u.org_path,
                )?;
            }
            Ok(())
        })
        .await?;
    }
    session.purge();
    Ok(see_other("/login"))
}

/// GET /password
pub async fn password_form(req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let forced = user.must_change_password;
    crate::web::render_ok(&PasswordPage {
        ctx: Ctx::build(&req, Some(user)),
        forced,
        errors: FormErrors::new(),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    current: String,
    new_password: String,
    confirm: String,
}

/// POST /password — needs the current password; ends every other session of the account.
pub async fn change_password(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let mut errors = FormErrors::new();
    let uid = user.id;
    let hash = db::run(&state.pool, move |conn| models::password_hash_of(conn, uid)).await?;
    if !password::verify(&state, form.current.clone(), Some(hash)).await? {
        errors.add("current", "password.current_wrong");
    }
    password::check_policy(
        &state.settings,
        &mut errors,
        "new_password",
        &form.new_password,
        &user.username,
    );
    if form.new_password != form.confirm {
        errors.add("confirm", "password.mismatch");
    }
    if form.new_password == form.current && !form.current.is_empty() {
        errors.add("new_password", "password.same_as_old");
    }
    if !errors.is_empty() {
        let forced = user.must_change_password;
        let page = PasswordPage {
            ctx: Ctx::build(&req, Some(user)),
            forced,
            errors,
        };
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let new_hash = password::hash(&state, form.new_password).await?;
    let token = csrf::random_token();
    let (t, ip, actor, scope) = (
        token.clone(),
        user.ip.clone(),
        user.actor(),
        user.org_path.clone(),
    );
    db::run_write(&state.pool, move |conn| {
        models::set_password(conn, uid, &new_hash, false)?;
        models::end_all_sessions(conn, uid)?;
        models::start_session(conn, uid, &t, &ip)?;
        audit::record(
            conn,
            &actor,
            "change_password",
            "user",
            Some(uid),
            &actor.name,
            None::<&()>,
            None::<&()>,
            &scope,
        )
    })
    .await?;
    session.renew();
    session
        .insert(SID_KEY, &token)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    csrf::rotate(&session);
    flash(&session, "ok", "password.changed_flash", &[]);
    Ok(see_other("/"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LocaleForm {
    lang: String,
    next: String,
}

/// POST /locale — switches the language (a cookie, so the login page follows it too).
pub async fn set_locale(form: CsrfForm<LocaleForm>) -> AppResult<HttpResponse> {
    let lang = Lang::parse(&form.0.lang).unwrap_or_default();
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(actix_web::cookie::time::Duration::days(365))
        .finish();
    let mut res = see_other(&safe_next(&form.0.next));
    res.add_cookie(&cookie)
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(res)
}

/// GET /healthz — liveness: the process serves requests. (The benchmark's baseline, so it
/// stays free of database work.)
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
