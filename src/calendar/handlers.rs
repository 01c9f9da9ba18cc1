use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};

use super::domain::root_path;
use super::forms::{BulkErrors, BulkForm, CalendarQuery, parse_year};
use super::models::{self, SpecialDay};
use super::pages::{CalendarPage, DayRow, EXPORT_COLUMNS};
use crate::audit::{self, Actor};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::list;
use crate::web::{AppState, render_ok, render_status, see_other};

/// The page's data for `year`: its special days and working days per month.
fn year_data(conn: &mut AnyConnection, year: i32) -> AppResult<(Vec<SpecialDay>, [u32; 12])> {
    let rows = models::list_year(conn, year)?;
    let cal = super::domain::WorkCalendar::new(rows.iter().map(|r| (r.day, r.is_workday())));
    let months = cal.working_days_per_month(year);
    Ok((rows, months))
}

async fn page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    year: i32,
    form: BulkForm,
    errors: BulkErrors,
) -> AppResult<CalendarPage> {
    let (rows, months) = db::run(&state.pool, move |conn| year_data(conn, year)).await?;
    let ctx = Ctx::build(req, Some(user));
    Ok(CalendarPage {
        rows: rows.iter().map(|r| DayRow::new(&ctx, r)).collect(),
        months: (1..=12).zip(months).collect(),
        total: months.iter().sum(),
        ctx,
        year,
        form,
        errors: errors.errors,
        line_errors: errors.lines,
    })
}

/// GET /calendar?year=2026 — every logged-in user may read it.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<CalendarQuery>,
) -> AppResult<HttpResponse> {
    let year = q.year(state.today())?;
    let form = BulkForm {
        year: year.to_string(),
        ..Default::default()
    };
    render_ok(&page(&req, user, &state, year, form, BulkErrors::default()).await?)
}

fn summary(r: &SpecialDay) -> String {
    format!("{} {} {}", r.day.format("%Y-%m-%d"), r.kind, r.festival)
        .trim_end()
        .to_string()
}

/// POST /calendar/days — adds or replaces the pasted days, all or none, each change audited.
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<BulkForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let form = form.0;
    let shown = match parse_year(&form.year) {
        Some(Ok(y)) => y,
        _ => state.today().year(),
    };
    let days = match form.parse() {
        Ok(days) => days,
        Err(errors) => {
            let p = page(&req, user, &state, shown, form, errors).await?;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let year = days.first().map_or(shown, |d| d.day.year());
    let count = days.len();
    let (actor, scope) = (user.actor(), root_path(&user.org_path));
    db::run_write(&state.pool, move |conn| {
        for row in &days {
            let before = models::get(conn, row.day)?;
            if before.as_ref() == Some(row) {
                continue;
            }
            models::put(conn, row)?;
            let action = if before.is_some() { "update" } else { "create" };
            record(
                conn,
                &actor,
                action,
                row,
                before.as_ref(),
                Some(row),
                &scope,
            )?;
        }
        Ok(())
    })
    .await?;
    flash(
        &session,
        "ok",
        "calendar.saved_flash",
        &[("count", count.to_string())],
    );
    Ok(see_other(&format!("/calendar?year={year}")))
}

fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    row: &SpecialDay,
    before: Option<&SpecialDay>,
    after: Option<&SpecialDay>,
    scope: &str,
) -> AppResult<()> {
    audit::record(
        conn,
        actor,
        action,
        "work_calendar",
        None,
        &summary(row),
        before,
        after,
        scope,
    )
}

/// POST /calendar/{day}/delete — the day goes back to the weekend rule.
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    day: web::Path<String>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|_| AppError::NotFound)?;
    let (actor, scope) = (user.actor(), root_path(&user.org_path));
    db::run_write(&state.pool, move |conn| {
        let before = models::get(conn, day)?.ok_or(AppError::NotFound)?;
        models::delete(conn, day)?;
        record(conn, &actor, "delete", &before, Some(&before), None, &scope)
    })
    .await?;
    flash(&session, "ok", "flash.deleted", &[]);
    Ok(see_other(&format!("/calendar?year={}", day.year())))
}

/// GET /calendar/export — the export's first address, kept for bookmarks: 308 to
/// /calendar/export.xlsx with the same query string.
pub async fn export_moved(req: HttpRequest) -> HttpResponse {
    let to = match req.query_string() {
        "" => "/calendar/export.xlsx".to_string(),
        q => format!("/calendar/export.xlsx?{q}"),
    };
    HttpResponse::PermanentRedirect()
        .insert_header((actix_web::http::header::LOCATION, to))
        .finish()
}

/// GET /calendar/export.xlsx?year=2026 — the year's special days as .xlsx, the page's rows.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<CalendarQuery>,
) -> AppResult<HttpResponse> {
    let year = q.year(state.today())?;
    let rows = db::run(&state.pool, move |conn| models::list_year(conn, year)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let days = rows.iter().map(|r| DayRow::new(&ctx, r));
    let (name, sheet) = (format!("calendar-{year}.xlsx"), year.to_string());
    list::xlsx(&ctx, &name, &sheet, EXPORT_COLUMNS, days)
}
