//! The scoring rules of 量化考核, pure code: each scoring method answers its points with the
//! formula printed beside them, the indicator's floor and cap, grades from the scheme's bands,
//! the rank within a group, and who may compute, enter and publish.
//!
//! Points are tenths (`200` = 20.0 points), as stored. Rates come from `crate::ratio::Rate`
//! (numerator and denominator, never a typed percentage); an empty denominator ("—") scores full
//! marks: nothing was due, nothing was missed. What a scheme may count is outcomes only: the
//! national rules of 2023 and 2026 against 指尖上的形式主义 forbid scoring log-ins, time online,
//! clicks or likes, so no source here reads them (`SOURCES` is the whole list).

use crate::auth::{CurrentUser, Role};
use crate::ratio::Rate;

/// The figures an indicator may be computed from. Outcomes only (see the module comment).
pub const SOURCES: [&str; 5] = [
    "issues.closure",
    "issues.on_time",
    "issues.overdue",
    "patrols.days",
    "manual",
];

/// A result's states: computed and still open to entries, or published (frozen).
pub const DRAFT: &str = "draft";
pub const PUBLISHED: &str = "published";

/// Points and the formula that gave them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    /// Tenths of a point.
    pub points: i32,
    pub formula: String,
}

/// Tenths as "12.5" (whole points without the decimal: "20").
pub fn pts(tenths: i32) -> String {
    if tenths % 10 == 0 {
        format!("{}", tenths / 10)
    } else {
        format!(
            "{}{}.{}",
            if tenths < 0 { "-" } else { "" },
            (tenths / 10).abs(),
            (tenths % 10).abs()
        )
    }
}

fn tenths(x: f64) -> i32 {
    (x * 10.0).round() as i32
}

fn no_denominator(r: &Rate, full: i32) -> Option<Scored> {
    (r.den == 0).then(|| Scored {
        points: full,
        formula: format!("0/0 = — → {}", pts(full)),
    })
}

/// Rate × points: 18/20 = 90.0% × 20 = 18.
pub fn rate_points(r: Rate, full: i32) -> Scored {
    if let Some(s) = no_denominator(&r, full) {
        return s;
    }
    let p = r.percent().unwrap_or(0.0);
    let points = tenths(p / 100.0 * full as f64 / 10.0).clamp(0, full);
    Scored {
        points,
        formula: format!(
            "{}/{} = {} × {} = {}",
            r.num,
            r.den,
            r.display(),
            pts(full),
            pts(points)
        ),
    }
}

/// Full marks at or above `full_at` percent, `per_point` (tenths) off for each percentage point
/// below, never below 0: 62.5% < 70%: 15 − 1 × 7.5 = 7.5.
pub fn threshold(r: Rate, full: i32, full_at: f64, per_point: i32) -> Scored {
    if let Some(s) = no_denominator(&r, full) {
        return s;
    }
    let p = r.percent().unwrap_or(0.0);
    let shown = format!("{}/{} = {}", r.num, r.den, r.display());
    if p >= full_at {
        return Scored {
            points: full,
            formula: format!("{shown} ≥ {full_at}% → {}", pts(full)),
        };
    }
    let gap = full_at - p;
    let points = (full - tenths(gap * per_point as f64 / 10.0)).max(0);
    Scored {
        points,
        formula: format!(
            "{shown} < {full_at}%: {} − {} × {:.1} = {}",
            pts(full),
            pts(per_point),
            gap,
            pts(points)
        ),
    }
}

/// Tiered bands: the points of the first band whose lower bound the rate reaches (`bands` as
/// (percent, tenths), highest first); 0 below them all.
pub fn tiers(r: Rate, full: i32, bands: &[(f64, i32)]) -> Scored {
    if let Some(s) = no_denominator(&r, full) {
        return s;
    }
    let p = r.percent().unwrap_or(0.0);
    let shown = format!("{}/{} = {}", r.num, r.den, r.display());
    match bands.iter().find(|(min, _)| p >= *min) {
        Some((min, points)) => Scored {
            points: (*points).min(full),
            formula: format!("{shown} ≥ {min}% → {}", pts((*points).min(full))),
        },
        None => Scored {
            points: 0,
            formula: format!("{shown} < {}% → 0", bands.last().map_or(0.0, |b| b.0)),
        },
    }
}

/// Per-occurrence deduction with a floor (扣完为止): 20 − 2 × 3 = 14, never below `floor`.
pub fn per_occurrence(count: i64, each: i32, full: i32, floor: i32) -> Scored {
    let raw = full as i64 - each as i64 * count;
    let points = raw.max(floor as i64) as i32;
    let floored = if raw < floor as i64 {
        format!(" → {}", pts(points))
    } else {
        String::new()
    };
    Scored {
        points,
        formula: format!(
            "{} − {} × {count} = {}{floored}",
            pts(full),
            pts(each),
            pts(raw as i32)
        ),
    }
}

