//! The rules of the livelihood report (民生月报), without a database: the units an indicator
//! counts in and how exactly its amounts are kept, a month's figure from its entries (a
//! correction is a later entry), the cumulative figure, the completion rate against the year's
//! target and the 时序进度 (months elapsed ÷ 12), and who may keep and freeze the figures.
//! Every percentage goes through `crate::ratio`: the seed calls 2,602 of 2,580 "108%"; it is
//! 100.9%.

use chrono::{Datelike, NaiveDate};

use crate::auth::{CurrentUser, Role};
use crate::ratio::Rate;

/// The units of count an indicator may use.
pub const UNITS: [&str; 12] = [
    "人", "户", "人次", "个", "处", "家", "次", "场", "万元", "元", "m²", "%",
];

/// Decimal places an amount in `unit` carries: money, areas and rates in hundredths, counts
/// whole. Amounts are stored as integers of the smallest step, never as floats.
pub fn decimals(unit: &str) -> u32 {
    if matches!(unit, "万元" | "元" | "m²" | "%") {
        2
    } else {
        0
    }
}

/// An amount as typed ("2,602", "50.01") in the smallest step of a unit with `decimals`
/// places; the error is the locale key of the message beside the field.
pub fn parse_amount(raw: &str, decimals: u32) -> Result<i64, &'static str> {
    let s: String = raw
        .trim()
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    if s.is_empty() {
        return Err("form.required");
    }
    if s.starts_with('-') {
        return Err("livelihood.negative");
    }
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, f),
        None => (s.as_str(), ""),
    };
    let digits = |p: &str| p.chars().all(|c| c.is_ascii_digit());
    if int.is_empty() || !digits(int) || !digits(frac) || int.len() > 12 {
        return Err("livelihood.amount_invalid");
    }
    if frac.len() > decimals as usize {
        return Err(if decimals == 0 {
            "livelihood.whole_number"
        } else {
            "livelihood.two_decimals"
        });
    }
    let scale = 10i64.pow(decimals);
    let int: i64 = int.parse().map_err(|_| "livelihood.amount_invalid")?;
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<width$}", width = decimals as usize)
            .parse()
            .map_err(|_| "livelihood.amount_invalid")?
    };
    Ok(int * scale + frac)
}

/// An amount for reading: thousands grouped, `decimals` places ("2,602", "50.01").
pub fn format_amount(v: i64, decimals: u32) -> String {
    let scale = 10i64.pow(decimals);
    let (sign, a) = if v < 0 { ("-", -v) } else { ("", v) };
    let int = (a / scale).to_string();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if decimals == 0 {
        format!("{sign}{grouped}")
    } else {
        let frac = a % scale;
        format!("{sign}{grouped}.{frac:0w$}", w = decimals as usize)
    }
}

/// An amount as a form shows it back (no grouping), so that it parses again.
pub fn plain_amount(v: i64, decimals: u32) -> String {
    format_amount(v, decimals).replace(',', "")
}

/// The figure of each month (index 0 is January) from the entries `(month, amount)` in the
/// order they were made: the latest entry of a month is its figure.
pub fn month_figures(entries: &[(i32, i64)]) -> [Option<i64>; 12] {
    let mut months = [None; 12];
    for &(m, amount) in entries {
        if (1..=12).contains(&m) {
            months[(m - 1) as usize] = Some(amount);
        }
    }
    months
}

/// The figure up to month `upto` (1–12): summed over the months for an indicator `summed` over
/// the year, the latest month's for a stock figure. None while nothing is reported.
pub fn cumulative(summed: bool, months: &[Option<i64>; 12], upto: u32) -> Option<i64> {
    let upto = upto.clamp(1, 12) as usize;
    let seen = &months[..upto];
    if summed {
        seen.iter()
            .any(Option::is_some)
            .then(|| seen.iter().flatten().sum())
    } else {
        seen.iter().rev().flatten().next().copied()
    }
}

/// 时序进度: the share of the year elapsed at the end of month `month`.
pub fn schedule(month: u32) -> Rate {
    Rate::new(month.clamp(1, 12) as i64, 12)
}

/// Where an indicator stands at the end of a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    /// This month's figure.
    pub month: Option<i64>,
    pub cumulative: Option<i64>,
    /// 完成率: cumulative ÷ the year's target.
    pub completion: Rate,
    pub schedule: Rate,
    /// Percentage points the completion lies above (positive) or below the schedule.
    pub points: Option<f64>,
    /// 差额: what is left to the target (negative once it is passed).
    pub gap: i64,
}

/// The standing of an indicator with `target` at the end of month `upto`.
pub fn standing(summed: bool, target: i64, months: &[Option<i64>; 12], upto: u32) -> Standing {
    let cum = cumulative(summed, months, upto);
    let completion = Rate::new(cum.unwrap_or(0), target);
    let schedule = schedule(upto);
    Standing {
        month: months[(upto.clamp(1, 12) - 1) as usize],
        cumulative: cum,
        points: completion.points_over(&schedule),
        completion,
        schedule,
        gap: target - cum.unwrap_or(0),
    }
}

/// 同比: the change of this year's cumulative figure from last year's at the same month, as a
/// rate of last year's (no denominator while either is missing).
pub fn year_on_year(now: Option<i64>, last: Option<i64>) -> Rate {
    match (now, last) {
        (Some(n), Some(l)) => Rate::new(n - l, l),
        _ => Rate::new(0, 0),
    }
}

