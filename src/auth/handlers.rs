//! Login, logout, password change and the language switch: extract, check, one database call,
//! page or 303. The queries are in `models`, the reasons for a refusal in `domain`.

use actix_session::Session;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::Failure;
use super::forms::{LocaleForm, LoginForm, NextQuery, PasswordForm};
use super::models::{self, Lockout};
use super::pages::{LoginPage, PasswordPage};
use super::password;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::{self, CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::current_user::CurrentUser;
use crate::web::forms::FormErrors;
use crate::web::i18n::{LANG_COOKIE, Lang};
use crate::web::session::SID_KEY;
use crate::web::{AppState, client_ip, render_status, safe_next, see_other};

/// The feature's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/login", web::get().to(login_form))
        .route("/login", web::post().to(login))
        .route("/logout", web::post().to(logout))
        .route("/password", web::get().to(password_form))
        .route("/password", web::post().to(change_password))
        .route("/locale", web::post().to(set_locale));
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
    let username = form.username();
    let ip = client_ip(&req, &state.settings);
    let s = &state.settings;
    let ip_limit = s.ip_failures_per_15min;
    let lockout = Lockout {
        threshold: s.lockout_threshold,
        lock_for: chrono::Duration::minutes(s.lockout_minutes),
    };
    let (u, i) = (username.clone(), ip.clone());
    let (throttled, account) = db::run(&state.pool, move |conn| {
        Ok((
            models::recent_ip_failures(conn, &i)? >= ip_limit,
            models::find_account(conn, &u)?,
        ))
    })
    .await?;
    let now = db::now();
    let failure = Failure::of(throttled, account.as_ref(), now);
    let locked = account
        .as_ref()
        .is_some_and(|a| a.locked_until.is_some_and(|t| t > now));
    // Only an account that may log in has its hash checked; an unknown or inactive one costs a
    // dummy hash, so the time taken tells nothing. Throttled and locked cost nothing.
    let ok = match (failure, &account) {
        (Failure::IpThrottled, _) => false,
        _ if locked => false,
        (Failure::BadPassword, Some(a)) => {
            password::verify(&state, form.password.clone(), Some(a.password_hash.clone())).await?
        }
        _ => password::verify(&state, form.password.clone(), None).await?,
    };
    let token = csrf::random_token();
    let t = token.clone();
    let outcome = if ok { None } else { Some(failure) };
    let must_change = account.as_ref().is_some_and(|a| a.must_change_password);
    db::run_write(&state.pool, move |conn| match (outcome, &account) {
        (None, Some(a)) => models::record_login(conn, &username, a, &t, &ip),
        (failure, a) => {
            let failure = failure.unwrap_or(Failure::UnknownUser);
            models::record_failure(conn, &username, a.as_ref(), failure, &ip, lockout)
        }
    })
    .await?;
    match outcome {
        None => {
            start_browser_session(&session, &token)?;
            let next = if must_change {
                "/password".to_string()
            } else {
                safe_next(&form.next)
            };
            Ok(see_other(&next))
        }
        Some(failure) => {
            let (status, key) = if failure == Failure::IpThrottled {
                (StatusCode::TOO_MANY_REQUESTS, "login.throttled")
            } else {
                (StatusCode::UNAUTHORIZED, "login.failed")
            };
            let page = LoginPage {
                ctx: Ctx::build(&req, None),
                username: form.username,
                next: form.next,
                error: Some(key),
                expired: false,
            };
            render_status(&page, status)
        }
    }
}

/// Gives the browser a new session id holding `token`: whatever id an attacker may have
/// planted before login is useless, and the CSRF token changes with it.
fn start_browser_session(session: &Session, token: &str) -> AppResult<()> {
    session.renew();
    session
        .insert(SID_KEY, token)
        .map_err(|e| AppError::internal("session cookie", e))?;
    csrf::rotate(session);
    Ok(())
}

/// POST /logout — ends the session on the server, then forgets the cookie.
pub async fn logout(
    user: Option<CurrentUser>,
    state: web::Data<AppState>,
    session: Session,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    if let Ok(Some(token)) = session.get::<String>(SID_KEY) {
        let hash = models::session_hash(&token);
        db::run_write(&state.pool, move |conn| {
            models::record_logout(conn, &hash, user.as_ref())
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

/// POST /password — needs the current password; ends every other session of the account.
pub async fn change_password(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<PasswordForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let uid = user.id;
    let hash = db::run(&state.pool, move |conn| models::password_hash_of(conn, uid)).await?;
    let current_ok = password::verify(&state, form.current.clone(), Some(hash)).await?;
    let errors = form.check(&state.settings, &user.username, current_ok);
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
    let t = token.clone();
    db::run_write(&state.pool, move |conn| {
        models::record_password_change(conn, &user, &new_hash, &t)
    })
    .await?;
    start_browser_session(&session, &token)?;
    flash(&session, "ok", "password.changed_flash", &[]);
    Ok(see_other("/"))
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
        .map_err(|e| AppError::internal("language cookie", e))?;
    Ok(res)
}

/// GET /healthz — liveness: the process serves requests. (The benchmark's baseline, so it
/// stays free of database work.)
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain").body("ok")
}
