//! Patrol coverage for leaders (/patrols/coverage, SPEC §3 日巡查、日走访): for a unit of the
//! user's scope, which grids were patrolled today and on every working day of this week, their
//! patrols, visits and households, the key sites overdue against their interval, the workers who
//! have logged nothing for days, and each worker's figures over a period; printable on A4 and
//! exported as four sheets. Queries in `coverage_models`.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, Duration, NaiveDate};
use serde::Deserialize;

use super::coverage_models::{self as m, UnitRow};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::models::OrgUnit;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors, mask_phone};
use crate::web::xlsx::{Sheet, respond_sheets};
use crate::web::{AppState, render_status};

/// The longest period the per-worker figures cover (a quarter): the visits of a district's
/// quarter are ~125,000 rows, a year's would be too many for one page view.
pub const MAX_PERIOD_DAYS: i64 = 92;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CoverageQuery {
    pub unit: String,
    pub from: String,
    pub to: String,
    pub idle: String,
}

/// The query as used: defaults for what was missing or wrong (with a message for the wrong).
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub idle: i64,
}

/// Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The first day of `d`'s quarter.
pub fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d)
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok()
}

/// Reads the period (default: this week up to today) and the idle threshold; a bad date leaves
/// both dates at their defaults, a bad threshold the setting's.
pub fn parse(q: &CoverageQuery, today: NaiveDate, default_idle: i64) -> (Params, FormErrors) {
    let mut e = FormErrors::new();
    let mut date = |field: &'static str, raw: &str, default: NaiveDate| {
        if raw.trim().is_empty() {
            return default;
        }
        parse_date(raw).unwrap_or_else(|| {
            e.add(field, "coverage.date_invalid");
            default
        })
    };
    let monday = week_start(today);
    let (mut from, mut to) = (date("from", &q.from, monday), date("to", &q.to, today));
    if e.is_empty() && from > to {
        e.add("to", "coverage.to_before_from");
    } else if e.is_empty() && (to - from).num_days() + 1 > MAX_PERIOD_DAYS {
        e.add_args(
            "to",
            "coverage.too_long",
            vec![("n", MAX_PERIOD_DAYS.to_string())],
        );
    }
    if !e.is_empty() {
        (from, to) = (monday, today);
    }
    let idle = if q.idle.trim().is_empty() {
        default_idle
    } else {
        match q.idle.trim().parse::<i64>() {
            Ok(n) if (1..=365).contains(&n) => n,
            _ => {
                e.add("idle", "coverage.idle_invalid");
                default_idle
            }
        }
    };
    (Params { from, to, idle }, e)
}

/// Days from `last` to `today`, None for never.
fn days_since(last: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    last.map(|d| (today - d).num_days())
}

/// A key site is overdue when more days than its interval have passed since its last check, or
/// it was never checked.
pub fn site_overdue(last: Option<NaiveDate>, interval: i32, today: NaiveDate) -> bool {
    days_since(last, today).is_none_or(|n| n > interval as i64)
}

/// A worker is idle when more than `n` whole days have passed since their last log (or they have
/// none): no log on the `n` days before today, nor today.
pub fn worker_idle(last: Option<NaiveDate>, n: i64, today: NaiveDate) -> bool {
    days_since(last, today).is_none_or(|d| d > n)
}

pub struct GridLine {
    pub id: i32,
    pub name: String,
    pub community: String,
    /// "yes", "quick" (only one-click "nothing to report" logs) or "no".
    pub today: &'static str,
    pub week_days: i64,
    pub week_full: bool,
    pub c: m::GridCounts,
    pub h: m::Households,
    pub overdue_sites: usize,
}

pub struct Community {
    pub name: String,
    pub grids: Vec<GridLine>,
    pub patrolled_today: usize,
}

pub struct SiteLine {
    pub name: String,
    pub kind: String,
    pub grid: String,
    pub community: String,
    pub interval: i32,
    pub last: Option<NaiveDate>,
    pub days: Option<i64>,
}

pub struct WorkerLine {
    pub name: String,
    pub grids: Vec<String>,
    pub phone: String,
    pub last: Option<NaiveDate>,
    pub days: Option<i64>,
    pub c: m::WorkerCounts,
    pub households: i64,
}