/// A bonus with a cap: the sum of the bonus entries, at most `cap`, never below 0.
pub fn bonus(sum: i32, cap: i32) -> Scored {
    let points = sum.clamp(0, cap);
    Scored {
        points,
        formula: if sum > cap {
            format!("{} > {} → {}", pts(sum), pts(cap), pts(points))
        } else {
            pts(points)
        },
    }
}

/// A manual score: the base (full marks for a deduction item) plus the entries, within
/// `[floor, cap]`.
pub fn manual(base: i32, entries: i32, floor: i32, cap: i32) -> Scored {
    let raw = base + entries;
    let points = raw.clamp(floor, cap.max(floor));
    let sign = if entries < 0 { "−" } else { "+" };
    let bounded = if points != raw {
        format!(" → {}", pts(points))
    } else {
        String::new()
    };
    Scored {
        points,
        formula: format!(
            "{} {sign} {} = {}{bounded}",
            pts(base),
            pts(entries.abs()),
            pts(raw)
        ),
    }
}

/// An indicator's score: the sum of its entries (the computed one and the manual ones) within
/// `[floor, cap]`, the cap being full marks when the scheme names none.
pub fn indicator_score(entries: &[i32], floor: i32, cap: i32) -> i32 {
    entries.iter().sum::<i32>().clamp(floor, cap.max(floor))
}

/// A `key=value;key=value` parameter list.
pub fn param<'a>(params: &'a str, key: &str) -> Option<&'a str> {
    params
        .split(';')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim())
}

/// Tier bands from "95:21,90:18" (percent: points), highest first.
pub fn parse_bands(s: &str) -> Vec<(f64, i32)> {
    let mut out: Vec<(f64, i32)> = s
        .split(',')
        .filter_map(|b| b.split_once(':'))
        .filter_map(|(p, v)| Some((p.trim().parse().ok()?, tenths(v.trim().parse().ok()?))))
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0));
    out
}

/// The figure an indicator is scored on, as read from the records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Rate(Rate),
    Count(i64),
    /// A manual item: no figure, the entries make it.
    Manual,
}

/// Scores a computed indicator by its method; `None` for a manual or bonus item and for a
/// method that does not fit the figure.
pub fn score(method: &str, params: &str, full: i32, floor: i32, figure: Figure) -> Option<Scored> {
    match (method, figure) {
        ("rate", Figure::Rate(r)) => Some(rate_points(r, full)),
        ("threshold", Figure::Rate(r)) => {
            let full_at = param(params, "full_at")?.parse().ok()?;
            let per: f64 = param(params, "per_point")?.parse().ok()?;
            Some(threshold(r, full, full_at, tenths(per)))
        }
        ("tiers", Figure::Rate(r)) => Some(tiers(r, full, &parse_bands(param(params, "bands")?))),
        ("per_occurrence", Figure::Count(n)) => {
            let each: f64 = param(params, "each")?.parse().ok()?;
            Some(per_occurrence(n, tenths(each), full, floor))
        }
        _ => None,
    }
}

/// A manual or bonus item's base: full marks to deduct from, or nothing to add to.
pub fn base_of(method: &str, full: i32) -> i32 {
    if method == "bonus" { 0 } else { full }
}

/// The grade of a total by the scheme's bands ("90:excellent;80:good;60:pass;0:fail").
pub fn grade(total: i32, bands: &str) -> String {
    let mut b: Vec<(i32, &str)> = bands
        .split(';')
        .filter_map(|x| x.split_once(':'))
        .filter_map(|(p, g)| Some((tenths(p.trim().parse().ok()?), g.trim())))
        .collect();
    b.sort_by_key(|x| std::cmp::Reverse(x.0));
    b.iter()
        .find(|(min, _)| total >= *min)
        .map_or("fail", |(_, g)| g)
        .to_string()
}

/// Competition ranks (1, 2, 2, 4) of `totals`, in their order.
pub fn ranks(totals: &[i32]) -> Vec<i32> {
    totals
        .iter()
        .map(|t| 1 + totals.iter().filter(|o| *o > t).count() as i32)
        .collect()
}

/// Who computes, enters, reverses and publishes a street's results: its leaders and admins (or
/// those above it).
pub fn may_manage(user: &CurrentUser, group_path: &str) -> bool {
    matches!(user.role, Role::Leader | Role::Admin) && user.sees(group_path)
}

