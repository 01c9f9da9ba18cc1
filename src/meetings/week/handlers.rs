//! The leader's week (本周例会): which communities and streets in scope held their weekly meeting
//! this week, and the decisions whose deadline has passed while their issue is still open —
//! on screen, on A4 and as .xlsx.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate};

use super::forms::{WeekQuery, week_of};
use super::models::{At, Data, UnitWeek, WeekCache, load};
use super::pages::WeekPage;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::forms::FormErrors;
use crate::web::xlsx::Sheet;
use crate::web::{AppState, render_ok};

async fn data(
    state: &AppState,
    cache: web::Data<WeekCache>,
    user: &CurrentUser,
    q: &WeekQuery,
) -> AppResult<(NaiveDate, FormErrors, Data)> {
    let mut errors = FormErrors::new();
    let today = state.today();
    let monday = week_of(q, today, &mut errors);
    let at = At {
        now: db::now(),
        today,
        tz: state.tz,
    };
    let unit = q.unit.trim().parse::<i32>().ok();
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| {
        load(conn, &cache, &u, unit, monday, at)
    })
    .await?;
    Ok((monday, errors, d))
}

/// GET /meetings/week?week=&unit=
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<WeekCache>,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (monday, errors, d) = data(&state, cache, &user, &q).await?;
    let link = |d: NaiveDate| {
        format!(
            "/meetings/week?{}",
            crate::web::pagination::query_string(&[
                ("week", &d.to_string()),
                ("unit", q.unit.trim())
            ])
        )
    };
    render_ok(&WeekPage {
        ctx: Ctx::build(&req, Some(user)),
        prev: link(monday - Duration::days(7)),
        next: link(monday + Duration::days(7)),
        export_query: crate::web::pagination::query_string(&[
            ("week", &monday.to_string()),
            ("unit", q.unit.trim()),
        ]),
        q,
        errors,
        units: d.units,
        monday,
        sunday: monday + Duration::days(6),
        rows: d.week.rows.clone(),
        overdue: d.week.overdue.clone(),
        overdue_total: d.week.overdue_total,
    })
}

/// GET /meetings/week/export.xlsx — the two tables as two sheets.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<WeekCache>,
    q: web::Query<WeekQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (_, _, d) = data(&state, cache, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let t = |k: &str| ctx.t(k);
    let held = |r: &UnitWeek| {
        if r.held() {
            t("form.yes")
        } else {
            t("form.no")
        }
    };
    let units = Sheet {
        name: t("week.sheet_units"),
        headers: vec![
            t("meetings.unit"),
            t("week.held"),
            t("meetings.day"),
            t("meetings.state_label"),
            t("meetings.items"),
            t("meetings.decided"),
        ],
        rows: d
            .week
            .rows
            .iter()
            .map(|r| {
                let m = r.meetings.first();
                vec![
                    r.name.clone(),
                    held(r),
                    m.map(|m| ctx.date(&m.day)).unwrap_or_default(),
                    m.map(|m| t(&format!("meetings.state.{}", m.state)))
                        .unwrap_or_default(),
                    m.map(|m| m.items.to_string()).unwrap_or_default(),
                    m.map(|m| m.decided.to_string()).unwrap_or_default(),
                ]
            })
            .collect(),
    };
    let late = Sheet {
        name: t("week.sheet_overdue"),
        headers: vec![
            t("meetings.unit"),
            t("week.meeting"),
            t("meetings.problem"),
            t("meetings.responsible"),
            t("meetings.deadline"),
            t("week.days_late"),
        ],
        rows: d
            .week
            .overdue
            .iter()
            .map(|o| {
                vec![
                    o.unit.clone(),
                    format!(
                        "{} {}",
                        t(&format!("meetings.kind.{}", o.kind)),
                        ctx.date(&o.day)
                    ),
                    format!("{} {}", o.number, o.title),
                    o.responsible.clone(),
                    ctx.date(&o.deadline),
                    o.days_late.to_string(),
                ]
            })
            .collect(),
    };
    crate::web::xlsx::respond_sheets("meetings-week.xlsx", &[units, late])
}
