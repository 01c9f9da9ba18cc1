//! The campaigns' pure rules: who keeps a campaign and who enters tallies, the units an item is
//! counted in, a campaign's state by its dates, the chains of tallies and their corrections
//! folded to one figure each, progress against each target and the time schedule (时序进度),
//! and the ranking of the units that entered tallies.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::auth::{CurrentUser, Role};
use crate::ratio::Rate;

/// The units of count an item may be kept in (their words are `campaigns.unit.<code>`).
pub const UNITS: [&str; 13] = [
    "times",
    "places",
    "pieces",
    "cases",
    "person_times",
    "vehicle_times",
    "items",
    "strips",
    "m2",
    "m3",
    "metres",
    "households",
    "shops",
];

/// Office staff whose scope holds the campaign keep it (its fields, its targets).
pub fn may_keep(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// Grid workers, clerks, leaders and admins enter tallies for a unit in their scope; branch
/// secretaries read.
pub fn may_tally(user: &CurrentUser, unit_path: &str) -> bool {
    user.role != Role::BranchSecretary && user.sees(unit_path)
}

/// Who may open the tally form of a campaign: anyone but a branch secretary above or inside it
/// (the units offered are those in both scopes).
pub fn may_enter(user: &CurrentUser, scope_path: &str) -> bool {
    user.role != Role::BranchSecretary && covers(user, scope_path)
}

/// A campaign is read by everyone above it (who sees its street) and inside it (the
/// communities and grids it covers).
pub fn covers(user: &CurrentUser, scope_path: &str) -> bool {
    user.sees(scope_path) || user.org_path.starts_with(scope_path)
}

/// Before, during or after its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Upcoming,
    Active,
    Ended,
}

impl State {
    pub fn of(starts: NaiveDate, ends: NaiveDate, today: NaiveDate) -> State {
        if today < starts {
            State::Upcoming
        } else if today > ends {
            State::Ended
        } else {
            State::Active
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            State::Upcoming => "upcoming",
            State::Active => "active",
            State::Ended => "ended",
        }
    }
}

/// 时序进度: the days of the period gone by (today counted) against all its days.
pub fn schedule(starts: NaiveDate, ends: NaiveDate, today: NaiveDate) -> Rate {
    let total = (ends - starts).num_days() + 1;
    let gone = ((today - starts).num_days() + 1).clamp(0, total.max(0));
    Rate::new(gone, total.max(0))
}

/// A tally as the fold reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub id: i32,
    pub corrects_id: Option<i32>,
    pub target_id: i32,
    pub unit_id: i32,
    pub amount: i64,
}

/// One tally with its corrections folded: the first entry (its target, unit and day), the
/// latest entry of the chain and its amount, the figure that counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Figure {
    pub first: i32,
    pub latest: i32,
    pub target_id: i32,
    pub unit_id: i32,
    pub amount: i64,
}

/// Folds the entries (in any order) into one figure per chain: a correction names the entry it
/// corrects and its amount replaces the chain's. Returns the figures by first entry.
pub fn fold(entries: &[Entry]) -> BTreeMap<i32, Figure> {
    let mut sorted: Vec<&Entry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.id);
    let mut root: BTreeMap<i32, i32> = BTreeMap::new();
    let mut out: BTreeMap<i32, Figure> = BTreeMap::new();
    for e in sorted {
        let r = e
            .corrects_id
            .and_then(|c| root.get(&c).copied())
            .unwrap_or(e.id);
        root.insert(e.id, r);
        match out.get_mut(&r) {
            Some(f) if r != e.id => {
                f.latest = e.id;
                f.amount = e.amount;
            }
            _ => {
                out.insert(
                    r,
                    Figure {
                        first: e.id,
                        latest: e.id,
                        target_id: e.target_id,
                        unit_id: e.unit_id,
                        amount: e.amount,
                    },
                );
            }
        }
    }
    out
}

/// The latest entry of the chain `id` belongs to.
pub fn head_of(entries: &[Entry], id: i32) -> Option<i32> {
    let figures = fold(entries);
    let r = chain_root(entries, id)?;
    figures.get(&r).map(|f| f.latest)
}

fn chain_root(entries: &[Entry], id: i32) -> Option<i32> {
    let by_id: BTreeMap<i32, &Entry> = entries.iter().map(|e| (e.id, e)).collect();
    let mut cur = by_id.get(&id)?;
    while let Some(c) = cur.corrects_id {
        cur = by_id.get(&c)?;
    }
    Some(cur.id)
}

/// Done toward each target (by target id).
pub fn done_by_target(figures: &BTreeMap<i32, Figure>) -> BTreeMap<i32, i64> {
    let mut out = BTreeMap::new();
    for f in figures.values() {
        *out.entry(f.target_id).or_insert(0) += f.amount;
    }
    out
}