/// Why a manual entry is refused before any write, as a locale key.
pub fn entry_error(points: Option<i32>, reason: &str) -> Vec<(&'static str, &'static str)> {
    let mut e = Vec::new();
    match points {
        None => e.push(("points", "assess.error.points")),
        Some(0) => e.push(("points", "assess.error.points_zero")),
        Some(p) if p.abs() > 1000 => e.push(("points", "assess.error.points_range")),
        _ => {}
    }
    if reason.trim().is_empty() {
        e.push(("reason", "form.required"));
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_times_points_with_an_empty_denominator_scoring_full() {
        let s = rate_points(Rate::new(18, 20), 200);
        assert_eq!(s.points, 180);
        assert_eq!(s.formula, "18/20 = 90.0% × 20 = 18");
        assert_eq!(rate_points(Rate::new(0, 0), 200).points, 200);
        assert_eq!(rate_points(Rate::new(1, 3), 200).points, 67);
    }

    #[test]
    fn threshold_deducts_per_point_below_and_floors_at_zero() {
        assert_eq!(threshold(Rate::new(7, 10), 150, 70.0, 10).points, 150);
        let s = threshold(Rate::new(5, 8), 150, 70.0, 10);
        assert_eq!(s.points, 75, "{}", s.formula);
        assert!(s.formula.contains("15 − 1 × 7.5 = 7.5"), "{}", s.formula);
        assert_eq!(threshold(Rate::new(0, 10), 150, 70.0, 10).points, 0);
        assert_eq!(threshold(Rate::new(0, 0), 150, 70.0, 10).points, 150);
    }

    #[test]
    fn tiers_take_the_first_band_reached() {
        let b = parse_bands("90:18,95:21,60:8,80:14");
        assert_eq!(b[0], (95.0, 210));
        assert_eq!(tiers(Rate::new(19, 20), 210, &b).points, 210);
        assert_eq!(tiers(Rate::new(18, 20), 210, &b).points, 180);
        assert_eq!(tiers(Rate::new(17, 20), 210, &b).points, 140);
        assert_eq!(tiers(Rate::new(1, 2), 210, &b).points, 0);
        assert_eq!(tiers(Rate::new(0, 0), 210, &b).points, 210);
    }

    #[test]
    fn per_occurrence_stops_at_the_floor() {
        let s = per_occurrence(3, 20, 100, 0);
        assert_eq!((s.points, s.formula.as_str()), (40, "10 − 2 × 3 = 4"));
        let s = per_occurrence(7, 20, 100, 0);
        assert_eq!((s.points, s.formula.as_str()), (0, "10 − 2 × 7 = -4 → 0"));
    }

    #[test]
    fn bonus_is_capped_and_manual_bounded() {
        assert_eq!(bonus(30, 40).points, 30);
        assert_eq!(bonus(60, 40).points, 40);
        assert_eq!(bonus(-5, 40).points, 0);
        let m = manual(300, -50, 0, 300);
        assert_eq!((m.points, m.formula.as_str()), (250, "30 − 5 = 25"));
        assert_eq!(manual(300, -400, 0, 300).points, 0);
        assert_eq!(indicator_score(&[300, -50, 50, -400], 0, 300), 0);
        assert_eq!(indicator_score(&[200, 50], 0, 200), 200);
    }

    #[test]
    fn score_dispatches_on_the_method_and_its_params() {
        let r = Figure::Rate(Rate::new(5, 8));
        assert_eq!(
            score("threshold", "full_at=70;per_point=1", 150, 0, r)
                .unwrap()
                .points,
            75
        );
        assert_eq!(
            score("per_occurrence", "each=2", 100, 0, Figure::Count(2))
                .unwrap()
                .points,
            60
        );
        assert_eq!(score("manual", "", 300, 0, Figure::Manual), None);
        assert_eq!(score("threshold", "", 150, 0, r), None);
        assert_eq!(base_of("bonus", 40), 0);
        assert_eq!(base_of("manual", 300), 300);
    }

    #[test]
    fn grades_ranks_and_points_text() {
        let bands = "90:excellent;80:good;60:pass;0:fail";
        assert_eq!(grade(900, bands), "excellent");
        assert_eq!(grade(899, bands), "good");
        assert_eq!(grade(100, bands), "fail");
        assert_eq!(ranks(&[900, 950, 900, 800]), vec![2, 1, 2, 4]);
        assert_eq!(pts(125), "12.5");
        assert_eq!(pts(-5), "-0.5");
        assert_eq!(pts(200), "20");
    }

    #[test]
    fn no_source_counts_log_ins_time_online_or_clicks() {
        for s in SOURCES {
            for banned in ["login", "online", "click", "like"] {
                assert!(!s.contains(banned), "{s}");
            }
        }
    }

    #[test]
    fn an_entry_needs_points_and_a_reason() {
        assert_eq!(entry_error(Some(-20), "督查发现占道经营"), vec![]);
        assert_eq!(entry_error(None, " ").len(), 2);
        assert_eq!(entry_error(Some(0), "x")[0].1, "assess.error.points_zero");
    }
}
