//! When each unit meets: the schedule of the window, in the order the meetings begin.

use chrono::{Datelike, NaiveDate, NaiveTime};

use super::units::Unit;
use crate::calendar::WorkCalendar;
use crate::meetings::domain::{self, Kind};

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

/// A meeting to hold: which unit, what kind, when (local).
pub(super) struct Planned {
    pub(super) unit: usize,
    pub(super) kind: Kind,
    pub(super) day: NaiveDate,
    pub(super) start: NaiveTime,
    pub(super) end: NaiveTime,
}

/// The working days of `day`'s week, Monday first.
fn workdays_of_week(cal: &WorkCalendar, day: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
    domain::week_start(day)
        .iter_days()
        .take(7)
        .filter(|d| cal.is_workday(*d))
}

/// The day of a month's supervision meeting: the first working day from the 25th.
fn supervision_day(cal: &WorkCalendar, day: NaiveDate) -> Option<NaiveDate> {
    day.with_day(25)?
        .iter_days()
        .take_while(|d| d.month() == day.month())
        .find(|d| cal.is_workday(*d))
}

/// Every meeting of the window in the order they begin (units in tree order at the same time):
/// an issue's "discussed before" counts meetings of any unit, so they are generated in time.
pub(super) fn plan(
    units: &[Unit],
    cal: &WorkCalendar,
    start: NaiveDate,
    today: NaiveDate,
) -> Vec<Planned> {
    let mut out = Vec::new();
    for day in start.iter_days().take_while(|d| *d <= today) {
        if !cal.is_workday(day) {
            continue;
        }
        let first = workdays_of_week(cal, day).next() == Some(day);
        let last = workdays_of_week(cal, day).last() == Some(day);
        let supervision = supervision_day(cal, day) == Some(day);
        let mut today_s = Vec::new();
        for (i, u) in units.iter().enumerate() {
            let mut add = |kind, start, end| {
                today_s.push(Planned {
                    unit: i,
                    kind,
                    day,
                    start,
                    end,
                })
            };
            if u.street {
                if supervision {
                    add(Kind::Supervision, hm(10, 0), hm(11, 30));
                }
                if last {
                    add(Kind::Weekly, hm(15, 0), hm(16, 30));
                }
            } else {
                add(Kind::Huddle, hm(8, 30), hm(8, 50));
                if first {
                    add(Kind::Weekly, hm(9, 0), hm(10, 30));
                }
            }
        }
        today_s.sort_by_key(|p| (p.start, p.unit));
        out.extend(today_s);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn weeks_and_months_find_their_working_days() {
        // 2026-10-01..07 is the National Day holiday, the 10th (a Saturday) a moved working day.
        let cal = WorkCalendar::new(
            (1..=7)
                .map(|x| (d(10, x), false))
                .chain([(d(10, 10), true)]),
        );
        assert_eq!(workdays_of_week(&cal, d(10, 1)).last(), Some(d(9, 30)));
        assert_eq!(workdays_of_week(&cal, d(10, 8)).next(), Some(d(10, 8)));
        assert_eq!(workdays_of_week(&cal, d(10, 8)).last(), Some(d(10, 10)));
        // 2026-04-25 is a Saturday.
        assert_eq!(supervision_day(&cal, d(4, 10)), Some(d(4, 27)));
    }
}