/// A target's standing: done of target and the time schedule, and the points between them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub done: Rate,
    pub schedule: Rate,
    pub points: Option<f64>,
}

pub fn standing(done: i64, target: i64, schedule: Rate) -> Standing {
    let done = Rate::new(done, target);
    Standing {
        done,
        schedule,
        points: done.points_over(&schedule),
    }
}

/// The units that entered tallies, best first: each unit's share of every target summed (a
/// unit that did a tenth of two targets ranks above one that did a tenth of one), then by name
/// order of their ids. Answers (unit id, amount by target id).
pub fn ranking(
    figures: &BTreeMap<i32, Figure>,
    targets: &[(i32, i64)],
) -> Vec<(i32, BTreeMap<i32, i64>)> {
    let mut by_unit: BTreeMap<i32, BTreeMap<i32, i64>> = BTreeMap::new();
    for f in figures.values() {
        *by_unit
            .entry(f.unit_id)
            .or_default()
            .entry(f.target_id)
            .or_insert(0) += f.amount;
    }
    let share = |m: &BTreeMap<i32, i64>| -> f64 {
        targets
            .iter()
            .filter(|(_, t)| *t > 0)
            .map(|(id, t)| *m.get(id).unwrap_or(&0) as f64 / *t as f64)
            .sum()
    };
    let mut out: Vec<(i32, BTreeMap<i32, i64>)> = by_unit.into_iter().collect();
    out.sort_by(|a, b| share(&b.1).total_cmp(&share(&a.1)).then(a.0.cmp(&b.0)));
    out
}

/// The UTC bounds of the local days `[starts, ends]` (the issue list's report-time filter).
pub fn utc_period(
    starts: NaiveDate,
    ends: NaiveDate,
    tz: chrono_tz::Tz,
) -> Option<(chrono::NaiveDateTime, chrono::NaiveDateTime)> {
    use chrono::TimeZone;
    let utc = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?)
            .earliest()
            .map(|t| t.naive_utc())
    };
    let end = utc(ends.succ_opt()?)? - chrono::Duration::microseconds(1);
    Some((utc(starts)?, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn e(id: i32, corrects_id: Option<i32>, unit_id: i32, amount: i64) -> Entry {
        Entry {
            id,
            corrects_id,
            target_id: 1,
            unit_id,
            amount,
        }
    }

    #[test]
    fn a_correction_replaces_its_chains_figure() {
        let entries = [
            e(1, None, 10, 100),
            e(2, None, 11, 40),
            e(3, Some(1), 10, 90),
            e(4, Some(3), 10, 95),
        ];
        let f = fold(&entries);
        assert_eq!(f.len(), 2);
        assert_eq!(f[&1].amount, 95);
        assert_eq!(f[&1].latest, 4);
        assert_eq!(done_by_target(&f)[&1], 135);
        assert_eq!(head_of(&entries, 1), Some(4));
        assert_eq!(head_of(&entries, 3), Some(4));
        assert_eq!(head_of(&entries, 2), Some(2));
        assert_eq!(head_of(&entries, 9), None);
    }

    #[test]
    fn the_schedule_counts_days_gone_by() {
        let (s, t) = (d("2026-01-01"), d("2026-01-10"));
        assert_eq!(schedule(s, t, d("2025-12-31")), Rate::new(0, 10));
        assert_eq!(schedule(s, t, d("2026-01-05")), Rate::new(5, 10));
        assert_eq!(schedule(s, t, d("2026-03-01")), Rate::new(10, 10));
        assert_eq!(State::of(s, t, d("2026-01-05")), State::Active);
        assert_eq!(State::of(s, t, d("2026-01-11")), State::Ended);
        assert_eq!(State::of(s, t, d("2025-01-11")), State::Upcoming);
    }

    #[test]
    fn the_seeds_rates_are_computed() {
        // 绿东村街道 demolished 196 违建 of 5,689 m² against a target of 5,689 m².
        let s = standing(5689, 5689, Rate::new(1, 2));
        assert_eq!(s.done.display(), "100.0%");
        assert_eq!(s.points, Some(50.0));
        assert_eq!(standing(1, 0, Rate::new(1, 2)).points, None);
    }

    #[test]
    fn the_ranking_weighs_each_target_by_its_size() {
        let mut entries = vec![e(1, None, 10, 50), e(2, None, 11, 20)];
        entries.push(Entry {
            id: 3,
            corrects_id: None,
            target_id: 2,
            unit_id: 11,
            amount: 5,
        });
        let r = ranking(&fold(&entries), &[(1, 100), (2, 10)]);
        assert_eq!(r[0].0, 11); // 0.2 + 0.5 beats 0.5
        assert_eq!(r[1].0, 10);
    }
}
