//! The leader's week (本周例会): which communities and streets in scope held their weekly meeting
//! this week, and the decisions whose deadline has passed while their issue is still open —
//! on screen, on A4 and as .xlsx.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Duration, NaiveDate};
use diesel::prelude::*;
use serde::Deserialize;

use super::domain::{self, Kind, State};
use crate::auth::CurrentUser;
use crate::db::schema::{issues, meeting_items, meetings, org_units};
use crate::db::stamped::StampedCache;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::issues::domain::State as IssueState;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::Sheet;
use crate::web::{AppState, render_ok};

/// Overdue decisions listed at most (oldest deadline first).
const MAX_OVERDUE: usize = 300;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WeekQuery {
    /// Any day of the week shown (default: today).
    pub week: String,
    pub unit: String,
}

/// A unit's weekly meeting(s) of the week.
#[derive(Clone)]
pub struct UnitWeek {
    pub id: i32,
    pub name: String,
    pub street: bool,
    /// (meeting id, day, state, items, decided)
    pub meetings: Vec<(i32, NaiveDate, String, i32, i32)>,
}

impl UnitWeek {
    /// Held (or finalized) this week.
    pub fn held(&self) -> bool {
        self.meetings.iter().any(|m| m.2 != State::Draft.code())
    }
}

/// A decision as read: meeting id, item id, kind, day, unit id, unit name, issue id, issue
/// number, responsible, deadline, title.
type LateRow = (
    i32,
    i32,
    String,
    NaiveDate,
    i32,
    String,
    Option<i32>,
    String,
    String,
    Option<NaiveDate>,
    String,
);

/// A decision past its deadline whose issue is still open.
#[derive(Clone)]
pub struct OverdueDecision {
    pub meeting_id: i32,
    pub unit: String,
    pub kind: String,
    pub day: NaiveDate,
    pub item_id: i32,
    pub title: String,
    pub issue_id: Option<i32>,
    pub number: String,
    pub responsible: String,
    pub deadline: NaiveDate,
    pub days_late: i64,
}

#[derive(askama::Template)]
#[template(path = "meetings/week.html")]
pub struct WeekPage {
    pub ctx: Ctx,
    pub q: WeekQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
    pub prev: String,
    pub next: String,
    pub rows: Vec<UnitWeek>,
    pub overdue: Vec<OverdueDecision>,
    pub export_query: String,
}

impl WeekPage {
    pub fn held_count(&self) -> usize {
        self.rows.iter().filter(|r| r.held()).count()
    }
}

struct Data {
    units: Vec<Choice>,
    week: Arc<Week>,
}

/// A subtree's week: its units' weekly meetings and the overdue decisions.
pub struct Week {
    rows: Vec<UnitWeek>,
    overdue: Vec<OverdueDecision>,
}

/// Weeks by (subtree path, Monday, today) until a meeting, an agenda line, an issue event or an
/// audited change is written (see `crate::db::stamped`): a district's week reads the latest
/// decision of every open issue, and leaders reopen it far more often than it changes.
#[derive(Default)]
pub struct WeekCache(StampedCache<(String, NaiveDate, NaiveDate), Vec<Option<i32>>, Week>);

fn load(
    conn: &mut AnyConnection,
    cache: &WeekCache,
    user: &CurrentUser,
    unit: Option<i32>,
    monday: NaiveDate,
    today: NaiveDate,
) -> AppResult<Data> {
    let path = match unit {
        Some(id) => crate::org::models::get_scoped(conn, user, id)?.path,
        None => user.org_path.clone(),
    };
    let stamp = crate::db::stamped::max_ids(
        conn,
        &["meetings", "meeting_items", "issue_events", "audit_log"],
    )?;
    let week = cache
        .0
        .get_or_load((path.clone(), monday, today), stamp, || {
            read_week(conn, &path, monday, today)
        })?;
    let units = super::create::meeting_units(conn, user)?
        .into_iter()
        .map(crate::org::models::choice)
        .collect();
    Ok(Data { units, week })
}