/// How the completion compares with the schedule, as the report words it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Pace {
    /// 超时序进度 x 个百分点.
    Ahead(f64),
    /// 低于时序进度 x 个百分点.
    Behind(f64),
    /// 与时序进度持平 (within the shown precision).
    Even,
    /// No target to compare.
    Unknown,
}

impl Standing {
    pub fn pace(&self) -> Pace {
        match self.points {
            None => Pace::Unknown,
            Some(p) if p.abs() < 0.05 => Pace::Even,
            Some(p) if p > 0.0 => Pace::Ahead(p),
            Some(p) => Pace::Behind(-p),
        }
    }

    /// Behind the schedule (the cockpit's tile counts these).
    pub fn behind(&self) -> bool {
        matches!(self.pace(), Pace::Behind(_))
    }
}

/// How many of the indicators `(summed, target, entries)` lie behind the time schedule at the
/// end of `month`.
pub fn count_behind(
    indicators: impl Iterator<Item = (bool, i64, Vec<(i32, i64)>)>,
    month: u32,
) -> usize {
    indicators
        .filter(|(summed, target, entries)| {
            standing(*summed, *target, &month_figures(entries), month).behind()
        })
        .count()
}

/// Keeping the indicator catalogue and entering figures: office staff (clerks, leaders, admins)
/// of the street or above.
pub fn may_keep(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// Freezing (报送) a month: the street's clerk or leader.
pub fn may_freeze(user: &CurrentUser, scope_path: &str) -> bool {
    matches!(user.role, Role::Clerk | Role::Leader) && user.sees(scope_path)
}

/// A month that has not begun yet on `today`.
pub fn is_future(year: i32, month: u32, today: NaiveDate) -> bool {
    (year, month) > (today.year(), today.month())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_kept_exactly_in_their_smallest_step() {
        assert_eq!(parse_amount("2,602", 0), Ok(2602));
        assert_eq!(parse_amount("50.01", 2), Ok(5001));
        assert_eq!(parse_amount("50.1", 2), Ok(5010));
        assert_eq!(parse_amount("50", 2), Ok(5000));
        assert_eq!(parse_amount("-3", 0), Err("livelihood.negative"));
        assert_eq!(parse_amount("1.5", 0), Err("livelihood.whole_number"));
        assert_eq!(parse_amount("1.555", 2), Err("livelihood.two_decimals"));
        assert_eq!(parse_amount("abc", 0), Err("livelihood.amount_invalid"));
        assert_eq!(parse_amount(" ", 0), Err("form.required"));
        assert_eq!(format_amount(260200, 0), "260,200");
        assert_eq!(format_amount(5001, 2), "50.01");
        assert_eq!(format_amount(5, 2), "0.05");
        assert_eq!(plain_amount(123456, 2), "1234.56");
        // A hundred monthly 0.01s add up to exactly 1.00, as floats would not.
        let sum: i64 = (0..100).map(|_| parse_amount("0.01", 2).unwrap()).sum();
        assert_eq!(format_amount(sum, 2), "1.00");
    }

    #[test]
    fn a_correction_is_the_months_figure_and_the_year_sums_months() {
        let m = month_figures(&[(1, 200), (2, 210), (1, 205), (3, 190)]);
        assert_eq!(m[0], Some(205));
        assert_eq!(cumulative(true, &m, 2), Some(415));
        assert_eq!(cumulative(true, &m, 12), Some(605));
        // A stock figure is the latest month's.
        assert_eq!(cumulative(false, &m, 12), Some(190));
        assert_eq!(cumulative(false, &m, 2), Some(210));
        assert_eq!(cumulative(true, &[None; 12], 5), None);
    }

    #[test]
    fn the_seeds_2602_of_2580_is_100_9_percent_and_ahead_of_schedule() {
        let mut months = [None; 12];
        months[11] = Some(2602);
        let s = standing(true, 2580, &months, 12);
        assert_eq!(s.completion.display(), "100.9%");
        assert_eq!(s.schedule.display(), "100.0%");
        assert!(matches!(s.pace(), Pace::Ahead(p) if (p - 0.853).abs() < 0.01));
        assert_eq!(s.gap, -22);
        // 1,824 by October against 2,602 the year before.
        assert_eq!(year_on_year(Some(1824), Some(2602)).display(), "-29.9%");
        assert_eq!(year_on_year(Some(1824), None).display(), "—");
        assert!(!s.behind());
    }

    #[test]
    fn behind_schedule_counts_the_points_below() {
        // 1,824 of 2,580 by the end of October: 70.7% against 83.3%.
        let mut months = [None; 12];
        months[9] = Some(1824);
        let s = standing(true, 2580, &months, 10);
        assert_eq!(s.completion.display(), "70.7%");
        assert_eq!(s.schedule.display(), "83.3%");
        assert!(matches!(s.pace(), Pace::Behind(p) if (p - 12.64).abs() < 0.01));
        assert!(s.behind());
        let none = standing(true, 0, &months, 10);
        assert_eq!(none.pace(), Pace::Unknown);
        let even = standing(true, 12, &[Some(1); 12], 6);
        assert_eq!(even.pace(), Pace::Even);
    }

    #[test]
    fn future_months_are_the_ones_not_begun() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 15).unwrap();
        assert!(!is_future(2026, 3, today));
        assert!(is_future(2026, 4, today));
        assert!(!is_future(2025, 12, today));
    }
}
