//! GET /grids/{id}/patrols and its export: one `models::load` of the month, two renderings.

use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::Month;
use super::forms::{MonthQuery, parse_month};
use super::models::load;
use super::pages::{CalendarPage, EXPORT_HEADERS, export_row};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::ctx::Ctx;

async fn month(state: &AppState, user: &CurrentUser, id: i32, q: &MonthQuery) -> AppResult<Month> {
    let today = state.today();
    let first = parse_month(q.month.as_deref(), today)?;
    let u = user.clone();
    db::run(&state.pool, move |conn| load(conn, &u, id, first, today)).await
}

/// GET /grids/{id}/patrols?month=YYYY-MM
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &user, id.into_inner(), &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    crate::web::render_ok(&CalendarPage::new(ctx, m))
}

/// GET /grids/{id}/patrols/export.xlsx?month=YYYY-MM — one row per day of the month.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &user, id.into_inner(), &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let sep = ctx.t("patrol_calendar.separator");
    let rows: Vec<Vec<String>> = m.days.iter().map(|d| export_row(&ctx, &sep, d)).collect();
    let month = m.first.format("%Y-%m").to_string();
    crate::web::xlsx::respond(
        &ctx,
        &format!("patrol-calendar-{}-{month}.xlsx", m.grid.id),
        &month,
        &EXPORT_HEADERS,
        &rows,
    )
}
