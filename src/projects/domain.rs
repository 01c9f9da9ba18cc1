//! Key projects' rules (issue 19; research §4): the levels, classes and stages, money in exact
//! hundredths of 万元, 序时进度 (the share of the year's planned investment done against the share
//! of the year gone), the warning lights, and who may write. Pure code.

use chrono::{Datelike, NaiveDate};

use crate::auth::CurrentUser;
use crate::ratio::Rate;

/// Project levels (市/区/街道重点), codes in `projects.level`.
pub const LEVELS: [&str; 3] = ["city", "district", "street"];

/// Project classes, codes in `projects.class`.
pub const CLASSES: [&str; 5] = ["urban", "investment", "industry", "livelihood", "other"];

/// The seed's stages, in order (codes in `project_milestones.stage`).
pub const STAGES: [&str; 9] = [
    "signed",
    "survey",
    "approval",
    "planning",
    "land",
    "demolition",
    "start",
    "topped_out",
    "finished",
];

/// A milestone's states, codes in `project_milestones.status`.
pub const MILESTONE_STATES: [&str; 3] = ["pending", "in_progress", "done"];

/// Who may write a project, its milestones and problems: office staff whose scope holds it.
pub fn may_edit(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// An amount in 万元 as typed ("68000", "1234.5", "0.01") in hundredths; None when it is not a
/// non-negative number with at most two decimals (or is too large).
pub fn parse_wan(raw: &str) -> Option<i64> {
    let s = raw.trim().replace([',', '，'], "");
    if s.is_empty() {
        return None;
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s.as_str(), ""),
    };
    if (int.is_empty() && frac.is_empty())
        || frac.len() > 2
        || int.len() > 12
        || !int.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let i: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let f: i64 = format!("{frac:0<2}").parse().ok()?;
    Some(i * 100 + f)
}

/// Hundredths of 万元 as written: "68000", "1234.5", "0.01".
pub fn wan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let c = cents.unsigned_abs();
    let (i, f) = (c / 100, c % 100);
    if f == 0 {
        format!("{sign}{i}")
    } else if f % 10 == 0 {
        format!("{sign}{i}.{}", f / 10)
    } else {
        format!("{sign}{i}.{f:02}")
    }
}

/// The months of `year` over by `as_of` (a month counts once it has begun, as bulletins count
/// "1–8月" in August): 0 before the year, 12 after it.
pub fn months_elapsed(year: i32, as_of: NaiveDate) -> i64 {
    match as_of.year().cmp(&year) {
        std::cmp::Ordering::Less => 0,
        std::cmp::Ordering::Greater => 12,
        std::cmp::Ordering::Equal => i64::from(as_of.month()),
    }
}

/// Where a project stands against 序时进度: the investment done this year as a rate of the
/// year's plan, the months elapsed as a rate of 12, and the points between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub done: Rate,
    pub time: Rate,
}

impl Schedule {
    pub fn new(done_cents: i64, plan_cents: i64, months: i64) -> Schedule {
        Schedule {
            done: Rate::new(done_cents, plan_cents),
            time: Rate::new(months.clamp(0, 12), 12),
        }
    }

    /// Points above (positive) or below the time's share; None without a plan.
    pub fn points(&self) -> Option<f64> {
        self.done.points_over(&self.time)
    }

    /// The locale key and the points (one decimal, never negative) of "超/低于序时进度 x 个百分点".
    pub fn phrase(&self) -> Option<(&'static str, String)> {
        let p = self.points()?;
        let key = if p >= 0.0 {
            "projects.ahead_of_schedule"
        } else {
            "projects.behind_schedule"
        };
        Some((key, format!("{:.1}", p.abs())))
    }
}

/// A warning light (预警灯).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Light {
    Green,
    Yellow,
    Red,
}

impl Light {
    pub fn code(self) -> &'static str {
        match self {
            Light::Green => "green",
            Light::Yellow => "yellow",
            Light::Red => "red",
        }
    }

    pub const ALL: [Light; 3] = [Light::Green, Light::Yellow, Light::Red];
}

/// The lights' rule (research §4.3, 银川 and 瓯海): behind 序时进度 by `yellow_from` points or
/// more is yellow, by more than `red_over` red; planned to start and not started
/// `not_started_months` months later red.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub yellow_from: i64,
    pub red_over: i64,
    pub not_started_months: i64,
}

