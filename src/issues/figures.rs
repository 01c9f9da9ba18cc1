//! The issue figures (SPEC §4, research/mission-anchors.md §d.3): counts per month, category and
//! unit read from the summary table, the rates computed from them with their denominators, and
//! months frozen so a printed bulletin never changes.
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
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::domain::clock_states;
use super::stats::{Tally, month_of};
use crate::db::AnyConnection;
use crate::db::schema::{issue_frozen, issues, org_units};
use crate::error::{AppError, AppResult};

/// A rate with its numerator and denominator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub num: i64,
    pub den: i64,
}

impl Rate {
    pub fn new(num: i64, den: i64) -> Rate {
        Rate { num, den }
    }

    /// The percentage, or None when the denominator is 0.
    pub fn percent(&self) -> Option<f64> {
        (self.den > 0).then(|| self.num as f64 * 100.0 / self.den as f64)
    }

    /// "99.2%" or "—".
    pub fn display(&self) -> String {
        match self.percent() {
            Some(p) => format!("{p:.1}%"),
            None => "—".into(),
        }
    }
}

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

#[derive(QueryableByName)]
struct StatRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    key: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    month: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reported: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    registered: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    rejected: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    cancelled: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    closed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    closed_on_time: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    reworked: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    open_due: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    handle_minutes: i64,
}

impl StatRow {
    fn tally(&self) -> Tally {
        Tally {
            reported: self.reported,
            registered: self.registered,
            rejected: self.rejected,
            cancelled: self.cancelled,
            closed: self.closed,
            closed_on_time: self.closed_on_time,
            reworked: self.reworked,
            open_due: self.open_due,
            handle_minutes: self.handle_minutes,
            overdue: 0,
        }
    }
}

const SUMS: &str = "CAST(SUM(reported) AS BIGINT) AS reported, \
    CAST(SUM(registered) AS BIGINT) AS registered, CAST(SUM(rejected) AS BIGINT) AS rejected, \
    CAST(SUM(cancelled) AS BIGINT) AS cancelled, CAST(SUM(closed) AS BIGINT) AS closed, \
    CAST(SUM(closed_on_time) AS BIGINT) AS closed_on_time, \
    CAST(SUM(reworked) AS BIGINT) AS reworked, CAST(SUM(open_due) AS BIGINT) AS open_due, \
    CAST(SUM(handle_minutes) AS BIGINT) AS handle_minutes";

