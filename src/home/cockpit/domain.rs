//! The cockpit's pure rules: a figure against its comparison, the units below ranked on their
//! rates, the overdue issues gathered by the unit below they lie in. No database.

use std::collections::HashMap;

use crate::issues::figures::domain::{Rate, Tally, rates};

/// A figure and the one it is compared with (last week, last month, the same month last year).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Versus {
    pub now: i64,
    pub then: i64,
}

impl Versus {
    /// "+3", "−2" or "±0".
    pub fn delta(&self) -> String {
        match self.now - self.then {
            0 => "±0".into(),
            d if d > 0 => format!("+{d}"),
            d => format!("−{}", -d),
        }
    }

    /// "up", "down" or "same", for the arrow's class.
    pub fn trend(&self) -> &'static str {
        match self.now.cmp(&self.then) {
            std::cmp::Ordering::Greater => "up",
            std::cmp::Ordering::Less => "down",
            std::cmp::Ordering::Equal => "same",
        }
    }
}

/// A rate this month against last month's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateVersus {
    pub now: Rate,
    pub then: Rate,
}

impl RateVersus {
    /// The change in percentage points ("+1.2 pt"), or "" when either rate is "—".
    pub fn delta(&self) -> String {
        match (self.now.percent(), self.then.percent()) {
            (Some(a), Some(b)) if (a - b).abs() < 0.05 => "±0".into(),
            (Some(a), Some(b)) if a > b => format!("+{:.1}", a - b),
            (Some(a), Some(b)) => format!("−{:.1}", b - a),
            _ => String::new(),
        }
    }
}

/// A unit below with its rates over the ranking's months.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub id: i32,
    pub name: String,
    pub closure: Rate,
    pub on_time: Rate,
}

/// The units below ranked: best closure rate first, then on-time rate, then name; units with
/// nothing due ("—") last.
pub fn rank(units: &[(i32, String)], tallies: &HashMap<i32, Tally>) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = units
        .iter()
        .map(|(id, name)| {
            let r = rates(&tallies.get(id).copied().unwrap_or_default());
            Ranked {
                id: *id,
                name: name.clone(),
                closure: r.closure,
                on_time: r.on_time,
            }
        })
        .collect();
    let key = |r: &Rate| r.percent().unwrap_or(-1.0);
    out.sort_by(|a, b| {
        key(&b.closure)
            .total_cmp(&key(&a.closure))
            .then(key(&b.on_time).total_cmp(&key(&a.on_time)))
            .then(a.name.cmp(&b.name))
    });
    out
}

/// The unit just below `depth` on a materialized path ("/1/3/17/" at depth 0 → 3), None when
/// the path ends at that depth.
pub fn child_on_path(path: &str, depth: i32) -> Option<i32> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(depth as usize + 1)
        .and_then(|s| s.parse().ok())
}

/// The units below with the most overdue issues: (unit id, count), most first, at most `n`.
pub fn most_overdue(paths: &[String], depth: i32, n: usize) -> Vec<(i32, i64)> {
    let mut by: HashMap<i32, i64> = HashMap::new();
    for p in paths {
        if let Some(c) = child_on_path(p, depth) {
            *by.entry(c).or_default() += 1;
        }
    }
    let mut out: Vec<(i32, i64)> = by.into_iter().collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(closed: i64, on_time: i64, overdue: i64) -> Tally {
        Tally {
            closed,
            closed_on_time: on_time,
            overdue,
            ..Default::default()
        }
    }

    #[test]
    fn units_rank_on_closure_then_on_time_with_nothing_due_last() {
        let units = vec![
            (1, "甲".to_string()),
            (2, "乙".into()),
            (3, "丙".into()),
            (4, "丁".into()),
        ];
        let t = HashMap::from([
            (1, tally(95, 90, 5)),
            (2, tally(99, 97, 1)),
            (3, tally(95, 94, 5)),
        ]);
        let r = rank(&units, &t);
        assert_eq!(r.iter().map(|r| r.id).collect::<Vec<_>>(), vec![2, 3, 1, 4]);
        assert_eq!(r[3].closure.display(), "—");
    }

    #[test]
    fn overdue_issues_gather_under_the_unit_below() {
        let paths: Vec<String> = ["/1/3/17/", "/1/3/18/", "/1/4/20/", "/1/"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(most_overdue(&paths, 0, 5), vec![(3, 2), (4, 1)]);
        assert_eq!(most_overdue(&paths, 1, 1), vec![(17, 1)]);
    }

    #[test]
    fn comparisons_read_as_signed_changes() {
        assert_eq!(Versus { now: 5, then: 3 }.delta(), "+2");
        assert_eq!(Versus { now: 1, then: 3 }.delta(), "−2");
        assert_eq!(Versus { now: 3, then: 3 }.trend(), "same");
        let r = RateVersus {
            now: Rate::new(99, 100),
            then: Rate::new(0, 0),
        };
        assert_eq!(r.delta(), "");
    }
}
