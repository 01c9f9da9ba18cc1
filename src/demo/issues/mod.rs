//! Demo issues at the report's rates: about 15,000 a year per street (林山寨: 15,882 found by the
//! end of April 2013, 99.22% closed), each with its full timeline, deadlines on the real work
//! calendar, some rework, extensions, holds, rejections and cancellations, and the last days'
//! issues still in progress. The summary table is filled from the same rows.
//!
//! Rows are written with multi-row INSERTs of literal values (our own generated text, quoted):
//! a district-year is ~225,000 issues and 1.4 million timeline entries, which row-at-a-time
//! inserts would take many minutes to write.
//!
//! This module is the plan (how many issues each street reports each day, numbering, the
//! summary); `grids` reads where they happen, `timeline` lives each issue through to now,
//! `texts` words it, and `rows` writes it.

mod grids;
mod rows;
mod texts;
mod timeline;

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::bulk::{Bulk, q};
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::issues::domain;
use crate::issues::figures::domain::{self as stats, Cell, Tally};
use crate::issues::workflow::limit_of;
use grids::{Grid, load_grids};
use rows::{EVENT_COLUMNS, ISSUE_COLUMNS, write};
use timeline::{build, local, utc};

/// Issues a street reports on an average day (≈15,000 a year).
const PER_DAY: f64 = 15_000.0 / 365.0;

/// Generates `days` days of issues for every street, up to now; returns how many.
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<usize> {
    if days == 0 {
        return Ok(0);
    }
    let grids = load_grids(conn)?;
    if grids.is_empty() {
        return Ok(0);
    }
    let cats: Vec<(i32, String, i32, String)> = crate::issues::models::categories(conn)?
        .into_iter()
        .filter(|c| c.parent_id.is_some() && c.active)
        .map(|c| (c.id, c.name, c.limit_value, c.limit_unit))
        .collect();
    let start = today - Duration::days(days as i64);
    let cal: WorkCalendar = crate::calendar::models::load(
        conn,
        start - Duration::days(1),
        today + Duration::days(400),
    )?;
    let now = crate::db::now();
    let mut streets: BTreeMap<String, Vec<&Grid>> = BTreeMap::new();
    for g in &grids {
        streets.entry(g.street_code.clone()).or_default().push(g);
    }
    let first_id: i32 = crate::db::schema::issues::table
        .select(diesel::dsl::max(crate::db::schema::issues::id))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_id = first_id;
    let mut seq: HashMap<(String, i32), i32> = HashMap::new();
    let mut summary: BTreeMap<(i32, Cell), Tally> = BTreeMap::new();
    let mut issues = Bulk::new("issues", ISSUE_COLUMNS);
    let mut events = Bulk::new("issue_events", EVENT_COLUMNS);
    // Today's issues too, as far as the day has got: they wait to be registered and dispatched.
    for back in (0..=days as i64).rev() {
        let day = today - Duration::days(back);
        let weekend = !cal.is_workday(day);
        for (code, street_grids) in &streets {
            let mean = if weekend {
                PER_DAY * 0.5
            } else {
                PER_DAY * 1.2
            };
            let n = rng.random_range((mean * 0.7) as u32..=(mean * 1.3) as u32);
            for _ in 0..n {
                let g = street_grids[rng.random_range(0..street_grids.len())];
                let (cat_id, cat_name, limit_value, limit_unit) =
                    &cats[rng.random_range(0..cats.len())];
                let reported = utc(day.and_time(
                    NaiveTime::from_hms_opt(7, 30, 0).unwrap_or(NaiveTime::MIN)
                        + Duration::minutes(rng.random_range(0..660)),
                ));
                if reported > now {
                    continue;
                }
                let mut issue = build(
                    rng,
                    &cal,
                    now,
                    g,
                    (*cat_id, cat_name, limit_of(*limit_value, limit_unit)),
                    reported,
                    next_id,
                );
                let year = local(reported).date().format("%Y").to_string();
                let year: i32 = year.parse().unwrap_or(2026);
                let s = seq.entry((code.clone(), year)).or_insert(0);
                *s += 1;
                issue.0.number = domain::number(code, year, *s);
                write(conn, &mut issues, &mut events, &issue.0, &issue.1)?;
                for (cell, t) in stats::contributions(&issue.0, chrono_tz::Asia::Shanghai) {
                    for unit in stats::path_ids(&issue.0.scope_path) {
                        summary.entry((unit, cell.clone())).or_default().add(&t);
                    }
                }
                next_id += 1;
            }
        }
    }
    issues.flush(conn)?;
    events.flush(conn)?;
    let mut counters = Bulk::new("issue_counters", "prefix, year, last_value");
    for ((prefix, year), last) in &seq {
        counters.push(conn, format!("({}, {year}, {last})", q(prefix)))?;
    }
    counters.flush(conn)?;
    let mut rows = Bulk::new(
        "issue_stats",
        "unit_id, month, category_id, reported, registered, rejected, cancelled, closed, \
         closed_on_time, reworked, open_due, handle_minutes",
    );
    for ((unit, (month, cat)), t) in &summary {
        rows.push(
            conn,
            format!(
                "({unit}, {}, {cat}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                q(month),
                t.reported,
                t.registered,
                t.rejected,
                t.cancelled,
                t.closed,
                t.closed_on_time,
                t.reworked,
                t.open_due,
                t.handle_minutes
            ),
        )?;
    }
    rows.flush(conn)?;
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequence; and its planner needs statistics of
        // the freshly loaded tables before autovacuum would get round to them.
        diesel::sql_query("SELECT setval('issues_id_seq', (SELECT MAX(id) FROM issues))")
            .execute(pg)?;
        diesel::sql_query("ANALYZE issues").execute(pg)?;
        diesel::sql_query("ANALYZE issue_events").execute(pg)?;
        diesel::sql_query("ANALYZE issue_stats").execute(pg)?;
    }
    Ok((next_id - first_id) as usize)
}
