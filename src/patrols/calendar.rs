//! A grid's patrol calendar (巡查日历): one month, weeks Monday to Sunday, each day with its kind
//! on the work calendar, its patrol logs (who, when or "nothing to report", visits and problems)
//! and — for a past working day without any log — a "missing" mark; the month's totals. It is
//! what a community clerk checks a grid worker's 日巡查、日走访 against and prints for the file,
//! and exports one row per day.
//!
//! The page and the export read the same `load`: three range queries on the month, each served by
//! an index — `patrols (grid_id, day, …)`, `patrol_visits (grid_id, day, household)` (the
//! households are counted from the index alone) and the work calendar's special days.

use std::collections::{BTreeMap, HashSet};

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use diesel::prelude::*;
use serde::Deserialize;

use crate::auth::CurrentUser;
use crate::calendar::domain::{WORKDAY, festival_key};
use crate::db::schema::{patrol_visits, patrols, users};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::models::{self as org_models, OrgUnit};
use crate::org::{Crumb, crumbs_for};
use crate::web::AppState;
use crate::web::ctx::Ctx;

#[derive(Debug, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// One patrol log as the calendar shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Log {
    pub id: i32,
    pub day: NaiveDate,
    pub worker: String,
    pub started_at: String,
    pub ended_at: String,
    pub quick: bool,
    pub sites_checked: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
}

impl Log {
    /// "08:30–10:45"; empty for a log without times.
    pub fn span(&self) -> String {
        match (self.started_at.is_empty(), self.ended_at.is_empty()) {
            (true, true) => String::new(),
            _ => format!("{}–{}", self.started_at, self.ended_at),
        }
    }
}

/// A day's kind on the work calendar: `work`, `rest` (a weekend), `holiday` (a weekday off) or
/// `moved` (a weekend day worked, 调休).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Work,
    Rest,
    Holiday,
    Moved,
}

impl Kind {
    pub fn code(self) -> &'static str {
        match self {
            Kind::Work => "work",
            Kind::Rest => "rest",
            Kind::Holiday => "holiday",
            Kind::Moved => "moved",
        }
    }

    pub fn is_workday(self) -> bool {
        matches!(self, Kind::Work | Kind::Moved)
    }
}

/// One day of the month.
#[derive(Debug, Clone)]
pub struct Day {
    pub date: NaiveDate,
    pub dom: u32,
    pub kind: Kind,
    /// The festival of a special day, as stored.
    pub festival: String,
    pub logs: Vec<Log>,
    pub visits: i64,
    pub households: usize,
    pub checks: i64,
    pub site_problems: i64,
    pub problems: i64,
    /// A working day before today without any log.
    pub missing: bool,
    pub is_today: bool,
    /// What the cell's corner says: the kind, or the festival, in the reader's language.
    pub label: String,
}

/// The month's figures.
#[derive(Debug, Clone, Default)]
pub struct Totals {
    pub working_days: usize,
    pub patrolled_days: usize,
    pub missing_days: usize,
    pub logs: usize,
    pub visits: i64,
    pub households: usize,
    pub checks: i64,
    pub site_problems: i64,
    pub problems: i64,
}

pub struct Month {
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    pub first: NaiveDate,
    pub days: Vec<Day>,
    pub totals: Totals,
}

/// The first day of the month `raw` names ("YYYY-MM"), this month when it is absent or blank.
pub fn parse_month(raw: Option<&str>, today: NaiveDate) -> AppResult<NaiveDate> {
    let Some(s) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today.with_day(1).unwrap_or(today));
    };
    let b = s.as_bytes();
    if b.len() != 7 || b[4] != b'-' {
        return Err(AppError::BadRequest);
    }
    let (Ok(y), Ok(m)) = (s[..4].parse::<i32>(), s[5..].parse::<u32>()) else {
        return Err(AppError::BadRequest);
    };
    match NaiveDate::from_ymd_opt(y, m, 1) {
        Some(d) if (2000..=2100).contains(&y) => Ok(d),
        _ => Err(AppError::BadRequest),
    }
}

