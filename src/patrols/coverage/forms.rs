//! The coverage page's query: the unit, the period and the idle threshold as typed, and as used.

use chrono::NaiveDate;
use serde::Deserialize;

use super::domain::week_start;
use crate::web::forms::FormErrors;
use crate::web::list;

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

/// Reads the period (default: this week up to today) and the idle threshold; a bad date leaves
/// both dates at their defaults, a bad threshold the setting's, each with its message.
pub fn parse(q: &CoverageQuery, today: NaiveDate, default_idle: i64) -> (Params, FormErrors) {
    let mut e = FormErrors::new();
    // One bad-date policy with the lists: the message beside the field (`web::list::period`).
    let period = list::period(&mut e, &q.from, &q.to);
    let monday = week_start(today);
    let (mut from, mut to) = (period.from.unwrap_or(monday), period.to.unwrap_or(today));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
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
}
