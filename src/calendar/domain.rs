//! Working days and deadlines (时限): China's official calendar is weekdays worked and weekends
//! off, except the days the State Council moves every year — a `holiday` on a weekday (节假日) and
//! a `workday` on a weekend (调休上班). Only those special days are stored; every rule here is pure
//! and unit-tested against the real seeded rows.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

/// A time limit: whole working days, or working hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Days(i32),
    Hours(i32),
}

/// Working time on a working day: 09:00–17:00 (eight hours, no break counted).
pub const DAY_START: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => panic!("09:00"),
};
pub const DAY_END: NaiveTime = match NaiveTime::from_hms_opt(17, 0, 0) {
    Some(t) => t,
    None => panic!("17:00"),
};

/// The special days loaded for a range of dates; outside them the weekend rule applies, so load
/// a range that covers every date a computation can reach (see `calendar::models::load`).
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    /// Day → worked? (`holiday` → false, `workday` → true.)
    special: HashMap<NaiveDate, bool>,
}

/// Bounds the walks below: no real limit reaches ten years, and a runaway limit must not hang a
/// request.
const MAX_STEPS: i32 = 3660;

impl WorkCalendar {
    pub fn new(special: impl IntoIterator<Item = (NaiveDate, bool)>) -> Self {
        WorkCalendar {
            special: special.into_iter().collect(),
        }
    }