impl Default for Rule {
    fn default() -> Rule {
        Rule {
            yellow_from: 10,
            red_over: 30,
            not_started_months: 3,
        }
    }
}

/// Whole months from `from` to `to` (0 when `to` is before).
fn months_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let m = (to.year() - from.year()) as i64 * 12 + to.month() as i64 - from.month() as i64;
    let m = if to.day() < from.day() { m - 1 } else { m };
    m.max(0)
}

/// This month's light by the rule alone, from the schedule and the start dates.
pub fn light_now(
    rule: &Rule,
    s: &Schedule,
    planned_start: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
    today: NaiveDate,
) -> Light {
    if let (Some(p), None) = (planned_start, actual_start)
        && p <= today
        && months_between(p, today) >= rule.not_started_months
    {
        return Light::Red;
    }
    match s.points() {
        Some(p) if p < -(rule.red_over as f64) => Light::Red,
        Some(p) if p <= -(rule.yellow_from as f64) => Light::Yellow,
        _ => Light::Green,
    }
}

/// The lights of a sequence of months, oldest first: a red that catches up turns yellow, not
/// green, for the rest of the year (瓯海: the history shows the miss).
pub fn lights(now: &[Light]) -> Vec<Light> {
    let mut was_red = false;
    now.iter()
        .map(|&l| {
            let shown = if l == Light::Green && was_red {
                Light::Yellow
            } else {
                l
            };
            was_red |= l == Light::Red;
            shown
        })
        .collect()
}

/// The light shown this month: the rule's, or yellow for a project that was red earlier in
/// the year and has caught up.
pub fn light(now: Light, was_red: bool) -> Light {
    *lights(&[if was_red { Light::Red } else { Light::Green }, now])
        .last()
        .unwrap_or(&now)
}

/// Each month's investment from its entries, oldest first: a later entry of a month (a
/// correction) replaces the earlier one. `entries`: (month 1–12, hundredths of 万元).
pub fn month_totals(entries: &[(i32, i64)]) -> [i64; 12] {
    let mut out = [0; 12];
    for &(m, cents) in entries {
        if (1..=12).contains(&m) {
            out[(m - 1) as usize] = cents;
        }
    }
    out
}

/// The last day of a month.
fn month_end(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MIN)
}

/// The light shown after `months` months of `year`: each month's by the rule on the cumulative
/// investment at its end (the not-started rule on its last day, or on `today` for this month),
/// folded so that a red that catches up stays yellow.
pub fn year_light(
    rule: &Rule,
    totals: &[i64; 12],
    plan_cents: i64,
    year: i32,
    today: NaiveDate,
    planned_start: Option<NaiveDate>,
    actual_start: Option<NaiveDate>,
) -> Light {
    let months = months_elapsed(year, today);
    let mut cum = 0;
    let mut now = Vec::new();
    for m in 1..=months {
        cum += totals[(m - 1) as usize];
        let end = month_end(year, m as u32).min(today);
        let started = actual_start.filter(|d| *d <= end);
        let s = Schedule::new(cum, plan_cents, m);
        now.push(light_now(rule, &s, planned_start, started, end));
    }
    lights(&now).last().copied().unwrap_or(Light::Green)
}

