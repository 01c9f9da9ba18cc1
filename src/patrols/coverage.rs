//! Patrol coverage for leaders (/patrols/coverage, SPEC §3 日巡查、日走访): for a unit of the
//! user's scope, which grids were patrolled today and on every working day of this week, their
//! patrols, visits and households, the key sites overdue against their interval, the workers who
//! have logged nothing for days, and each worker's figures over a period; printable on A4 and
//! exported as four sheets. Queries in `coverage_models`.

use std::collections::HashMap;
use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::coverage_data::{Cache, CoverageData, week_start};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::models::OrgUnit;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
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

/// Everything the page and the export show.
pub struct Coverage {
    pub unit: OrgUnit,
    pub p: Params,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub today: NaiveDate,
    pub d: Arc<CoverageData>,
}

fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &CoverageQuery,
    today: NaiveDate,
    default_idle: i64,
    cache: &Cache,
) -> AppResult<Coverage> {
    let unit_id = q.unit.trim().parse::<i32>().unwrap_or(user.org_unit_id);
    let unit = crate::org::models::get_scoped(conn, user, unit_id)?;
    let (p, errors) = parse(q, today, default_idle);
    let d = cache.get(conn, &unit, (unit.id, p.from, p.to, p.idle, today))?;
    // The unit box: the units in scope above the grids, and this unit (after its community)
    // when it is a grid.
    let mut options = crate::org::models::options(conn, user, false)?;
    if unit.kind == "grid" {
        let at = options
            .iter()
            .position(|o| Some(o.0) == unit.parent_id)
            .map_or(options.len(), |i| i + 1);
        options.insert(
            at,
            (unit.id, unit.name.clone(), unit.depth, unit.kind.clone()),
        );
    }
    let units = options
        .into_iter()
        .map(crate::org::models::choice)
        .collect();
    Ok(Coverage {
        unit,
        p,
        errors,
        units,
        today,
        d,
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
    pub unit: OrgUnit,
    pub p: Params,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub d: Arc<CoverageData>,
    pub l: Labels,
}

/// The labels repeated on every row, translated once per page (a district's page has ~2,000
/// rows; a lookup per row was a tenth of the time spent rendering it).
pub struct Labels {
    pub yes: String,
    pub quick: String,
    pub no: String,
    pub full: String,
    pub full_mark: String,
    pub never: String,
    pub sep: String,
    kinds: HashMap<String, String>,
    intervals: HashMap<i32, String>,
}

impl Labels {
    fn new(ctx: &Ctx, d: &CoverageData) -> Labels {
        let mut kinds = HashMap::new();
        let mut intervals = HashMap::new();
        for s in &d.sites {
            kinds
                .entry(s.kind.clone())
                .or_insert_with(|| ctx.t(format!("site_kind.{}", s.kind)));
            intervals
                .entry(s.interval)
                .or_insert_with(|| ctx.ta1("sites.every_n_days", "n", s.interval));
        }
        Labels {
            yes: ctx.t("coverage.today_yes"),
            quick: ctx.t("coverage.today_quick"),
            no: ctx.t("coverage.today_no"),
            full: ctx.t("coverage.week_full"),
            full_mark: ctx.t("coverage.week_full_mark"),
            never: ctx.t("coverage.never"),
            sep: ctx.t("coverage.sep"),
            kinds,
            intervals,
        }
    }

    /// Today's status ("yes", "quick", "no") in words.
    pub fn today(&self, code: &str) -> &str {
        match code {
            "yes" => &self.yes,
            "quick" => &self.quick,
            _ => &self.no,
        }
    }

    pub fn kind<'a>(&'a self, code: &'a str) -> &'a str {
        self.kinds.get(code).map_or(code, String::as_str)
    }

    pub fn interval(&self, n: &i32) -> &str {
        self.intervals.get(n).map_or("", String::as_str)
    }

    pub fn date_or_never(&self, d: &Option<NaiveDate>) -> String {
        match d {
            Some(d) => d.format("%Y-%m-%d").to_string(),
            None => self.never.clone(),
        }
    }

    /// Days since, "—" for never.
    pub fn days(&self, d: &Option<i64>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn joined(&self, names: &[String]) -> String {
        names.join(&self.sep)
    }
}

async fn fetch(
    user: &CurrentUser,
    state: &AppState,
    cache: web::Data<Cache>,
    q: CoverageQuery,
) -> AppResult<(Coverage, CoverageQuery)> {
    let (u, today, idle, qq) = (
        user.clone(),
        state.today(),
        state.settings.patrol_idle_days,
        q.clone(),
    );
    let c = db::run(&state.pool, move |conn| {
        load(conn, &u, &qq, today, idle, &cache)
    })
    .await?;
    Ok((c, q))
}

/// GET /patrols/coverage
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let (c, mut q) = fetch(&user, &state, cache, q.into_inner()).await?;
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
            &[("share", share(c.d.patrolled_today, c.d.grids))],
        ),
        summary_week: ctx.ta(
            "coverage.summary_week",
            &[
                ("share", share(c.d.full_week, c.d.grids)),
                ("days", c.d.working_days.to_string()),
            ],
        ),
        l: Labels::new(&ctx, &c.d),
        ctx,
        q,
        unit: c.unit,
        p: c.p,
        errors: c.errors,
        units: c.units,
        d: c.d,
    };
    render_status(&page, status)
}

/// GET /patrols/coverage/export.xlsx — the page's four tables, one sheet each.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let (c, _) = fetch(&user, &state, cache, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let heads = |keys: &[&str]| keys.iter().map(|k| ctx.t(k)).collect::<Vec<_>>();
    let (d, l) = (&c.d, Labels::new(&ctx, &c.d));
    let days = |d: &Option<i64>| d.map(|d| d.to_string()).unwrap_or_default();
    let yes_no = |b: bool| ctx.t(if b { "form.yes" } else { "form.no" });
    let grids = d
        .communities
        .iter()
        .flat_map(|cm| &cm.grids)
        .map(|g| {
            vec![
                g.community.clone(),
                g.name.clone(),
                l.today(g.today).to_string(),
                g.week_days.to_string(),
                d.working_days.to_string(),
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
    let sites = d
        .sites
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                l.kind(&s.kind).to_string(),
                s.grid.clone(),
                s.community.clone(),
                s.interval.to_string(),
                l.date_or_never(&s.last),
                days(&s.days),
            ]
        })
        .collect();
    let idle = d
        .idle
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                l.joined(&w.grids),
                w.phone.clone(),
                l.date_or_never(&w.last),
                days(&w.days),
            ]
        })
        .collect();
    let workers = d
        .workers
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                l.joined(&w.grids),
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
    fn shares() {
        assert_eq!(share(1, 4), "1/4 (25.0%)");
        assert_eq!(share(0, 0), "0/0 (—)");
    }
}