fn read_week(
    conn: &mut AnyConnection,
    path: &str,
    monday: NaiveDate,
    today: NaiveDate,
) -> AppResult<Week> {
    let (lo, hi) = crate::db::subtree_range(path);
    let holders: Vec<(i32, String, String)> = org_units::table
        .filter(org_units::path.ge(&lo))
        .filter(org_units::path.lt(&hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((org_units::id, org_units::name, org_units::kind))
        .load(conn)?;
    let week: Vec<(i32, i32, NaiveDate, String, i32, i32)> = meetings::table
        .filter(meetings::day.ge(monday))
        .filter(meetings::day.le(monday + Duration::days(6)))
        .filter(meetings::scope_path.ge(&lo))
        .filter(meetings::scope_path.lt(&hi))
        .filter(meetings::kind.eq(Kind::Weekly.code()))
        .order((meetings::day, meetings::id))
        .select((
            meetings::id,
            meetings::unit_id,
            meetings::day,
            meetings::state,
            meetings::items,
            meetings::decided,
        ))
        .load(conn)?;
    let rows = holders
        .iter()
        .map(|(id, name, kind)| UnitWeek {
            id: *id,
            name: name.clone(),
            street: kind == "street",
            meetings: week
                .iter()
                .filter(|w| w.1 == *id)
                .map(|w| (w.0, w.2, w.3.clone(), w.4, w.5))
                .collect(),
        })
        .collect();
    let overdue = overdue_decisions(conn, &lo, &hi, today)?;
    Ok(Week { rows, overdue })
}

/// Decisions past their deadline whose issue is still open, for meetings in `[lo, hi)`: per
/// issue only its latest decision counts (a later meeting may have moved the deadline; a latest
/// decision taken above the user's scope supersedes theirs). Read from the open issues of the
/// subtree (the `(state, scope_path)` index), their latest decided line from the covering
/// `meeting_items_decisions` index, then only those lines by id — a long-open issue is on
/// hundreds of huddles, so reading all its lines made the page take seconds for a district.
fn overdue_decisions(
    conn: &mut AnyConnection,
    lo: &str,
    hi: &str,
    today: NaiveDate,
) -> AppResult<Vec<OverdueDecision>> {
    let open: Vec<&str> = crate::issues::domain::STATES
        .into_iter()
        .filter(|s| s.is_open())
        .map(IssueState::code)
        .collect();
    let issue_ids: Vec<i32> = issues::table
        .filter(issues::state.eq_any(&open))
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select(issues::id)
        .load(conn)?;
    // Each issue's latest decided line (the highest id: lines are written in the order they are
    // recorded), from the covering index alone; then those lines by primary key.
    let mut latest: Vec<Option<i32>> = Vec::new();
    for chunk in issue_ids.chunks(500) {
        latest.extend(
            meeting_items::table
                .filter(meeting_items::issue_id.eq_any(chunk))
                .filter(meeting_items::removed.eq(false))
                .filter(meeting_items::deadline.is_not_null())
                .group_by(meeting_items::issue_id)
                .select(diesel::dsl::max(meeting_items::id))
                .load::<Option<i32>>(conn)?,
        );
    }
    let item_ids: Vec<i32> = latest.into_iter().flatten().collect();
    let mut rows: Vec<LateRow> = Vec::new();
    for chunk in item_ids.chunks(500) {
        rows.extend(
            meeting_items::table
                .inner_join(meetings::table)
                .inner_join(issues::table)
                .inner_join(org_units::table.on(org_units::id.eq(meetings::unit_id)))
                .filter(meeting_items::id.eq_any(chunk))
                .filter(meetings::state.ne(State::Draft.code()))
                .filter(meetings::scope_path.ge(lo))
                .filter(meetings::scope_path.lt(hi))
                .select((
                    meetings::id,
                    meeting_items::id,
                    meetings::kind,
                    meetings::day,
                    meetings::unit_id,
                    org_units::name,
                    meeting_items::issue_id,
                    issues::number,
                    meeting_items::resp_name,
                    meeting_items::deadline,
                    meeting_items::title,
                ))
                .load::<LateRow>(conn)?,
        );
    }
    // The latest decision per issue (by meeting day, then line), listed if its deadline passed.
    rows.sort_by_key(|r| std::cmp::Reverse((r.3, r.1)));
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<OverdueDecision> = rows
        .into_iter()
        .filter(|r| r.6.is_some_and(|i| seen.insert(i)))
        .filter_map(|r| {
            let deadline = r.9.filter(|d| *d < today)?;
            Some(OverdueDecision {
                meeting_id: r.0,
                item_id: r.1,
                kind: r.2,
                day: r.3,
                unit: r.5,
                title: r.10,
                issue_id: r.6,
                number: r.7,
                responsible: r.8,
                deadline,
                days_late: (today - deadline).num_days(),
            })
        })
        .collect();
    out.sort_by_key(|o| (o.deadline, o.item_id));
    out.truncate(MAX_OVERDUE);
    Ok(out)
}

/// The week asked for (its Monday), or a message for the field.
fn week_of(q: &WeekQuery, today: NaiveDate, errors: &mut FormErrors) -> NaiveDate {
    let day = match q.week.trim() {
        "" => today,
        raw => NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap_or_else(|_| {
            errors.add("week", "form.date_invalid");
            today
        }),
    };
    domain::week_start(day)
}

async fn data(
    state: &AppState,
    cache: web::Data<WeekCache>,
    user: &CurrentUser,
    q: &WeekQuery,
) -> AppResult<(NaiveDate, FormErrors, Data)> {
    let mut errors = FormErrors::new();
    let today = state.today();
    let monday = week_of(q, today, &mut errors);
    let unit = q.unit.trim().parse::<i32>().ok();
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| {
        load(conn, &cache, &u, unit, monday, today)
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
                    m.map(|m| ctx.date(&m.1)).unwrap_or_default(),
                    m.map(|m| t(&format!("meetings.state.{}", m.2)))
                        .unwrap_or_default(),
                    m.map(|m| m.3.to_string()).unwrap_or_default(),
                    m.map(|m| m.4.to_string()).unwrap_or_default(),
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