/// The UTC bounds of local months `[first, last]`.
fn utc_bounds(
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

/// The live figures of `unit` (its path and depth) for `months`, read from the summary table
/// plus the overdue open issues.
pub fn live(
    conn: &mut AnyConnection,
    unit_id: i32,
    unit_path: &str,
    unit_depth: i32,
    months: &[String],
    now: NaiveDateTime,
    tz: chrono_tz::Tz,
) -> AppResult<BTreeMap<String, MonthFigures>> {
    use diesel::sql_types::{Integer, Text};
    let mut out: BTreeMap<String, MonthFigures> = months
        .iter()
        .map(|m| (m.clone(), MonthFigures::default()))
        .collect();
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(out);
    };
    let by_cat: Vec<StatRow> = diesel::sql_query(format!(
        "SELECT category_id AS key, month, {SUMS} FROM issue_stats \
         WHERE unit_id = $1 AND category_id <> 0 AND month >= $2 AND month <= $3 \
         GROUP BY category_id, month"
    ))
    .bind::<Integer, _>(unit_id)
    .bind::<Text, _>(first)
    .bind::<Text, _>(last)
    .load(conn)?;
    for r in by_cat {
        if let Some(m) = out.get_mut(&r.month) {
            m.by_category.entry(r.key).or_default().add(&r.tally());
        }
    }
    // Every key column is an equality or IN list, so both backends seek the month totals of each
    // child (a city: 200 streets × 12 months) instead of passing all their category rows. The
    // months are "YYYY-MM" strings made by months_between, safe to write into the statement.
    let month_list = months
        .iter()
        .filter(|m| m.len() == 7 && m.bytes().all(|b| b.is_ascii_digit() || b == b'-'))
        .map(|m| format!("'{m}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let by_child: Vec<StatRow> = diesel::sql_query(format!(
        "SELECT unit_id AS key, month, {SUMS} FROM issue_stats \
         WHERE unit_id IN (SELECT id FROM org_units WHERE parent_id = $1) \
         AND month IN ({month_list}) AND category_id = 0 GROUP BY unit_id, month"
    ))
    .bind::<Integer, _>(unit_id)
    .load(conn)?;
    for r in by_child {
        if let Some(m) = out.get_mut(&r.month) {
            m.by_child.entry(r.key).or_default().add(&r.tally());
        }
    }
    // Overdue: in a month that is over, every open issue due in it (the table's open_due); in
    // the current month, those whose deadline has passed by now, read from the index.
    let this_month = month_of(now, tz);
    for f in out
        .iter_mut()
        .filter(|(m, _)| **m < this_month)
        .map(|(_, f)| f)
    {
        for t in f.by_category.values_mut().chain(f.by_child.values_mut()) {
            t.overdue = t.open_due;
        }
    }
    if let Some(f) = out.get_mut(&this_month)
        && let Some((lo, _)) = utc_bounds(&this_month, &this_month, tz)
    {
        let (plo, phi) = crate::db::subtree_range(unit_path);
        // By (state, deadline): one month of deadlines is a narrow range; the path is tested on
        // the index entry (`|| ''` keeps the planner from the path index, which would pass every
        // long-open issue of the unit).
        let rows: Vec<(i32, String)> = issues::table
            .filter(issues::state.eq_any(clock_states()))
            .filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(issues.scope_path || '') >= ")
                    .bind::<Text, _>(plo)
                    .sql(" AND (issues.scope_path || '') < ")
                    .bind::<Text, _>(phi),
            )
            .filter(issues::deadline.ge(lo))
            .filter(issues::deadline.lt(now))
            .select((issues::category_id, issues::scope_path))
            .load(conn)?;
        for (cat, path) in rows {
            f.by_category.entry(cat).or_default().overdue += 1;
            let ids = super::stats::path_ids(&path);
            if let Some(child) = ids.get(unit_depth as usize + 1) {
                f.by_child.entry(*child).or_default().overdue += 1;
            }
        }
    }
    Ok(out)
}

/// Frozen months of a unit: month → (figures, frozen at, frozen by).
pub fn frozen(
    conn: &mut AnyConnection,
    unit_id: i32,
    months: &[String],
) -> AppResult<BTreeMap<String, (MonthFigures, NaiveDateTime)>> {
    let rows: Vec<(String, String, NaiveDateTime)> = issue_frozen::table
        .filter(issue_frozen::unit_id.eq(unit_id))
        .filter(issue_frozen::month.eq_any(months))
        .select((
            issue_frozen::month,
            issue_frozen::figures,
            issue_frozen::frozen_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, json, at)| serde_json::from_str(&json).ok().map(|f| (m, (f, at))))
        .collect())
}

/// Freezes one past month of a unit. Returns false if it was frozen already.
pub fn freeze(
    conn: &mut AnyConnection,
    unit_id: i32,
    month: &str,
    figures: &MonthFigures,
    user_id: i32,
) -> AppResult<bool> {
    let exists: i64 = issue_frozen::table
        .filter(issue_frozen::unit_id.eq(unit_id))
        .filter(issue_frozen::month.eq(month))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(false);
    }
    let json = serde_json::to_string(figures).map_err(|e| AppError::Internal(e.to_string()))?;
    diesel::insert_into(issue_frozen::table)
        .values((
            issue_frozen::unit_id.eq(unit_id),
            issue_frozen::month.eq(month),
            issue_frozen::figures.eq(json),
            issue_frozen::frozen_by.eq(Some(user_id)),
            issue_frozen::frozen_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The child units of a unit: (id, name), in display order.
pub fn children(conn: &mut AnyConnection, unit_id: i32) -> AppResult<Vec<(i32, String)>> {
    Ok(org_units::table
        .filter(org_units::parent_id.eq(unit_id))
        .order((org_units::sort_order, org_units::id))
        .select((org_units::id, org_units::name))
        .load(conn)?)
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
