//! The monthly report's handlers: the report with its print, export and year view, freezing a
//! month.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::livelihood::domain;
use crate::livelihood::forms::{FreezeForm, ReportQuery};
use crate::livelihood::models::{self, Street, YearData};
use crate::livelihood::pages::{
    ReportPage, ReportRow, YearPage, YearRow, report_title, street_choices,
};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};

/// The audit log's name for a frozen month.
const MONTH: &str = "livelihood_month";

/// The streets in scope, the one asked for, and its year's data.
pub(in crate::livelihood) async fn load(
    state: &AppState,
    user: &CurrentUser,
    unit: &str,
    year: i32,
) -> AppResult<(Vec<Street>, Option<Street>, Option<YearData>)> {
    let (u, unit) = (user.clone(), unit.to_string());
    db::run(&state.pool, move |conn| {
        let streets = models::streets(conn, &u)?;
        let street = models::pick_street(&streets, &unit)?;
        let data = match &street {
            Some(s) => Some(models::year_data(conn, s.id, year)?),
            None => None,
        };
        Ok((streets, street, data))
    })
    .await
}

async fn report_page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    q: ReportQuery,
    printing: bool,
) -> AppResult<ReportPage> {
    let today = state.today();
    let (year, month, errors) = q.period(today);
    let (streets, street, data) = load(state, &user, &q.unit, year).await?;
    // The same street's indicators of the year before, for 同比.
    let last = match &street {
        Some(s) => {
            let id = s.id;
            Some(
                db::run(&state.pool, move |conn| {
                    models::year_data(conn, id, year - 1)
                })
                .await?,
            )
        }
        None => None,
    };
    let ctx = Ctx::build(req, Some(user.clone()));
    let rows = data
        .as_ref()
        .map(|d| {
            d.indicators
                .iter()
                .map(|i| {
                    let before = last.as_ref().and_then(|l| {
                        l.indicators
                            .iter()
                            .find(|p| p.name == i.name && p.count_unit == i.count_unit)
                            .map(|p| (p.summed, l.of(p.id)))
                    });
                    ReportRow::of(&ctx, i, &d.of(i.id), month, before)
                })
                .collect()
        })
        .unwrap_or_default();
    let frozen = data
        .as_ref()
        .is_some_and(|d| d.frozen.contains(&(month as i32)));
    let path = street.as_ref().map(|s| s.path.clone()).unwrap_or_default();
    let title = street
        .as_ref()
        .map(|s| report_title(&ctx, &s.name, year, month))
        .unwrap_or_else(|| ctx.t("livelihood.title"));
    Ok(ReportPage {
        streets: street_choices(&streets),
        may_freeze: street.is_some() && domain::may_freeze(&user, &path),
        may_keep: street.is_some() && domain::may_keep(&user, &path),
        future: domain::is_future(year, month, today),
        query: format!(
            "unit={}&year={year}&month={month}",
            street.as_ref().map(|s| s.id).unwrap_or_default()
        ),
        street,
        year,
        month,
        errors,
        rows,
        frozen,
        printing,
        title,
        q,
        ctx,
    })
}

/// GET /livelihood — the monthly report of a street (`?unit=&year=&month=`).
pub async fn report(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&report_page(&req, user, &state, q.into_inner(), false).await?)
}

/// GET /livelihood/print — the report on A4 in the shared print frame.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&report_page(&req, user, &state, q.into_inner(), true).await?)
}

/// GET /livelihood/export.xlsx — the report's rows.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let p = report_page(&req, user, &state, q.into_inner(), false).await?;
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.count_unit.clone(),
                r.office.clone(),
                r.month.clone(),
                r.cumulative.clone(),
                r.target.clone(),
                r.completion.clone(),
                r.schedule.clone(),
                r.pace.clone(),
                r.gap.clone(),
                r.last_year.clone(),
                r.year_on_year.clone(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &p.ctx,
        &format!("livelihood-{}-{:02}.xlsx", p.year, p.month),
        "livelihood",
        &[
            "livelihood.name",
            "livelihood.count_unit",
            "livelihood.office",
            "livelihood.this_month",
            "livelihood.cumulative",
            "livelihood.target",
            "livelihood.completion",
            "livelihood.schedule",
            "livelihood.pace",
            "livelihood.gap",
            "livelihood.last_year",
            "livelihood.year_on_year",
        ],
        &rows,
    )
}

/// GET /livelihood/year — twelve months by indicator.
pub async fn year(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let today = state.today();
    let (year, month, errors) = q.period(today);
    let upto = if year == chrono::Datelike::year(&today) {
        month
    } else {
        12
    };
    let (streets, street, data) = load(&state, &user, &q.unit, year).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&YearPage {
        streets: street_choices(&streets),
        rows: data
            .as_ref()
            .map(|d| {
                d.indicators
                    .iter()
                    .map(|i| YearRow::of(i, &d.of(i.id), upto))
                    .collect()
            })
            .unwrap_or_default(),
        frozen: data.map(|d| d.frozen).unwrap_or_default(),
        query: format!(
            "unit={}&year={year}",
            street.as_ref().map(|s| s.id).unwrap_or_default()
        ),
        street,
        year,
        month,
        errors,
        q,
        ctx,
    })
}

/// POST /livelihood/freeze — 报送: the street's month takes no more entries.
pub async fn freeze(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<FreezeForm>,
) -> AppResult<HttpResponse> {
    let f = form.0;
    let q = ReportQuery {
        unit: f.unit.clone(),
        year: f.year.clone(),
        month: f.month.clone(),
    };
    let (year, month, errors) = q.period(state.today());
    if !errors.is_empty()
        || f.month.trim().is_empty()
        || domain::is_future(year, month, state.today())
    {
        return Err(AppError::BadRequest);
    }
    let u = user.clone();
    let street = db::run(&state.pool, move |conn| {
        let streets = models::streets(conn, &u)?;
        models::pick_street(&streets, &f.unit)?.ok_or(AppError::NotFound)
    })
    .await?;
    if !domain::may_freeze(&user, &street.path) {
        return Err(AppError::Forbidden);
    }
    let (s, actor, uid) = (street.clone(), user.actor(), user.id);
    db::run_write(&state.pool, move |conn| {
        if models::freeze(conn, s.id, (year, month as i32), uid, db::now())? {
            let summary = format!("{} {year}-{month:02}", s.name);
            crate::audit::record(
                conn,
                &actor,
                "freeze_figures",
                MONTH,
                Some(s.id),
                &summary,
                None::<&()>,
                Some(&serde_json::json!({ "year": year, "month": month })),
                &s.path,
            )?;
        }
        Ok(())
    })
    .await?;
    crate::web::ctx::flash(&session, "ok", "livelihood.frozen_done", &[]);
    Ok(crate::web::see_other(&format!(
        "/livelihood?unit={}&year={year}&month={month}",
        street.id
    )))
}
