//! The figures page, its export and the freezing of a month.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{FiguresQuery, Freeze, FreezeForm};
use super::models;
use super::pages::{FiguresPage, Tables, sheets};
use crate::auth::{CurrentUser, Role};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::xlsx::respond_sheets;
use crate::web::{AppState, render_status, see_other};

/// Leaders and admins freeze months.
fn can_freeze(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Leader | Role::Admin)
}

/// Reads the query's unit (the user's own by default) and period; the query comes back as read.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    q: FiguresQuery,
) -> AppResult<(models::UnitFigures, FiguresQuery, FormErrors)> {
    let p = q.period(state.today());
    let unit_id = q.unit.trim().parse::<i32>().unwrap_or(user.org_unit_id);
    let (u, months, tz) = (user.clone(), p.months, state.tz);
    let f = db::run(&state.pool, move |conn| {
        models::unit_figures(conn, &u, unit_id, &months, tz)
    })
    .await?;
    let q = FiguresQuery {
        unit: unit_id.to_string(),
        from: p.from,
        to: p.to,
    };
    Ok((f, q, p.errors))
}

/// GET /issues/figures
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    let (f, q, errors) = load(&state, &user, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let this_month = state.today().format("%Y-%m").to_string();
    let t = Tables::of(&f, &q, &ctx, can_freeze(&user), &this_month);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(&FiguresPage::new(ctx, f, q, errors, t), status)
}

/// GET /issues/figures/export.xlsx — the page's tables, one sheet each.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    let (f, q, _) = load(&state, &user, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let t = Tables::of(&f, &q, &ctx, false, "");
    respond_sheets("issue-figures.xlsx", &sheets(&ctx, &t))
}

/// POST /issues/figures/freeze — keeps a past month's figures of a unit as they are now.
pub async fn freeze(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<FreezeForm>,
) -> AppResult<HttpResponse> {
    if !can_freeze(&user) {
        return Err(AppError::Forbidden);
    }
    let this_month = state.today().format("%Y-%m").to_string();
    let (unit_id, month) = match form.0.parse(&this_month).ok_or(AppError::BadRequest)? {
        Freeze::Finished(unit_id, month) => (unit_id, month),
        Freeze::Unfinished(unit_id, month) => {
            flash(&session, "warn", "figures.unfinished", &[("month", month)]);
            return Ok(see_other(&format!("/issues/figures?unit={unit_id}")));
        }
    };
    let (u, tz, m) = (user.clone(), state.tz, month.clone());
    let done = db::run_write(&state.pool, move |conn| {
        models::freeze_month(conn, &u, unit_id, &m, tz)
    })
    .await?;
    let (level, key) = if done {
        ("ok", "figures.frozen_flash")
    } else {
        ("warn", "figures.already_frozen")
    };
    flash(&session, level, key, &[("month", month.clone())]);
    Ok(see_other(&format!(
        "/issues/figures?unit={unit_id}&from={month}&to={month}"
    )))
}
