//! A grid's patrol month, pure: each day's kind on the work calendar, its logs, visits and
//! households, whether a past working day went without a log ("missing"), and the month's totals.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::models::{DayHousehold, Log};
use crate::org::models::OrgUnit;
use crate::web::crumbs::Crumb;

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

/// A grid's month as the page and the export show it.
pub struct Month {
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    pub first: NaiveDate,
    pub days: Vec<Day>,
    pub totals: Totals,
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

/// The days of a month, pure: the special days of the work calendar, the logs and visits read.
pub fn build_days(
    first: NaiveDate,
    today: NaiveDate,
    special: &BTreeMap<NaiveDate, (bool, String)>,
    logs: Vec<Log>,
    visits: &[DayHousehold],
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
    for v in visits {
        if let Some(set) = per_day.get_mut(index(v.day)) {
            set.insert(&v.household);
            all.insert(&v.household);
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
    fn months_turn_over_the_year() {
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
        let visits: Vec<DayHousehold> = ["a", "b", "a"]
            .into_iter()
            .map(|h| DayHousehold {
                day: d("2026-10-08"),
                household: h.into(),
            })
            .collect();
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