/// The first day of the next month.
pub fn next_month(first: NaiveDate) -> NaiveDate {
    let (y, m) = if first.month() == 12 {
        (first.year() + 1, 1)
    } else {
        (first.year(), first.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(first)
}

/// The first day of the previous month.
pub fn prev_month(first: NaiveDate) -> NaiveDate {
    (first - Duration::days(1)).with_day(1).unwrap_or(first)
}

/// The logs of a grid in `[from, to)`, by day and time.
fn logs(
    conn: &mut AnyConnection,
    grid: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Log>> {
    Ok(patrols::table
        .inner_join(users::table.on(users::id.eq(patrols::worker_id)))
        .filter(patrols::grid_id.eq(grid))
        .filter(patrols::day.ge(from))
        .filter(patrols::day.lt(to))
        .order((patrols::day, patrols::started_at, patrols::id))
        .select((
            patrols::id,
            patrols::day,
            users::display_name,
            patrols::started_at,
            patrols::ended_at,
            patrols::quick,
            patrols::sites_checked,
            patrols::site_problems,
            patrols::visits,
            patrols::problems,
        ))
        .load(conn)?)
}

/// (day, household) of every visit of a grid in `[from, to)`: from the index alone.
fn households(
    conn: &mut AnyConnection,
    grid: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(NaiveDate, String)>> {
    Ok(patrol_visits::table
        .filter(patrol_visits::grid_id.eq(grid))
        .filter(patrol_visits::day.ge(from))
        .filter(patrol_visits::day.lt(to))
        .select((patrol_visits::day, patrol_visits::household))
        .load(conn)?)
}

/// The days of a month, pure: the special days of the work calendar, the logs and visits read.
pub fn build_days(
    first: NaiveDate,
    today: NaiveDate,
    special: &BTreeMap<NaiveDate, (bool, String)>,
    logs: Vec<Log>,
    visits: &[(NaiveDate, String)],
) -> (Vec<Day>, Totals) {
    let end = next_month(first);
    let mut days: Vec<Day> = first
        .iter_days()
        .take_while(|d| *d < end)
        .map(|date| {
            let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
            let (kind, festival) = match special.get(&date) {
                Some((true, f)) => (Kind::Moved, f.clone()),
                Some((false, f)) => (Kind::Holiday, f.clone()),
                None if weekend => (Kind::Rest, String::new()),
                None => (Kind::Work, String::new()),
            };
            Day {
                date,
                dom: date.day(),
                kind,
                festival,
                logs: Vec::new(),
                visits: 0,
                households: 0,
                checks: 0,
                site_problems: 0,
                problems: 0,
                missing: false,
                is_today: date == today,
                label: String::new(),
            }
        })
        .collect();
    let index = |d: NaiveDate| (d - first).num_days() as usize;
    let mut t = Totals {
        logs: logs.len(),
        ..Totals::default()
    };
    for log in logs {
        let Some(day) = days.get_mut(index(log.day)) else {
            continue;
        };
        day.visits += i64::from(log.visits);
        day.checks += i64::from(log.sites_checked);
        day.site_problems += i64::from(log.site_problems);
        day.problems += i64::from(log.problems);
        day.logs.push(log);
    }
    let mut per_day: Vec<HashSet<&str>> = vec![HashSet::new(); days.len()];
    let mut all: HashSet<&str> = HashSet::new();
    for (d, h) in visits {
        if let Some(set) = per_day.get_mut(index(*d)) {
            set.insert(h);
            all.insert(h);
        }
    }
    for (day, set) in days.iter_mut().zip(per_day) {
        day.households = set.len();
        day.missing = day.kind.is_workday() && day.date < today && day.logs.is_empty();
        t.working_days += usize::from(day.kind.is_workday());
        t.patrolled_days += usize::from(!day.logs.is_empty());
        t.missing_days += usize::from(day.missing);
        t.visits += day.visits;
        t.checks += day.checks;
        t.site_problems += day.site_problems;
        t.problems += day.problems;
    }
    t.households = all.len();
    (days, t)
}

/// The grid (in the user's scope, else 404) and its month.
pub fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    first: NaiveDate,
    today: NaiveDate,
) -> AppResult<Month> {
    let grid = org_models::get_grid(conn, user, grid_id)?;
    let crumbs = crumbs_for(conn, user, &grid)?;
    let end = next_month(first);
    let special: BTreeMap<NaiveDate, (bool, String)> =
        crate::calendar::models::list_year(conn, first.year())?
            .into_iter()
            .filter(|s| s.day >= first && s.day < end)
            .map(|s| (s.day, (s.kind == WORKDAY, s.festival)))
            .collect();
    let logs = logs(conn, grid.id, first, end)?;
    let visits = households(conn, grid.id, first, end)?;
    let (days, totals) = build_days(first, today, &special, logs, &visits);
    Ok(Month {
        grid,
        crumbs,
        first,
        days,
        totals,
    })
}

async fn month(state: &AppState, user: &CurrentUser, id: i32, q: &MonthQuery) -> AppResult<Month> {
    let today = state.today();
    let first = parse_month(q.month.as_deref(), today)?;
    let u = user.clone();
    db::run(&state.pool, move |conn| load(conn, &u, id, first, today)).await
}

/// The corner label of a day: its festival (translated when the seeded calendar named it), else
/// its kind.
fn label(ctx: &Ctx, d: &Day) -> String {
    if !d.festival.is_empty() && d.kind == Kind::Holiday {
        return festival_key(&d.festival)
            .map(|k| ctx.t(k))
            .unwrap_or_else(|| d.festival.clone());
    }
    ctx.t(format!("patrol_calendar.kind.{}", d.kind.code()))
}

#[derive(Template, WebTemplate)]
#[template(path = "patrols/calendar.html")]
pub struct CalendarPage {
    pub ctx: Ctx,
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    /// "2026-11", and the months before and after.
    pub month: String,
    pub prev: String,
    pub next: String,
    pub heading: String,
    /// Weeks Monday to Sunday; `None` for the days of the months around.
    pub weeks: Vec<Vec<Option<Day>>>,
    pub totals: Totals,
}

/// GET /grids/{id}/patrols?month=YYYY-MM
pub async fn show_patrol_calendar(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &user, id.into_inner(), &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let lead = m.first.weekday().num_days_from_monday() as usize;
    let mut cells: Vec<Option<Day>> = vec![None; lead];
    for mut d in m.days {
        d.label = label(&ctx, &d);
        cells.push(Some(d));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let weeks = cells.chunks(7).map(<[_]>::to_vec).collect();
    let heading = ctx.ta(
        "patrol_calendar.heading",
        &[
            ("year", m.first.year().to_string()),
            ("month", m.first.month().to_string()),
            (
                "month_name",
                ctx.t(format!("calendar.month.{}", m.first.month())),
            ),
        ],
    );
    crate::web::render_ok(&CalendarPage {
        month: m.first.format("%Y-%m").to_string(),
        prev: prev_month(m.first).format("%Y-%m").to_string(),
        next: next_month(m.first).format("%Y-%m").to_string(),
        heading,
        ctx,
        grid: m.grid,
        crumbs: m.crumbs,
        weeks,
        totals: m.totals,
    })
}

/// GET /grids/{id}/patrols/export.xlsx?month=YYYY-MM — one row per day of the month.
pub async fn export_patrol_calendar(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
    q: web::Query<MonthQuery>,
) -> AppResult<HttpResponse> {
    let m = month(&state, &user, id.into_inner(), &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let sep = ctx.t("patrol_calendar.separator");
    let headers = [
        "patrol_calendar.date",
        "patrol_calendar.weekday",
        "patrol_calendar.day_kind",
        "patrol_calendar.status",
        "patrol_calendar.logs",
        "patrol_calendar.workers",
        "patrol_calendar.times",
        "patrol_calendar.checks",
        "patrol_calendar.site_problems",
        "patrol_calendar.visits",
        "patrol_calendar.households",
        "patrol_calendar.problems",
    ];
    let rows: Vec<Vec<String>> = m
        .days
        .iter()
        .map(|d| {
            let status = if d.missing {
                "missing"
            } else if !d.logs.is_empty() {
                "patrolled"
            } else {
                "none"
            };
            let times: Vec<String> = d
                .logs
                .iter()
                .map(|l| {
                    if l.quick {
                        ctx.t("patrol_calendar.quick")
                    } else {
                        l.span()
                    }
                })
                .collect();
            vec![
                d.date.format("%Y-%m-%d").to_string(),
                ctx.t(format!(
                    "patrol_calendar.wd.{}",
                    d.date.weekday().number_from_monday()
                )),
                label(&ctx, d),
                ctx.t(format!("patrol_calendar.status.{status}")),
                d.logs.len().to_string(),
                d.logs
                    .iter()
                    .map(|l| l.worker.as_str())
                    .collect::<Vec<_>>()
                    .join(&sep),
                times.join(&sep),
                d.checks.to_string(),
                d.site_problems.to_string(),
                d.visits.to_string(),
                d.households.to_string(),
                d.problems.to_string(),
            ]
        })
        .collect();
    let month = m.first.format("%Y-%m").to_string();
    crate::web::xlsx::respond(
        &ctx,
        &format!("patrol-calendar-{}-{month}.xlsx", m.grid.id),
        &month,
        &headers,
        &rows,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn log(id: i32, day: &str, visits: i32) -> Log {
        Log {
            id,
            day: d(day),
            worker: "w".into(),
            started_at: "08:30".into(),
            ended_at: "10:00".into(),
            quick: false,
            sites_checked: 1,
            site_problems: 0,
            visits,
            problems: 1,
        }
    }

    #[test]
    fn months_parse_strictly_and_default_to_this_one() {
        let today = d("2026-11-27");
        assert_eq!(parse_month(None, today).unwrap(), d("2026-11-01"));
        assert_eq!(parse_month(Some(" "), today).unwrap(), d("2026-11-01"));
        assert_eq!(
            parse_month(Some("2027-02"), today).unwrap(),
            d("2027-02-01")
        );
        for bad in ["2026-13", "2026-1", "26-11", "2026/11", "1999-12", "x"] {
            assert!(parse_month(Some(bad), today).is_err(), "{bad}");
        }
        assert_eq!(next_month(d("2026-12-01")), d("2027-01-01"));
        assert_eq!(prev_month(d("2026-01-01")), d("2025-12-01"));
    }

    #[test]
    fn past_working_days_without_a_log_are_missing_and_totals_add_up() {
        // October 2026: 1–7 National Day holidays (weekdays among them stored as holidays),
        // Saturday 10 worked.
        let mut special = BTreeMap::new();
        for day in [
            "2026-10-01",
            "2026-10-02",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
        ] {
            special.insert(d(day), (false, "National Day".to_string()));
        }
        special.insert(d("2026-10-10"), (true, "National Day".to_string()));
        let logs = vec![
            log(1, "2026-10-08", 2),
            log(2, "2026-10-08", 1),
            log(3, "2026-10-12", 0),
        ];
        let visits = vec![
            (d("2026-10-08"), "a".to_string()),
            (d("2026-10-08"), "b".to_string()),
            (d("2026-10-08"), "a".to_string()),
        ];
        let (days, t) = build_days(d("2026-10-01"), d("2026-10-13"), &special, logs, &visits);
        assert_eq!(days.len(), 31);
        let kind = |s: &str| days[(d(s) - d("2026-10-01")).num_days() as usize].kind;
        assert_eq!(kind("2026-10-01"), Kind::Holiday);
        assert_eq!(kind("2026-10-03"), Kind::Rest);
        assert_eq!(kind("2026-10-10"), Kind::Moved);
        assert_eq!(kind("2026-10-08"), Kind::Work);
        let missing: Vec<u32> = days.iter().filter(|d| d.missing).map(|d| d.dom).collect();
        // 9 and 10 passed without a log; 13 is today, not yet missing.
        assert_eq!(missing, vec![9, 10]);
        // 22 weekdays, less 5 holidays, plus the Saturday worked.
        assert_eq!(t.working_days, 18);
        assert_eq!((t.logs, t.patrolled_days, t.missing_days), (3, 2, 2));
        assert_eq!((t.visits, t.households, t.checks, t.problems), (3, 2, 3, 3));
        assert_eq!(days[7].households, 2);
    }
}