/// Everything the page and the export show.
pub struct Coverage {
    pub unit: OrgUnit,
    pub p: Params,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub today: NaiveDate,
    pub monday: NaiveDate,
    pub working_days: i64,
    pub communities: Vec<Community>,
    pub grids: usize,
    pub patrolled_today: usize,
    pub full_week: usize,
    pub sites: Vec<SiteLine>,
    pub idle: Vec<WorkerLine>,
    pub workers: Vec<WorkerLine>,
}

/// A unit's place in the tree: its ancestors' (sort order, id) from the top of the subtree.
fn tree_key(path: &str, units: &HashMap<i32, &UnitRow>) -> Vec<(i32, i32)> {
    path.split('/')
        .filter_map(|s| s.parse::<i32>().ok())
        .filter_map(|id| units.get(&id).map(|u| (u.sort_order, u.id)))
        .collect()
}

fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &CoverageQuery,
    today: NaiveDate,
    default_idle: i64,
) -> AppResult<Coverage> {
    let unit_id = q.unit.trim().parse::<i32>().unwrap_or(user.org_unit_id);
    let unit = crate::org::models::get_scoped(conn, user, unit_id)?;
    let (p, errors) = parse(q, today, default_idle);
    let monday = week_start(today);
    let cal = crate::calendar::models::load(conn, monday, today)?;
    let working: Vec<NaiveDate> = monday
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| cal.is_workday(*d))
        .collect();

    let mut rows = m::subtree_units(conn, &unit.path)?;
    if unit.kind == "grid"
        && let Some(parent) = unit.parent_id
    {
        let c = crate::org::models::get(conn, parent)?;
        rows.push(UnitRow {
            id: c.id,
            parent_id: c.parent_id,
            kind: c.kind,
            name: c.name,
            path: c.path,
            sort_order: c.sort_order,
        });
    }
    let units: HashMap<i32, &UnitRow> = rows.iter().map(|u| (u.id, u)).collect();
    let name_of = |id: Option<i32>| {
        id.and_then(|id| units.get(&id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let mut grid_rows: Vec<&UnitRow> = rows.iter().filter(|u| u.kind == "grid").collect();
    grid_rows.sort_by_cached_key(|g| tree_key(&g.path, &units));
    let order: HashMap<i32, usize> = grid_rows
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id, i))
        .collect();

    // Key sites first: the grid table counts the overdue ones.
    let mut overdue: HashMap<i32, usize> = HashMap::new();
    let mut sites: Vec<(SiteLine, usize)> = Vec::new();
    for s in m::sites(conn, &unit.path)? {
        if !site_overdue(s.last_check, s.patrol_days, today) {
            continue;
        }
        *overdue.entry(s.grid_id).or_default() += 1;
        let grid = units.get(&s.grid_id);
        sites.push((
            SiteLine {
                name: s.name,
                kind: s.kind,
                grid: grid.map(|g| g.name.clone()).unwrap_or_default(),
                community: name_of(grid.and_then(|g| g.parent_id)),
                interval: s.patrol_days,
                last: s.last_check,
                days: days_since(s.last_check, today),
            },
            order.get(&s.grid_id).copied().unwrap_or(usize::MAX),
        ));
    }
    // Most overdue first: never checked, then by days past the interval.
    sites.sort_by_key(|(s, o)| {
        (
            s.days.map(|d| -(d - s.interval as i64)).unwrap_or(i64::MIN),
            *o,
        )
    });

    let mut days: HashMap<i32, Vec<&m::DayRow>> = HashMap::new();
    let day_rows = m::logged_days(conn, &unit.path, monday, today)?;
    for d in &day_rows {
        days.entry(d.grid_id).or_default().push(d);
    }
    let mut counts: HashMap<i32, m::GridCounts> = m::grid_counts(conn, &unit.path, p.from, p.to)?
        .into_iter()
        .map(|c| (c.grid_id, c))
        .collect();
    let month_start = today.with_day(1).unwrap_or(today);
    let mut households: HashMap<i32, m::Households> =
        m::households(conn, &unit.path, month_start, quarter_start(today), today)?
            .into_iter()
            .map(|h| (h.grid_id, h))
            .collect();
    let mut communities: Vec<Community> = Vec::new();
    let (mut patrolled_today, mut full_week) = (0, 0);
    for g in &grid_rows {
        let logged = days.get(&g.id).map(Vec::as_slice).unwrap_or_default();
        let status = match logged.iter().find(|d| d.day == today) {
            Some(d) if d.all_quick == 1 => "quick",
            Some(_) => "yes",
            None => "no",
        };
        let week_full = working.iter().all(|w| logged.iter().any(|d| d.day == *w));
        let line = GridLine {
            id: g.id,
            name: g.name.clone(),
            community: name_of(g.parent_id),
            today: status,
            week_days: logged.len() as i64,
            week_full,
            c: counts.remove(&g.id).unwrap_or_default(),
            h: households.remove(&g.id).unwrap_or_default(),
            overdue_sites: overdue.get(&g.id).copied().unwrap_or(0),
        };
        patrolled_today += usize::from(status != "no");
        full_week += usize::from(week_full);
        match communities.last_mut() {
            Some(c) if c.name == line.community => {
                c.patrolled_today += usize::from(status != "no");
                c.grids.push(line);
            }
            _ => communities.push(Community {
                name: line.community.clone(),
                patrolled_today: usize::from(status != "no"),
                grids: vec![line],
            }),
        }
    }

    // Workers: those of the subtree's grids, and whoever else logged in them in the period.
    let mut workers: BTreeMap<i32, WorkerLine> = BTreeMap::new();
    let mut first_grid: HashMap<i32, usize> = HashMap::new();
    for w in m::workers(conn, &unit.path)? {
        let o = order.get(&w.grid_id).copied().unwrap_or(usize::MAX);
        let e = first_grid.entry(w.user_id).or_insert(o);
        *e = (*e).min(o);
        let line = workers.entry(w.user_id).or_insert_with(|| WorkerLine {
            name: w.name,
            grids: Vec::new(),
            phone: mask_phone(&w.phone),
            last: w.last_day,
            days: days_since(w.last_day, today),
            c: m::WorkerCounts::default(),
            households: 0,
        });
        line.grids.push(name_of(Some(w.grid_id)));
    }
    let idle: Vec<i32> = workers
        .iter()
        .filter(|(_, w)| worker_idle(w.last, p.idle, today))
        .map(|(id, _)| *id)
        .collect();
    let worker_counts = m::worker_counts(conn, &unit.path, p.from, p.to)?;
    let others: Vec<i32> = worker_counts
        .iter()
        .map(|c| c.worker_id)
        .filter(|id| !workers.contains_key(id))
        .collect();
    for (id, name) in m::user_names(conn, &others)? {
        workers.insert(
            id,
            WorkerLine {
                name,
                grids: Vec::new(),
                phone: String::new(),
                last: None,
                days: None,
                c: m::WorkerCounts::default(),
                households: 0,
            },
        );
    }
    for c in worker_counts {
        if let Some(w) = workers.get_mut(&c.worker_id) {
            w.c = c;
        }
    }
    for h in m::worker_households(conn, &unit.path, p.from, p.to)? {
        if let Some(w) = workers.get_mut(&h.worker_id) {
            w.households = h.households;
        }
    }
    let mut idle: Vec<WorkerLine> = idle
        .into_iter()
        .filter_map(|id| {
            let w = workers.get(&id)?;
            Some(WorkerLine {
                name: w.name.clone(),
                grids: w.grids.clone(),
                phone: w.phone.clone(),
                last: w.last,
                days: w.days,
                c: m::WorkerCounts::default(),
                households: 0,
            })
        })
        .collect();
    idle.sort_by_key(|w| (w.days.map(|d| -d).unwrap_or(i64::MIN), w.name.clone()));
    let mut workers: Vec<(i32, WorkerLine)> = workers.into_iter().collect();
    workers.sort_by_cached_key(|(id, w)| {
        (
            first_grid.get(id).copied().unwrap_or(usize::MAX),
            w.name.clone(),
        )
    });

    // The unit box: the units in scope above the grids, and this unit when it is a grid.
    let choices = crate::org::models::options(conn, user, true)?
        .into_iter()
        .filter(|(id, _, _, kind)| kind != "grid" || *id == unit.id)
        .map(|(id, name, depth, _)| {
            Choice::new(
                id,
                format!("{}{name}", "\u{3000}".repeat(depth.max(0) as usize)),
            )
        })
        .collect();
    Ok(Coverage {
        grids: grid_rows.len(),
        unit,
        p,
        errors,
        units: choices,
        today,
        monday,
        working_days: working.len() as i64,
        communities,
        patrolled_today,
        full_week,
        sites: sites.into_iter().map(|(s, _)| s).collect(),
        idle,
        workers: workers.into_iter().map(|(_, w)| w).collect(),
    })
}

