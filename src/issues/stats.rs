//! The summary table `issue_stats`: one row per (unit, month, minor category) for the issue's grid
//! and every unit above it, so the figures of a street or a city-year read a few hundred rows
//! instead of millions of issues.
//!
//! The table is defined as the sum over all issues of [`contributions`]. Every change to an issue
//! subtracts the row's contributions before the change and adds those after it, in the same
//! transaction ([`apply_change`]); [`recount`] rebuilds it from scratch, and a test checks the
//! two agree.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::domain::State;
use super::models::Issue;
use crate::db::AnyConnection;
use crate::db::schema::issue_stats;
use crate::error::AppResult;

/// The counted figures of one (unit, month, category) cell — or of any sum of cells.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    /// 上报数: reported in the month.
    pub reported: i64,
    /// 立案数: registered in the month.
    pub registered: i64,
    /// 不予立案数 (by month reported).
    pub rejected: i64,
    /// 作废数 (by month reported).
    pub cancelled: i64,
    /// 结案数: closed in the month.
    pub closed: i64,
    /// 按期结案数: closed in the month, handled by the deadline (with approved extensions).
    pub closed_on_time: i64,
    /// 返工数: closed in the month after at least one failed verification (counted once).
    pub reworked: i64,
    /// Open issues with a running clock whose deadline falls in the month (all of them overdue
    /// once the month is over).
    #[serde(default)]
    pub open_due: i64,
    /// Minutes from report to closure, summed over the month's closed issues.
    pub handle_minutes: i64,
    /// Open issues (clock running) whose deadline fell in the month and has passed: not kept in
    /// the table (it changes with the clock), added when figures are read.
    #[serde(default)]
    pub overdue: i64,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.reported += o.reported;
        self.registered += o.registered;
        self.rejected += o.rejected;
        self.cancelled += o.cancelled;
        self.closed += o.closed;
        self.closed_on_time += o.closed_on_time;
        self.reworked += o.reworked;
        self.open_due += o.open_due;
        self.handle_minutes += o.handle_minutes;
        self.overdue += o.overdue;
    }

    fn sub(&mut self, o: &Tally) {
        let mut neg = *o;
        neg.negate();
        self.add(&neg);
    }

    fn negate(&mut self) {
        for v in [
            &mut self.reported,
            &mut self.registered,
            &mut self.rejected,
            &mut self.cancelled,
            &mut self.closed,
            &mut self.closed_on_time,
            &mut self.reworked,
            &mut self.open_due,
            &mut self.handle_minutes,
            &mut self.overdue,
        ] {
            *v = -*v;
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Tally::default()
    }
}

/// "2026-11" in the office's time zone.
pub fn month_of(t: NaiveDateTime, tz: chrono_tz::Tz) -> String {
    t.and_utc().with_timezone(&tz).format("%Y-%m").to_string()
}

/// A cell key below the unit: (month, minor category — or [`ALL`]).
pub type Cell = (String, i32);

/// The category id of a month's total over all categories (the rows a breakdown by unit reads).
pub const ALL: i32 = 0;

/// What one issue adds to the summary, per (month, category); the same for every unit on its
/// path.
pub fn contributions(i: &Issue, tz: chrono_tz::Tz) -> BTreeMap<Cell, Tally> {
    let mut out: BTreeMap<Cell, Tally> = BTreeMap::new();
    let reported_month = month_of(i.reported_at, tz);
    let cat = i.category_id;
    {
        let t = out.entry((reported_month.clone(), cat)).or_default();
        t.reported += 1;
        match State::parse(&i.state) {
            Some(State::Rejected) => t.rejected += 1,
            Some(State::Cancelled) => t.cancelled += 1,
            _ => {}
        }
    }
    if let Some(at) = i.registered_at {
        out.entry((month_of(at, tz), cat)).or_default().registered += 1;
    }
    if i.state == State::Closed.code()
        && let Some(closed) = i.closed_at
    {
        let t = out.entry((month_of(closed, tz), cat)).or_default();
        t.closed += 1;
        if i.on_time() {
            t.closed_on_time += 1;
        }
        if i.rework_count > 0 {
            t.reworked += 1;
        }
        t.handle_minutes += (closed - i.reported_at).num_minutes().max(0);
    }
    if State::parse(&i.state).is_some_and(State::clock_runs)
        && let Some(deadline) = i.deadline
    {
        out.entry((month_of(deadline, tz), cat))
            .or_default()
            .open_due += 1;
    }
    // Each month's total over all categories.
    let totals: Vec<(String, Tally)> = out.iter().map(|((m, _), t)| (m.clone(), *t)).collect();
    for (m, t) in totals {
        out.entry((m, ALL)).or_default().add(&t);
    }
    out
}

/// The unit ids on a materialized path ("/1/3/17/40/" → [1, 3, 17, 40]).
pub fn path_ids(path: &str) -> Vec<i32> {
    path.split('/').filter_map(|s| s.parse().ok()).collect()
}

