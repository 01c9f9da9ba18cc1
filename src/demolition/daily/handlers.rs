//! Daily report handlers: the day's report (page, A4 printout, export) and a group's
//! submission, which freezes its counts.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::forms::{DayQuery, SubmitForm};
use super::models::{self, ReportFields};
use super::pages::{COLUMNS, DailyPage, DailyRow};
use crate::auth::CurrentUser;
use crate::db;
use crate::demolition::domain::{self, DayCounts};
use crate::demolition::handlers::load;
use crate::demolition::households::models::counted_steps;
use crate::demolition::models::{self as command_models, Command, Group};
use crate::error::AppResult;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::{AppState, render_ok};

const ENTITY: &str = "demolition_daily";

/// The day's rows per group: the submitted reports as frozen, the others computed from the
/// steps; with the groups.
async fn rows(
    state: &AppState,
    c: &Command,
    day: NaiveDate,
) -> AppResult<(Vec<Group>, Vec<DailyRow>)> {
    let id = c.id;
    db::run(&state.pool, move |conn| {
        let groups = command_models::groups(conn, id)?;
        let tallies = command_models::tallies(conn, id)?;
        let counts = domain::day_counts(&counted_steps(conn, id, day)?, day);
        let frozen: HashMap<i32, models::DailyReport> = models::of_day(conn, id, day)?
            .into_iter()
            .map(|r| (r.group_id, r))
            .collect();
        let rows = groups
            .iter()
            .map(|g| {
                let households = tallies.get(&g.id).map(|t| t.households).unwrap_or(0);
                let key = (g.id, g.name.as_str(), g.leader.as_str());
                match frozen.get(&g.id) {
                    Some(r) => {
                        let c = DayCounts {
                            signed_today: r.signed_today.into(),
                            signed_total: r.signed_total.into(),
                            moved_today: r.moved_today.into(),
                            moved_total: r.moved_total.into(),
                        };
                        DailyRow::new(key, households, c, &r.difficulties, true)
                    }
                    None => {
                        let c = counts.get(&g.id).copied().unwrap_or_default();
                        DailyRow::new(key, households, c, "", false)
                    }
                }
            })
            .collect();
        Ok((groups, rows))
    })
    .await
}

async fn page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    id: i32,
    q: &DayQuery,
) -> AppResult<DailyPage> {
    let c = load(state, &user, id, false).await?;
    let day = q.day(state.today());
    let (_, rows) = rows(state, &c, day).await?;
    let may = domain::may_write(&user, &c.scope_path);
    Ok(DailyPage::new(
        Ctx::build(req, Some(user)),
        c,
        day,
        rows,
        may,
    ))
}

/// GET /campaigns/demolition/{id}/daily?date=YYYY-MM-DD
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&page(&req, user, &state, path.into_inner(), &q).await?)
}

/// GET /campaigns/demolition/{id}/daily/print?date=YYYY-MM-DD — landscape A4.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&page(&req, user, &state, path.into_inner(), &q).await?)
}

/// GET /campaigns/demolition/{id}/daily/export.xlsx?date=YYYY-MM-DD
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<DayQuery>,
) -> AppResult<HttpResponse> {
    let p = page(&req, user, &state, path.into_inner(), &q).await?;
    let mut out: Vec<Vec<String>> = p.rows.iter().map(|r| r.cells(&p.ctx)).collect();
    let mut total = p.total.cells(&p.ctx);
    total[0] = p.ctx.t("demolition.total");
    total[10] = String::new();
    out.push(total);
    crate::web::xlsx::respond(&p.ctx, "demolition-daily.xlsx", "daily", &COLUMNS, &out)
}

/// POST /campaigns/demolition/{id}/daily — a group submits the day: its counts, computed from
/// the steps now, are kept and no longer change.
pub async fn submit(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<SubmitForm>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let form = form.0;
    let today = state.today();
    let day = DayQuery {
        date: form.date.clone(),
    }
    .day(today);
    let (groups, rows) = rows(&state, &c, day).await?;
    let invalid = |errors| {
        let mut p = DailyPage::new(
            Ctx::build(&req, Some(user.clone())),
            c.clone(),
            day,
            rows.clone(),
            true,
        );
        p.form = form.clone();
        p.errors = errors;
        edit::invalid(&p)
    };
    let s = match form.parse(&groups, c.started_on, today) {
        Ok(s) => s,
        Err(e) => return invalid(e),
    };
    let (actor, uid, cid, scope) = (user.actor(), user.id, c.id, c.scope_path.clone());
    let once = (form.form_token.clone(), user.id);
    let at = format!("/campaigns/demolition/{cid}/daily?date={}", s.day);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        if models::submitted(conn, s.group_id, s.day)? {
            return Ok(at);
        }
        let counts = domain::day_counts(&counted_steps(conn, cid, s.day)?, s.day);
        let n = counts.get(&s.group_id).copied().unwrap_or_default();
        let f = ReportFields {
            command_id: cid,
            group_id: s.group_id,
            day: s.day,
            signed_today: n.signed_today as i32,
            signed_total: n.signed_total as i32,
            moved_today: n.moved_today as i32,
            moved_total: n.moved_total as i32,
            difficulties: s.difficulties,
            submitted_by: Some(uid),
        };
        let rid = models::insert(conn, &f, db::now())?;
        let name = format!("{} {}", f.group_id, f.day);
        crate::audit::created(conn, &actor, ENTITY, rid, &name, &f, &scope)?;
        Ok(at)
    })
    .await
}