/// "12/51 (23.5%)", or "—" for the rate of nothing.
fn share(n: usize, total: usize) -> String {
    if total == 0 {
        return format!("{n}/{total} (—)");
    }
    format!("{n}/{total} ({:.1}%)", n as f64 * 100.0 / total as f64)
}

#[derive(Template)]
#[template(path = "patrols/coverage.html")]
pub struct CoveragePage {
    pub ctx: Ctx,
    /// The filter as typed (kept on an error).
    pub q: CoverageQuery,
    /// The query of the figures shown, for the export link.
    pub export_query: String,
    pub period: String,
    pub summary_today: String,
    pub summary_week: String,
    pub c: Coverage,
}

impl CoveragePage {
    pub fn date_or_never(&self, d: &Option<NaiveDate>) -> String {
        match d {
            Some(d) => self.ctx.date(d),
            None => self.ctx.t("coverage.never"),
        }
    }

    pub fn days(&self, d: &Option<i64>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn joined(&self, names: &[String]) -> String {
        names.join(&self.ctx.t("coverage.sep"))
    }
}

async fn fetch(
    user: &CurrentUser,
    state: &AppState,
    q: CoverageQuery,
) -> AppResult<(Coverage, CoverageQuery)> {
    let (u, today, idle, qq) = (
        user.clone(),
        state.today(),
        state.settings.patrol_idle_days,
        q.clone(),
    );
    let c = db::run(&state.pool, move |conn| load(conn, &u, &qq, today, idle)).await?;
    Ok((c, q))
}

/// GET /patrols/coverage
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let (c, mut q) = fetch(&user, &state, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    if q.unit.trim().parse::<i32>().is_err() {
        q.unit = c.unit.id.to_string();
    }
    let status = if c.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CoveragePage {
        export_query: format!(
            "unit={}&from={}&to={}&idle={}",
            c.unit.id, c.p.from, c.p.to, c.p.idle
        ),
        period: ctx.ta(
            "coverage.period",
            &[
                ("from", ctx.date(&c.p.from)),
                ("to", ctx.date(&c.p.to)),
                ("today", ctx.date(&c.today)),
            ],
        ),
        summary_today: ctx.ta(
            "coverage.summary_today",
            &[("share", share(c.patrolled_today, c.grids))],
        ),
        summary_week: ctx.ta(
            "coverage.summary_week",
            &[
                ("share", share(c.full_week, c.grids)),
                ("days", c.working_days.to_string()),
            ],
        ),
        ctx,
        q,
        c,
    };
    render_status(&page, status)
}

/// GET /patrols/coverage/export.xlsx — the page's four tables, one sheet each.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let (c, _) = fetch(&user, &state, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let heads = |keys: &[&str]| keys.iter().map(|k| ctx.t(k)).collect::<Vec<_>>();
    let date_or_never = |d: &Option<NaiveDate>| match d {
        Some(d) => ctx.date(d),
        None => ctx.t("coverage.never"),
    };
    let days = |d: &Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
    let yes_no = |b: bool| ctx.t(if b { "form.yes" } else { "form.no" });
    let sep = ctx.t("coverage.sep");
    let grids = c
        .communities
        .iter()
        .flat_map(|cm| &cm.grids)
        .map(|g| {
            vec![
                g.community.clone(),
                g.name.clone(),
                ctx.t(format!("coverage.today_{}", g.today)),
                g.week_days.to_string(),
                c.working_days.to_string(),
                yes_no(g.week_full),
                g.c.patrols.to_string(),
                g.c.visits.to_string(),
                g.c.problems.to_string(),
                g.h.month.to_string(),
                g.h.quarter.to_string(),
                g.overdue_sites.to_string(),
            ]
        })
        .collect();
    let sites = c
        .sites
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                ctx.t(format!("site_kind.{}", s.kind)),
                s.grid.clone(),
                s.community.clone(),
                s.interval.to_string(),
                date_or_never(&s.last),
                days(&s.days),
            ]
        })
        .collect();
    let idle = c
        .idle
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                w.grids.join(&sep),
                w.phone.clone(),
                date_or_never(&w.last),
                days(&w.days),
            ]
        })
        .collect();
    let workers = c
        .workers
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                w.grids.join(&sep),
                w.c.days.to_string(),
                w.c.patrols.to_string(),
                w.c.visits.to_string(),
                w.households.to_string(),
                w.c.problems.to_string(),
            ]
        })
        .collect();
    let sheets = [
        Sheet {
            name: ctx.t("coverage.sheet_grids"),
            headers: heads(&[
                "coverage.community",
                "coverage.grid",
                "coverage.today",
                "coverage.week_days",
                "coverage.working_days",
                "coverage.week_full",
                "coverage.patrols",
                "coverage.visits",
                "coverage.problems",
                "coverage.households_month",
                "coverage.households_quarter",
                "coverage.overdue_sites",
            ]),
            rows: grids,
        },
        Sheet {
            name: ctx.t("coverage.sheet_sites"),
            headers: heads(&[
                "coverage.site",
                "coverage.kind",
                "coverage.grid",
                "coverage.community",
                "coverage.interval_days",
                "coverage.last_check",
                "coverage.days_since",
            ]),
            rows: sites,
        },
        Sheet {
            name: ctx.t("coverage.sheet_idle"),
            headers: heads(&[
                "coverage.worker",
                "coverage.worker_grids",
                "coverage.phone",
                "coverage.last_log",
                "coverage.days_since",
            ]),
            rows: idle,
        },
        Sheet {
            name: ctx.t("coverage.sheet_workers"),
            headers: heads(&[
                "coverage.worker",
                "coverage.worker_grids",
                "coverage.patrol_days",
                "coverage.patrols",
                "coverage.visits",
                "coverage.households",
                "coverage.problems",
            ]),
            rows: workers,
        },
    ];
    respond_sheets("patrol-coverage.xlsx", &sheets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    fn q(from: &str, to: &str, idle: &str) -> CoverageQuery {
        CoverageQuery {
            unit: String::new(),
            from: from.into(),
            to: to.into(),
            idle: idle.into(),
        }
    }

    #[test]
    fn weeks_and_quarters() {
        // 2026-11-27 is a Friday.
        assert_eq!(week_start(d("2026-11-27")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
        assert_eq!(quarter_start(d("2026-11-27")), d("2026-10-01"));
        assert_eq!(quarter_start(d("2026-03-31")), d("2026-01-01"));
    }

    #[test]
    fn the_period_defaults_to_this_week() {
        let today = d("2026-11-27");
        let (p, e) = parse(&q("", "", ""), today, 3);
        assert!(e.is_empty());
        assert_eq!(
            p,
            Params {
                from: d("2026-11-23"),
                to: today,
                idle: 3
            }
        );
        let (p, e) = parse(&q("2026-11-01", "2026-11-15", "7"), today, 3);
        assert!(e.is_empty());
        assert_eq!(
            (p.from, p.to, p.idle),
            (d("2026-11-01"), d("2026-11-15"), 7)
        );
    }

    #[test]
    fn bad_input_gets_messages_and_the_defaults() {
        let today = d("2026-11-27");
        let (p, e) = parse(&q("2026-13-01", "", "x"), today, 3);
        assert!(e.has("from") && e.has("idle"));
        assert_eq!(
            p,
            Params {
                from: d("2026-11-23"),
                to: today,
                idle: 3
            }
        );
        let (p, e) = parse(&q("2026-11-20", "2026-11-01", ""), today, 3);
        assert!(e.has("to"));
        assert_eq!(p.from, d("2026-11-23"));
        let (_, e) = parse(&q("2026-01-01", "2026-11-01", "0"), today, 3);
        assert!(e.has("to") && e.has("idle"));
        let (_, e) = parse(&q("2026-08-01", "2026-10-31", ""), today, 3);
        assert!(e.is_empty(), "92 days are allowed");
    }

    #[test]
    fn overdue_and_idle_count_whole_days() {
        let today = d("2026-11-27");
        assert!(site_overdue(None, 7, today));
        assert!(!site_overdue(Some(d("2026-11-20")), 7, today));
        assert!(site_overdue(Some(d("2026-11-19")), 7, today));
        assert!(!site_overdue(Some(d("2026-11-26")), 1, today));
        assert!(worker_idle(None, 3, today));
        assert!(!worker_idle(Some(d("2026-11-24")), 3, today));
        assert!(worker_idle(Some(d("2026-11-23")), 3, today));
    }

    #[test]
    fn shares() {
        assert_eq!(share(1, 4), "1/4 (25.0%)");
        assert_eq!(share(0, 0), "0/0 (—)");
    }
}