/// Adds `delta` to one (unit, month, category) row, creating it if needed.
fn upsert(conn: &mut AnyConnection, unit_id: i32, cell: &Cell, d: &Tally) -> AppResult<()> {
    use diesel::sql_types::{BigInt, Integer, Text};
    // `$n` placeholders work on both backends (SQLite numbers `$`-parameters in order). Both
    // support INSERT … ON CONFLICT; diesel's MultiConnection DSL does not, hence raw SQL.
    diesel::sql_query(
        "INSERT INTO issue_stats (unit_id, month, category_id, reported, registered, rejected, \
         cancelled, closed, closed_on_time, reworked, open_due, handle_minutes) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (unit_id, month, category_id) DO UPDATE SET \
         reported = issue_stats.reported + excluded.reported, \
         registered = issue_stats.registered + excluded.registered, \
         rejected = issue_stats.rejected + excluded.rejected, \
         cancelled = issue_stats.cancelled + excluded.cancelled, \
         closed = issue_stats.closed + excluded.closed, \
         closed_on_time = issue_stats.closed_on_time + excluded.closed_on_time, \
         reworked = issue_stats.reworked + excluded.reworked, \
         open_due = issue_stats.open_due + excluded.open_due, \
         handle_minutes = issue_stats.handle_minutes + excluded.handle_minutes",
    )
    .bind::<Integer, _>(unit_id)
    .bind::<Text, _>(&cell.0)
    .bind::<Integer, _>(cell.1)
    .bind::<Integer, _>(d.reported as i32)
    .bind::<Integer, _>(d.registered as i32)
    .bind::<Integer, _>(d.rejected as i32)
    .bind::<Integer, _>(d.cancelled as i32)
    .bind::<Integer, _>(d.closed as i32)
    .bind::<Integer, _>(d.closed_on_time as i32)
    .bind::<Integer, _>(d.reworked as i32)
    .bind::<Integer, _>(d.open_due as i32)
    .bind::<BigInt, _>(d.handle_minutes)
    .execute(conn)?;
    Ok(())
}

/// Applies the change of one issue from `before` (None for a new issue) to `after`.
pub fn apply_change(
    conn: &mut AnyConnection,
    before: Option<&Issue>,
    after: &Issue,
    tz: chrono_tz::Tz,
) -> AppResult<()> {
    let mut delta = contributions(after, tz);
    if let Some(b) = before {
        for (cell, t) in contributions(b, tz) {
            delta.entry(cell).or_default().sub(&t);
        }
    }
    // The grid never changes, so before and after share one path.
    let units = path_ids(&after.scope_path);
    for (cell, d) in delta.iter().filter(|(_, d)| !d.is_zero()) {
        for unit in &units {
            upsert(conn, *unit, cell, d)?;
        }
    }
    Ok(())
}

/// Sums contributions of `issues` per (unit, month, category): the table's content by
/// definition. Used to rebuild it and to check it.
pub fn sum_up<'a>(
    issues: impl IntoIterator<Item = &'a Issue>,
    tz: chrono_tz::Tz,
) -> BTreeMap<(i32, Cell), Tally> {
    let mut out: BTreeMap<(i32, Cell), Tally> = BTreeMap::new();
    for i in issues {
        let units = path_ids(&i.scope_path);
        for (cell, t) in contributions(i, tz) {
            for unit in &units {
                out.entry((*unit, cell.clone())).or_default().add(&t);
            }
        }
    }
    out
}

/// The table as stored, without empty rows.
pub fn stored(conn: &mut AnyConnection) -> AppResult<BTreeMap<(i32, Cell), Tally>> {
    type Row = (
        i32,
        String,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i32,
        i64,
    );
    let rows: Vec<Row> = issue_stats::table
        .select((
            issue_stats::unit_id,
            issue_stats::month,
            issue_stats::category_id,
            issue_stats::reported,
            issue_stats::registered,
            issue_stats::rejected,
            issue_stats::cancelled,
            issue_stats::closed,
            issue_stats::closed_on_time,
            issue_stats::reworked,
            issue_stats::open_due,
            issue_stats::handle_minutes,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let t = Tally {
                reported: r.3.into(),
                registered: r.4.into(),
                rejected: r.5.into(),
                cancelled: r.6.into(),
                closed: r.7.into(),
                closed_on_time: r.8.into(),
                reworked: r.9.into(),
                open_due: r.10.into(),
                handle_minutes: r.11,
                overdue: 0,
            };
            ((r.0, (r.1, r.2)), t)
        })
        .filter(|(_, t)| !t.is_zero())
        .collect())
}

/// Rebuilds the table from the issues (after a bulk load, or to repair).
pub fn recount(conn: &mut AnyConnection, tz: chrono_tz::Tz) -> AppResult<usize> {
    let issues = super::models::all(conn)?;
    let sums = sum_up(&issues, tz);
    diesel::delete(issue_stats::table).execute(conn)?;
    for ((unit, cell), t) in &sums {
        upsert(conn, *unit, cell, t)?;
    }
    Ok(sums.len())
}
