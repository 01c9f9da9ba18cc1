//! Demo patrols and household visits (日巡查、日走访): every grid logs one patrol on each working
//! day of the period, by one of its workers in turn. Shaped for the coverage pages: about 3% of
//! working days have no log, a few workers stopped logging 3–6 days ago, a quarter of the logs
//! are the one-click "patrolled, nothing to report"; the others have times, a route, checks of
//! the key sites their interval makes due (and some more, about 3% finding a problem) and up to
//! four visits to households of the grid's pool. The issues the demo reported from patrols
//! (source `patrol`) are linked to their grid's log of that day.
//!
//! Written like the demo issues (`super::bulk`): patrols get explicit ids so their checks,
//! visits and issue links can name them in the same multi-row INSERTs.

mod grids;
mod rows;
mod texts;

pub(super) use texts::ROADS;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::bulk::{Bulk, ts};
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::db::schema::patrols;
use crate::error::AppResult;
use grids::{load_grids, patrol_issues};
use rows::{PATROL_COLUMNS, SITE_COLUMNS, VISIT_COLUMNS, Writers, at, full_log, patrol_row};

/// Share of working days a grid has no log.
const MISSING: f64 = 0.03;
/// Share of grids one of whose workers stopped logging a few days ago.
const IDLE: f64 = 0.03;
/// Share of logs that are the one-click "nothing to report".
const QUICK: f64 = 0.25;
/// Share of key-site checks that find a problem.
const SITE_PROBLEM: f64 = 0.03;
/// Chance a site not yet due is checked anyway.
const EXTRA_CHECK: f64 = 0.15;
/// Households in a grid's pool.
const HOUSEHOLDS: usize = 120;
/// Weights of 0, 1, 2, 3 and 4 visits on a full log.
const VISIT_WEIGHTS: [u32; 5] = [8, 12, 25, 30, 25];

/// Generates the patrols of the `days` days up to `today` (local), today's as far as the day
/// has got; returns how many.
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<usize> {
    if days == 0 {
        return Ok(0);
    }
    let start = today - Duration::days(days as i64);
    let mut grids = load_grids(conn, rng, today)?;
    let linked = patrol_issues(conn, start)?;
    let cal: WorkCalendar = crate::calendar::models::load(conn, start, today)?;
    let now_local = crate::db::now() + Duration::hours(8);
    let first_id: i32 = patrols::table
        .select(diesel::dsl::max(patrols::id))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_id = first_id;
    let mut w = Writers {
        patrols: Bulk::new("patrols", PATROL_COLUMNS),
        sites: Bulk::new("patrol_sites", SITE_COLUMNS),
        visits: Bulk::new("patrol_visits", VISIT_COLUMNS),
        links: Bulk::new("patrol_issues", "patrol_id, issue_id"),
    };
    // Days with issues reported from patrols are full logs; the others are quick often enough
    // that about QUICK of all logs are.
    let workdays = start
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| cal.is_workday(*d))
        .count();
    let with_issues = linked.keys().filter(|(_, d)| cal.is_workday(*d)).count();
    let busy = with_issues as f64 / (grids.len() * workdays).max(1) as f64;
    let quick = (QUICK / (1.0 - busy).max(0.01)).min(0.9);
    let mut turn = 0usize;
    for day in start.iter_days().take_while(|d| *d <= today) {
        if !cal.is_workday(day) {
            continue;
        }
        turn += 1;
        for g in grids.iter_mut() {
            if !rng.random_bool(1.0 - MISSING) {
                continue;
            }
            let worker = g.workers[turn % g.workers.len()];
            if g.idle
                .is_some_and(|(who, from)| who == worker && day >= from)
            {
                continue;
            }
            let issues = linked
                .get(&(g.id, day))
                .map(Vec::as_slice)
                .unwrap_or_default();
            if issues.is_empty() && rng.random_bool(quick) {
                let logged = day.and_time(at(8, 30, rng.random_range(0..540)));
                if logged > now_local {
                    continue;
                }
                let row = patrol_row(next_id, g, worker, day, ("", ""), "", "", true, [0; 4]);
                w.patrols.push(
                    conn,
                    format!("{row}, {}, {})", ts(utc(logged)), ts(utc(logged))),
                )?;
                next_id += 1;
                continue;
            }
            if !full_log(
                conn, rng, &mut w, g, worker, day, issues, next_id, now_local,
            )? {
                continue;
            }
            next_id += 1;
        }
    }
    w.patrols.flush(conn)?;
    w.sites.flush(conn)?;
    w.visits.flush(conn)?;
    w.links.flush(conn)?;
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequence; the planner needs statistics of the
        // fresh tables before autovacuum would get round to them.
        diesel::sql_query("SELECT setval('patrols_id_seq', (SELECT MAX(id) FROM patrols))")
            .execute(pg)?;
        for t in ["patrols", "patrol_sites", "patrol_visits", "patrol_issues"] {
            diesel::sql_query(format!("ANALYZE {t}")).execute(pg)?;
        }
    }
    Ok((next_id - first_id) as usize)
}

/// Local (Asia/Shanghai, no daylight saving) → UTC.
fn utc(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::hours(8)
}