/// An approval's state on `today`: lapsed, lapsing within `warn_days`, or valid.
pub fn approval_state(
    expires_on: Option<NaiveDate>,
    today: NaiveDate,
    warn_days: i64,
) -> &'static str {
    match expires_on {
        Some(d) if d < today => "expired",
        Some(d) if (d - today).num_days() <= warn_days => "expiring",
        _ => "valid",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn money_is_kept_in_exact_hundredths() {
        assert_eq!(parse_wan("680000"), Some(68_000_000));
        assert_eq!(parse_wan("1234.5"), Some(123_450));
        assert_eq!(parse_wan("0.01"), Some(1));
        assert_eq!(parse_wan("1,200.10"), Some(120_010));
        assert_eq!(parse_wan("-1"), None);
        assert_eq!(parse_wan("1.234"), None);
        assert_eq!(parse_wan("abc"), None);
        assert_eq!(parse_wan(""), None);
        assert_eq!(parse_wan("."), None);
        assert_eq!(wan(68_000_000), "680000");
        assert_eq!(wan(123_450), "1234.5");
        assert_eq!(wan(1), "0.01");
        // 0.1 + 0.2 adds up, as floats do not.
        assert_eq!(
            wan(parse_wan("0.1").unwrap() + parse_wan("0.2").unwrap()),
            "0.3"
        );
    }

    #[test]
    fn schedule_matches_the_bulletins() {
        // 三明: 1–8月 74% of the year's plan, "超序时进度7.33个百分点".
        let s = Schedule::new(7400, 10000, months_elapsed(2026, d(2026, 8, 20)));
        assert!((s.points().unwrap() - 7.333).abs() < 0.01);
        assert_eq!(
            s.phrase(),
            Some(("projects.ahead_of_schedule", "7.3".to_string()))
        );
        let behind = Schedule::new(2000, 10000, 6);
        assert_eq!(
            behind.phrase(),
            Some(("projects.behind_schedule", "30.0".to_string()))
        );
        assert_eq!(Schedule::new(1, 0, 6).phrase(), None);
        assert_eq!(months_elapsed(2026, d(2025, 12, 31)), 0);
        assert_eq!(months_elapsed(2026, d(2027, 1, 1)), 12);
    }

    #[test]
    fn lights_follow_the_default_rule() {
        let r = Rule::default();
        let today = d(2026, 7, 15);
        let at = |done| light_now(&r, &Schedule::new(done, 1200, 6), None, None, today);
        assert_eq!(at(600), Light::Green); // on time
        assert_eq!(at(500), Light::Green); // 8.3 behind
        assert_eq!(at(480), Light::Yellow); // 10 behind
        assert_eq!(at(240), Light::Yellow); // 30 behind
        assert_eq!(at(230), Light::Red); // 30.8 behind
        // Planned to start in April, not started by mid-July: red whatever the money says.
        let s = Schedule::new(600, 1200, 6);
        assert_eq!(
            light_now(&r, &s, Some(d(2026, 4, 1)), None, today),
            Light::Red
        );
        assert_eq!(
            light_now(&r, &s, Some(d(2026, 4, 20)), None, today),
            Light::Green
        );
        assert_eq!(
            light_now(&r, &s, Some(d(2026, 4, 1)), Some(d(2026, 5, 1)), today),
            Light::Green
        );
    }

    #[test]
    fn a_red_that_catches_up_turns_yellow_not_green() {
        use Light::*;
        assert_eq!(
            lights(&[Green, Red, Green, Yellow, Green]),
            vec![Green, Red, Yellow, Yellow, Yellow]
        );
        assert_eq!(lights(&[Green, Yellow, Green]), vec![Green, Yellow, Green]);
        assert_eq!(light(Green, true), Yellow);
        assert_eq!(light(Red, true), Red);
        assert_eq!(light(Green, false), Green);
    }

    #[test]
    fn the_year_light_folds_the_months_and_corrections_replace() {
        let r = Rule::default();
        // A correction of March replaces the first entry.
        let t = month_totals(&[(1, 100), (2, 100), (3, 0), (3, 100)]);
        assert_eq!(t[2], 100);
        // 1200 planned: on time for three months: green.
        assert_eq!(
            year_light(&r, &t, 1200, 2026, d(2026, 3, 31), None, None),
            Light::Green
        );
        // Nothing in January–April (red by April: 33 points behind), all caught up in May:
        // yellow, not green.
        let t = month_totals(&[(5, 500)]);
        assert_eq!(
            year_light(&r, &t, 1200, 2026, d(2026, 4, 30), None, None),
            Light::Red
        );
        assert_eq!(
            year_light(&r, &t, 1200, 2026, d(2026, 5, 31), None, None),
            Light::Yellow
        );
    }

    #[test]
    fn approvals_warn_before_they_lapse() {
        let today = d(2026, 7, 1);
        assert_eq!(approval_state(Some(d(2026, 6, 30)), today, 30), "expired");
        assert_eq!(approval_state(Some(d(2026, 7, 20)), today, 30), "expiring");
        assert_eq!(approval_state(Some(d(2026, 12, 1)), today, 30), "valid");
        assert_eq!(approval_state(None, today, 30), "valid");
    }
}
