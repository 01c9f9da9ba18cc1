//! The pure rules of the issue figures (SPEC §4, research/mission-anchors.md §d.3): what one
//! issue adds to the summary table, the tallies and the rates computed from them, and months.
//!
//! The summary table `issue_stats` holds one row per (unit, month, minor category) for the
//! issue's grid and every unit above it. It is *defined* as the sum over all issues of
//! [`contributions`]: every change adds the contributions after it and subtracts those before
//! (`models::apply_change`), and [`sum_up`] gives the table's content from the issues to rebuild
//! or check it.
//!
//! Definitions (the "recommended" ones of §d.3):
//! - 应办结数 (due) = closed in the period + still open with a running clock whose deadline fell
//!   in the period and has passed (overdue cases cannot escape the denominator; 挂账 excluded).
//! - 办结率 = closed / due; 按期办结率 = closed on time / due (on time: handled by the deadline
//!   including approved extensions).
//! - 返工率 = closed after at least one failed verification / closed.
//! - 有效上报率 (registration rate) = registered / reported.
//! - Average handling time = minutes from report to closure / closed, in days.
//!
//! A rate whose denominator is 0 is "—", never 0% or 100%.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use serde::{Deserialize, Serialize};

use crate::issues::domain::State;
use crate::issues::models::Issue;

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

    pub fn sub(&mut self, o: &Tally) {
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

pub use crate::ratio::Rate;

/// The derived figures of a tally.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    pub due: i64,
    pub closure: Rate,
    pub on_time: Rate,
    pub rework: Rate,
    pub registration: Rate,
    /// Average days from report to closure; None without closed issues.
    pub avg_days: Option<f64>,
}

pub fn rates(t: &Tally) -> Rates {
    let due = t.closed + t.overdue;
    Rates {
        due,
        closure: Rate::new(t.closed, due),
        on_time: Rate::new(t.closed_on_time, due),
        rework: Rate::new(t.reworked, t.closed),
        registration: Rate::new(t.registered, t.reported),
        avg_days: (t.closed > 0).then(|| t.handle_minutes as f64 / t.closed as f64 / 1440.0),
    }
}

/// One month of a unit: per minor category and per child unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub by_category: BTreeMap<i32, Tally>,
    pub by_child: BTreeMap<i32, Tally>,
}

impl MonthFigures {
    pub fn total(&self) -> Tally {
        let mut t = Tally::default();
        for v in self.by_category.values() {
            t.add(v);
        }
        t
    }
}

/// A month as "2026-11" and its first day.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok()
}

/// The months from `from` to `to` inclusive ("2026-01" …), at most 120.
pub fn months_between(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let mut d = from.with_day(1).unwrap_or(from);
    while d <= to && out.len() < 120 {
        out.push(d.format("%Y-%m").to_string());
        d = d
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    out
}

/// The UTC bounds of local months `[first, last]`.
pub fn utc_bounds(
    first: &str,
    last: &str,
    tz: chrono_tz::Tz,
) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let lo = parse_month(first)?;
    let hi = parse_month(last)?.checked_add_months(chrono::Months::new(1))?;
    let utc = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.naive_utc())
    };
    Some((utc(lo)?, utc(hi)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(reported: i64, closed: i64, on_time: i64, reworked: i64, overdue: i64) -> Tally {
        Tally {
            reported,
            registered: reported - 2,
            closed,
            closed_on_time: on_time,
            reworked,
            handle_minutes: closed * 2 * 1440,
            overdue,
            ..Default::default()
        }
    }

    #[test]
    fn closure_rate_counts_overdue_open_cases_in_the_denominator() {
        // The seed's street: 15,882 found, 99.22% closed. With 15,758 closed and 124 overdue
        // open, 15,758 / 15,882 = 99.22%.
        let r = rates(&tally(15_882, 15_758, 15_600, 300, 124));
        assert_eq!(r.due, 15_882);
        assert_eq!(r.closure.display(), "99.2%");
        assert!((r.closure.percent().unwrap() - 99.219).abs() < 0.001);
        assert_eq!(r.on_time, Rate::new(15_600, 15_882));
        assert_eq!(r.rework, Rate::new(300, 15_758));
        assert_eq!(r.registration, Rate::new(15_880, 15_882));
        assert_eq!(r.avg_days, Some(2.0));
    }

    #[test]
    fn empty_denominators_show_a_dash_not_a_number() {
        let r = rates(&Tally::default());
        assert_eq!(r.closure.percent(), None);
        assert_eq!(r.closure.display(), "—");
        assert_eq!(r.rework.display(), "—");
        assert_eq!(r.avg_days, None);
        // Nothing closed but one overdue: 0%, not "—".
        let r = rates(&tally(3, 0, 0, 0, 1));
        assert_eq!(r.closure.display(), "0.0%");
    }

    #[test]
    fn months_are_listed_across_years() {
        let m = months_between(
            NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
        );
        assert_eq!(m, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(parse_month("2026-13"), None);
    }
}