    /// Whether `d` is worked: its special row if it has one, else Monday to Friday.
    pub fn is_workday(&self, d: NaiveDate) -> bool {
        match self.special.get(&d) {
            Some(worked) => *worked,
            None => !matches!(d.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The first working day after `d`.
    fn next_workday(&self, d: NaiveDate) -> NaiveDate {
        let mut d = d;
        for _ in 0..MAX_STEPS {
            d = d.succ_opt().unwrap_or(d);
            if self.is_workday(d) {
                return d;
            }
        }
        d
    }

    /// Deadline (local time) for a limit starting at `start` (local time).
    ///
    /// - `Days(n)`: the end (next day 00:00) of the n-th working day *after* start's date; the
    ///   start's own date never counts, whatever the hour. `Days(0)` (or less) is `start`.
    /// - `Hours(n)`: n hours of working time (09:00–17:00 on working days). A start outside
    ///   working time counts from the next working start; a limit that ends exactly at 17:00 ends
    ///   then, not at the next morning. `Hours(0)` (or less) is `start`.
    pub fn deadline(&self, start: NaiveDateTime, limit: Limit) -> NaiveDateTime {
        match limit {
            Limit::Days(n) if n > 0 => {
                let mut d = start.date();
                for _ in 0..n.min(MAX_STEPS) {
                    d = self.next_workday(d);
                }
                d.succ_opt().unwrap_or(d).and_time(NaiveTime::MIN)
            }
            Limit::Hours(n) if n > 0 => {
                let mut t = self.working_start(start);
                let mut left = Duration::hours(i64::from(n.min(MAX_STEPS * 8)));
                loop {
                    let available = t.date().and_time(DAY_END) - t;
                    if left <= available {
                        return t + left;
                    }
                    left -= available;
                    t = self.next_workday(t.date()).and_time(DAY_START);
                }
            }
            _ => start,
        }
    }

    /// `t` if it lies in working time, else the next working start.
    fn working_start(&self, t: NaiveDateTime) -> NaiveDateTime {
        let d = t.date();
        if self.is_workday(d) {
            if t.time() < DAY_START {
                return d.and_time(DAY_START);
            }
            if t.time() < DAY_END {
                return t;
            }
        }
        self.next_workday(d).and_time(DAY_START)
    }

    /// Working days from `a` to `b`: those in `(a, b]`, so "3 working days left" from today to a
    /// due date counts the due date and not today; negative when `b < a`, 0 when equal. For a
    /// `Days(n)` deadline `D`, the n-th working day is `D - 1 day`, and
    /// `working_days_between(start, D - 1 day) == n`.
    pub fn working_days_between(&self, a: NaiveDate, b: NaiveDate) -> i32 {
        if b < a {
            return -self.working_days_between(b, a);
        }
        a.iter_days()
            .skip(1)
            .take_while(|d| *d <= b)
            .filter(|d| self.is_workday(*d))
            .count() as i32
    }

    /// Whole working days a deadline (local time) is past at `now` (local time): the working
    /// days after the deadline's day up to today, so a deadline that ended yesterday, a working
    /// day, is 1 day late today. 0 while the deadline's own day lasts or only days off followed.
    pub fn working_days_late(&self, deadline: NaiveDateTime, now: NaiveDateTime) -> i32 {
        let day = due_day(deadline).unwrap_or(deadline.date());
        self.working_days_between(day, now.date()).max(0)
    }

    /// Working days in each month of `year` (January first).
    pub fn working_days_per_month(&self, year: i32) -> [u32; 12] {
        let mut out = [0; 12];
        if let Some(first) = NaiveDate::from_ymd_opt(year, 1, 1) {
            for d in first.iter_days().take_while(|d| d.year() == year) {
                if self.is_workday(d) {
                    out[d.month0() as usize] += 1;
                }
            }
        }
        out
    }
}

/// The day a deadline (local time) closes when it closes a whole day: 23:59:59 (a meeting's
/// decision gives the end of its day) or midnight (a working-day limit ends as the next day
/// begins). None for a deadline inside a day (a limit in working hours).
pub fn due_day(deadline: NaiveDateTime) -> Option<NaiveDate> {
    let t = deadline.time();
    if t == NaiveTime::MIN {
        deadline.date().pred_opt()
    } else if (t.hour(), t.minute(), t.second()) == (23, 59, 59) {
        Some(deadline.date())
    } else {
        None
    }
}

/// The kinds of special day, as stored.
pub const HOLIDAY: &str = "holiday";
pub const WORKDAY: &str = "workday";

/// A kind as typed: the stored codes (any case) or the usual one-character marks 休 / 班.
pub fn parse_kind(raw: &str) -> Option<&'static str> {
    match raw.trim().to_lowercase().as_str() {
        "holiday" | "休" => Some(HOLIDAY),
        "workday" | "班" => Some(WORKDAY),
        _ => None,
    }
}

/// The locale key of a festival name the seeded calendar uses (stored in English), so pages show
/// it in the reader's language; other names are shown as typed.
pub fn festival_key(name: &str) -> Option<&'static str> {
    Some(match name {
        "New Year's Day" => "calendar.fest.new_year",
        "Spring Festival" => "calendar.fest.spring",
        "Tomb-sweeping Day" => "calendar.fest.qingming",
        "Labour Day" => "calendar.fest.labour",
        "Dragon Boat Festival" => "calendar.fest.dragon_boat",
        "Mid-autumn Festival" => "calendar.fest.mid_autumn",
        "National Day" => "calendar.fest.national",
        "Anti-Fascist 70th Day" => "calendar.fest.victory_70",
        _ => return None,
    })
}

/// The calendar belongs to the whole district: its audit rows carry the path of the root of the
/// user's tree (the first id of their path), so the district's admins read every change.
pub fn root_path(org_path: &str) -> String {
    match org_path.split('/').find(|s| !s.is_empty()) {
        Some(root) => format!("/{root}/"),
        None => org_path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_of_a_path() {
        assert_eq!(root_path("/1/3/17/"), "/1/");
        assert_eq!(root_path("/1/"), "/1/");
    }

    /// The seeded rows, read from the migration itself, so the fixtures are the real calendar.
    fn seeded() -> WorkCalendar {
        let sql = include_str!("../../migrations/sqlite/2026-11-27-000004_issues/up.sql");
        let rows: Vec<(NaiveDate, bool)> = sql
            .lines()
            .filter_map(|l| {
                let l = l.trim().strip_prefix("('")?;
                let (day, rest) = l.split_once("','")?;
                let (kind, _) = rest.split_once('\'')?;
                let day = NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
                Some((day, parse_kind(kind)? == WORKDAY))
            })
            .collect();
        assert!(rows.len() > 400, "the 2013–2026 rows: {}", rows.len());
        WorkCalendar::new(rows)
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn weekends_holidays_and_moved_working_days() {
        let c = seeded();
        assert!(c.is_workday(d("2026-09-30")), "a plain Wednesday");
        assert!(!c.is_workday(d("2026-10-01")), "National Day");
        assert!(
            !c.is_workday(d("2026-10-05")),
            "a Monday inside the holiday"
        );
        assert!(c.is_workday(d("2026-10-10")), "Saturday worked (调休)");
        assert!(!c.is_workday(d("2026-10-11")), "a plain Sunday");
        assert!(
            c.is_workday(d("2026-02-14")),
            "Saturday worked before Spring Festival"
        );
        // Without rows, only the weekend rule.
        let plain = WorkCalendar::default();
        assert!(plain.is_workday(d("2026-10-01")));
        assert!(!plain.is_workday(d("2026-10-10")));
    }

    #[test]
    fn days_skip_national_day_and_count_the_moved_saturday() {
        let c = seeded();
        // 30 Sep (start's own date never counts) → 8 Oct (1), 9 Oct (2), Sat 10 Oct (3).
        assert_eq!(
            c.deadline(t("2026-09-30 10:00"), Limit::Days(3)),
            t("2026-10-11 00:00")
        );
        // The hour of the start does not matter.
        assert_eq!(
            c.deadline(t("2026-09-30 23:59"), Limit::Days(1)),
            t("2026-10-09 00:00")
        );
        // Starting inside the holiday.
        assert_eq!(
            c.deadline(t("2026-10-03 09:00"), Limit::Days(1)),
            t("2026-10-09 00:00")
        );
        // Mid-autumn 25–27 Sep: Mon 28 (1), Tue 29 (2).
        assert_eq!(
            c.deadline(t("2026-09-24 16:00"), Limit::Days(2)),
            t("2026-09-30 00:00")
        );
        // Both holidays: 28, 29, 30 Sep, then 8, 9 Oct.
        assert_eq!(
            c.deadline(t("2026-09-24 16:00"), Limit::Days(5)),
            t("2026-10-10 00:00")
        );
    }

    #[test]
    fn days_over_spring_festival_2026() {
        let c = seeded();
        // Fri 13 Feb → Sat 14 Feb worked (1), 15–23 Feb off, Tue 24 (2), Wed 25 (3).
        assert_eq!(
            c.deadline(t("2026-02-13 15:00"), Limit::Days(3)),
            t("2026-02-26 00:00")
        );
        // Five days from the eve: 24, 25, 26, 27 Feb and Sat 28 Feb (worked).
        assert_eq!(
            c.deadline(t("2026-02-16 08:00"), Limit::Days(5)),
            t("2026-03-01 00:00")
        );
    }

    #[test]
    fn days_zero_or_less_is_the_start() {
        let c = seeded();
        let s = t("2026-10-01 12:34");
        assert_eq!(c.deadline(s, Limit::Days(0)), s);
        assert_eq!(c.deadline(s, Limit::Days(-2)), s);
        assert_eq!(c.deadline(s, Limit::Hours(0)), s);
    }

    #[test]
    fn hours_cross_a_weekend() {
        let c = seeded();
        // Fri 6 Mar 15:00: two hours that day, Monday 9 Mar from 09:00 the other two.
        assert_eq!(
            c.deadline(t("2026-03-06 15:00"), Limit::Hours(4)),
            t("2026-03-09 11:00")
        );
        // Ending exactly at close of business stays on that day.
        assert_eq!(
            c.deadline(t("2026-03-06 15:00"), Limit::Hours(2)),
            t("2026-03-06 17:00")
        );
        // 24 working hours = three full days from a morning start.
        assert_eq!(
            c.deadline(t("2026-03-04 09:00"), Limit::Hours(24)),
            t("2026-03-06 17:00")
        );
    }

    #[test]
    fn hours_outside_working_time_start_at_the_next_working_start() {
        let c = seeded();
        assert_eq!(
            c.deadline(t("2026-03-09 07:30"), Limit::Hours(8)),
            t("2026-03-09 17:00")
        );
        // Friday evening before Spring Festival → the Saturday worked.
        assert_eq!(
            c.deadline(t("2026-02-13 18:00"), Limit::Hours(3)),
            t("2026-02-14 12:00")
        );
        // Reported during the National Day holiday.
        assert_eq!(
            c.deadline(t("2026-10-05 10:00"), Limit::Hours(2)),
            t("2026-10-08 11:00")
        );
        // Exactly 17:00 is outside working time.
        assert_eq!(
            c.deadline(t("2026-03-09 17:00"), Limit::Hours(1)),
            t("2026-03-10 10:00")
        );
    }

    #[test]
    fn working_days_between_counts_the_end_not_the_start() {
        let c = seeded();
        assert_eq!(c.working_days_between(d("2026-09-30"), d("2026-10-10")), 3);
        assert_eq!(c.working_days_between(d("2026-10-10"), d("2026-09-30")), -3);
        assert_eq!(c.working_days_between(d("2026-10-02"), d("2026-10-02")), 0);
        assert_eq!(c.working_days_between(d("2026-10-01"), d("2026-10-07")), 0);
        // Agrees with Days(n) over both long holidays.
        for (start, n) in [("2026-09-30", 3), ("2026-02-13", 7), ("2026-01-01", 4)] {
            let due = c.deadline(d(start).and_time(DAY_START), Limit::Days(n));
            let last = due.date().pred_opt().unwrap();
            assert_eq!(c.working_days_between(d(start), last), n, "{start}");
        }
    }

    #[test]
    fn working_days_per_month_of_2026() {
        let c = seeded();
        let m = c.working_days_per_month(2026);
        // October: 22 weekdays − 5 holiday weekdays (1, 2, 5, 6, 7) + Sat 10 worked.
        assert_eq!(m[9], 18);
        // February: 20 weekdays − 6 holiday weekdays (16–20, 23) + Sat 14 and Sat 28 worked.
        assert_eq!(m[1], 16);
        assert_eq!(m, [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23]);
        assert_eq!(m.iter().sum::<u32>(), 248);
    }

    #[test]
    fn kinds_as_typed() {
        assert_eq!(parse_kind(" Holiday "), Some(HOLIDAY));
        assert_eq!(parse_kind("休"), Some(HOLIDAY));
        assert_eq!(parse_kind("班"), Some(WORKDAY));
        assert_eq!(parse_kind("off"), None);
    }

    #[test]
    fn lateness_in_working_days() {
        let c = seeded();
        let eod =
            NaiveDateTime::parse_from_str("2026-09-29 23:59:59", "%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(due_day(eod), Some(d("2026-09-29")));
        assert_eq!(due_day(t("2026-09-30 00:00")), Some(d("2026-09-29")));
        assert_eq!(due_day(t("2026-09-29 15:00")), None);
        assert_eq!(c.working_days_late(eod, t("2026-09-29 23:59")), 0);
        assert_eq!(c.working_days_late(eod, t("2026-09-30 08:00")), 1);
        // 09-30, then National Day's week off counts nothing, then 10-08, 10-09 and the
        // Saturday worked in its place, 10-10.
        assert_eq!(c.working_days_late(eod, t("2026-10-10 09:00")), 4);
        assert_eq!(
            c.working_days_late(t("2026-09-30 00:00"), t("2026-09-30 10:00")),
            1
        );
    }
}
