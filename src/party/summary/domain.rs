//! The party summary's figures: the rows read for a set of branches and a year
//! (`models::read`), folded into months, quarters, kinds, 三会一课 against the rhythm, silence
//! and visits per branch, and per street when the branches span several ([`compute`]). The
//! summary page and the ledger both print them. Pure code.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::models::{DayCount, InDifficulty, Visit};
use crate::party::branches::models::Branch;
use crate::party::domain::{self, ACTIVITY_KINDS, SILENT_DAYS};

/// 三会一课 of one kind for a branch this year: held in the months or quarters that are over,
/// against how many of them there were since its record began ([`domain::periods`]); the period
/// under way apart, never due.
#[derive(Debug, Clone)]
pub struct ThreeOne {
    pub kind: String,
    /// Held in the complete periods.
    pub done: u32,
    /// Complete periods.
    pub due: u32,
    /// Held so far in the period under way, when one is (this year's month or quarter).
    pub current: Option<u32>,
}

impl ThreeOne {
    pub fn met(&self) -> bool {
        self.done >= self.due
    }
}

/// One branch's line in every table of the summary.
#[derive(Debug, Clone)]
pub struct BranchSummary {
    pub id: i32,
    pub name: String,
    pub unit: String,
    /// The street the branch's unit lies in (its path's second segment), for the district's
    /// rollup.
    pub street: Option<i32>,
    /// Activities of every kind in each month of the year.
    pub months: Vec<i64>,
    pub total: i64,
    /// (kind, activities) in the period (the quarter, or the year).
    pub kinds: Vec<(String, i64)>,
    pub period_total: i64,
    pub last: Option<NaiveDate>,
    pub silent: bool,
    pub three_one: Vec<ThreeOne>,
    pub visits: i64,
    /// Members in difficulty not visited this year.
    pub unvisited: Vec<Unvisited>,
}

impl BranchSummary {
    /// Some 三会一课 kind was due in a complete period: the branch can be judged.
    pub fn assessed(&self) -> bool {
        self.three_one.iter().any(|x| x.due > 0)
    }

    /// Judged and every 三会一课 kind done as often as due (是).
    pub fn meets(&self) -> bool {
        self.assessed() && self.three_one.iter().all(ThreeOne::met)
    }

    /// Some kind held less often than its complete periods (否); neither this nor [`meets`]:
    /// nothing is over yet, the first period is under way (进行中).
    ///
    /// [`meets`]: BranchSummary::meets
    pub fn fails(&self) -> bool {
        !self.three_one.iter().all(ThreeOne::met)
    }
}

/// A member in difficulty not visited this year.
#[derive(Debug, Clone, PartialEq)]
pub struct Unvisited {
    pub name: String,
    pub difficulty: String,
}

/// A street's branches added up: what a district's summary shows per line instead of hundreds
/// of branches (each line links to the street's own summary).
#[derive(Debug, Clone)]
pub struct StreetLine {
    pub id: i32,
    pub name: String,
    pub branches: usize,
    pub months: Vec<i64>,
    pub total: i64,
    pub kinds: Vec<(String, i64)>,
    pub period_total: i64,
    /// 三会一课 per kind: branches that held it as often as due, of those it was due for in a
    /// complete period.
    pub three_one_met: Vec<(String, usize, usize)>,
    /// Branches that held every kind as often as due, of those judged.
    pub meeting: usize,
    pub assessed: usize,
    pub silent: usize,
    pub visits: i64,
    pub unvisited: usize,
}

impl StreetLine {
    fn new(id: i32, name: String) -> Self {
        StreetLine {
            id,
            name,
            branches: 0,
            months: vec![0; 12],
            total: 0,
            kinds: ACTIVITY_KINDS.iter().map(|k| (k.to_string(), 0)).collect(),
            period_total: 0,
            three_one_met: domain::three_one()
                .into_iter()
                .map(|k| (k.to_string(), 0, 0))
                .collect(),
            meeting: 0,
            assessed: 0,
            silent: 0,
            visits: 0,
            unvisited: 0,
        }
    }

    fn add(&mut self, b: &BranchSummary) {
        self.branches += 1;
        for (m, n) in self.months.iter_mut().zip(&b.months) {
            *m += n;
        }
        self.total += b.total;
        for (k, n) in self.kinds.iter_mut().zip(&b.kinds) {
            k.1 += n.1;
        }
        self.period_total += b.period_total;
        for (k, x) in self.three_one_met.iter_mut().zip(&b.three_one) {
            k.1 += usize::from(x.due > 0 && x.met());
            k.2 += usize::from(x.due > 0);
        }
        self.meeting += usize::from(b.meets());
        self.assessed += usize::from(b.assessed());
        self.silent += usize::from(b.silent);
        self.visits += b.visits;
        self.unvisited += b.unvisited.len();
    }
}

/// The street of a unit path (`/district/street/…`), None above the streets.
pub fn street_of(path: &str) -> Option<i32> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(1)
        .and_then(|s| s.parse().ok())
}

/// The branches' lines added up per street, in the branches' order, when they span more than one
/// street; empty otherwise (a street's summary stays per branch).
fn streets(branches: &[BranchSummary], names: &HashMap<i32, String>) -> Vec<StreetLine> {
    let mut lines: Vec<StreetLine> = Vec::new();
    for b in branches {
        let Some(id) = b.street else { continue };
        match lines.iter_mut().find(|l| l.id == id) {
            Some(l) => l.add(b),
            None => {
                let mut l = StreetLine::new(id, names.get(&id).cloned().unwrap_or_default());
                l.add(b);
                lines.push(l);
            }
        }
    }
    if lines.len() > 1 { lines } else { Vec::new() }
}

/// A kind's activities per quarter across the branches, and the year's total.
#[derive(Debug, Clone)]
pub struct KindQuarters {
    pub kind: String,
    pub quarters: Vec<i64>,
    pub total: i64,
}

/// The whole summary of a set of branches for a year.
#[derive(Debug, Clone)]
pub struct Summary {
    pub year: i32,
    pub quarter: Option<u32>,
    /// The last day of the year's last complete month: 三会一课 is judged up to it; None while
    /// the year's first month is under way (or the year is to come).
    pub until: Option<NaiveDate>,
    pub branches: Vec<BranchSummary>,
    /// Per street when the branches span several (see [`StreetLine`]).
    pub streets: Vec<StreetLine>,
    pub kind_quarters: Vec<KindQuarters>,
}

impl Summary {
    pub fn month_totals(&self) -> Vec<i64> {
        (0..12)
            .map(|m| self.branches.iter().map(|b| b.months[m]).sum())
            .collect()
    }

    pub fn total(&self) -> i64 {
        self.branches.iter().map(|b| b.total).sum()
    }

    pub fn silent(&self) -> Vec<&BranchSummary> {
        self.branches.iter().filter(|b| b.silent).collect()
    }

    pub fn meeting(&self) -> usize {
        self.branches.iter().filter(|b| b.meets()).count()
    }

    /// Branches with a 三会一课 period over this year, which [`Summary::meeting`] is out of.
    pub fn assessed(&self) -> usize {
        self.branches.iter().filter(|b| b.assessed()).count()
    }

    pub fn visits(&self) -> i64 {
        self.branches.iter().map(|b| b.visits).sum()
    }

    pub fn unvisited(&self) -> usize {
        self.branches.iter().map(|b| b.unvisited.len()).sum()
    }
}

/// Everything read for a summary, in one blocking call with a handful of queries.
pub struct Raw {
    pub branches: Vec<Branch>,
    pub units: HashMap<i32, String>,
    pub days: Vec<DayCount>,
    /// Each branch's first and last activity up to today.
    pub span: HashMap<i32, (Option<NaiveDate>, Option<NaiveDate>)>,
    pub visits: Vec<Visit>,
    pub difficult: Vec<InDifficulty>,
}

/// The first and last day of a year.
pub fn year_bounds(year: i32) -> (NaiveDate, NaiveDate) {
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX),
    )
}

/// Folds the rows into the summary: months and quarters from the days, 三会一课 in the months
/// and quarters of the year over by `today` ([`domain::periods`]; the one under way shown apart),
/// silence by [`domain::silent`].
pub fn compute(raw: Raw, year: i32, quarter: Option<u32>, today: NaiveDate) -> Summary {
    let (start, end) = year_bounds(year);
    let until = today
        .with_day(1)
        .and_then(|d| d.pred_opt())
        .map(|d| d.min(end))
        .filter(|d| *d >= start);
    let in_period = |d: &NaiveDate| quarter.is_none_or(|q| d.month0() / 3 + 1 == q);
    let mut kind_quarters: Vec<KindQuarters> = ACTIVITY_KINDS
        .iter()
        .map(|k| KindQuarters {
            kind: k.to_string(),
            quarters: vec![0; 4],
            total: 0,
        })
        .collect();
    let mut by_branch: HashMap<i32, Vec<&DayCount>> = HashMap::new();
    for row in &raw.days {
        by_branch.entry(row.branch_id).or_default().push(row);
        if let Some(k) = kind_quarters.iter_mut().find(|k| k.kind == row.kind) {
            k.quarters[(row.day.month0() / 3) as usize] += row.n;
            k.total += row.n;
        }
    }
    let branches = raw
        .branches
        .iter()
        .map(|b| {
            let rows = by_branch.remove(&b.id).unwrap_or_default();
            let mut months = vec![0i64; 12];
            let mut kinds: Vec<(String, i64)> =
                ACTIVITY_KINDS.iter().map(|k| (k.to_string(), 0)).collect();
            for r in &rows {
                months[r.day.month0() as usize] += r.n;
                if in_period(&r.day)
                    && let Some(k) = kinds.iter_mut().find(|k| k.0 == r.kind)
                {
                    k.1 += r.n;
                }
            }
            // 三会一课 is due from January, or from the month the branch's records begin (its
            // registration here, or an earlier activity entered afterwards) if later.
            let (first, last) = raw.span.get(&b.id).copied().unwrap_or_default();
            let began = first.map_or(b.created_at.date(), |f| f.min(b.created_at.date()));
            let due_from = start.max(began);
            let held = |kind: &str, from: NaiveDate, to: NaiveDate| -> u32 {
                rows.iter()
                    .filter(|r| r.kind == kind && (from..=to).contains(&r.day))
                    .map(|r| r.n as u32)
                    .sum()
            };
            let three_one = domain::three_one()
                .into_iter()
                .map(|kind| {
                    let p = domain::periods(kind, due_from, end, today);
                    ThreeOne {
                        kind: kind.to_string(),
                        done: p.complete_until.map_or(0, |to| held(kind, start, to)),
                        due: p.due,
                        current: p.current_from.map(|from| held(kind, from, today)),
                    }
                })
                .collect();
            let visits: Vec<&Visit> = raw.visits.iter().filter(|v| v.branch_id == b.id).collect();
            let seen_ids: HashSet<i32> = visits.iter().filter_map(|v| v.member_id).collect();
            let seen_names: HashSet<&str> = visits.iter().map(|v| v.name.trim()).collect();
            BranchSummary {
                id: b.id,
                name: b.name.clone(),
                unit: raw.units.get(&b.unit_id).cloned().unwrap_or_default(),
                street: street_of(&b.scope_path),
                total: months.iter().sum(),
                period_total: kinds.iter().map(|k| k.1).sum(),
                months,
                kinds,
                last,
                silent: b.active && domain::silent(last, today, SILENT_DAYS),
                three_one,
                visits: visits.len() as i64,
                unvisited: raw
                    .difficult
                    .iter()
                    .filter(|m| m.branch_id == b.id)
                    .filter(|m| !seen_ids.contains(&m.id) && !seen_names.contains(m.name.as_str()))
                    .map(|m| Unvisited {
                        name: m.name.clone(),
                        difficulty: m.difficulty.clone(),
                    })
                    .collect(),
            }
        })
        .collect::<Vec<_>>();
    Summary {
        year,
        quarter,
        until,
        streets: streets(&branches, &raw.units),
        branches,
        kind_quarters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn branch(id: i32) -> Branch {
        Branch::sample(id)
    }

    fn day(branch_id: i32, day: NaiveDate, kind: &str, n: i64) -> DayCount {
        DayCount {
            branch_id,
            day,
            kind: kind.into(),
            n,
        }
    }

    fn difficult(id: i32, branch_id: i32, name: &str) -> InDifficulty {
        InDifficulty {
            id,
            branch_id,
            name: name.into(),
            difficulty: "difficult".into(),
        }
    }

    #[test]
    fn days_fold_into_months_quarters_and_the_rhythm() {
        let raw = Raw {
            branches: vec![branch(1), branch(2)],
            units: HashMap::new(),
            days: vec![
                day(1, d(2026, 1, 5), "committee", 2),
                day(1, d(2026, 2, 5), "committee", 1),
                day(1, d(2026, 4, 9), "general_meeting", 1),
                day(1, d(2026, 12, 1), "committee", 1),
            ],
            span: HashMap::from([(1, (Some(d(2026, 1, 5)), Some(d(2026, 4, 9))))]),
            visits: vec![Visit {
                branch_id: 1,
                member_id: Some(10),
                name: "张".into(),
            }],
            difficult: vec![difficult(10, 1, "张"), difficult(11, 1, "李")],
        };
        let s = compute(raw, 2026, Some(1), d(2026, 4, 30));
        let b = &s.branches[0];
        assert_eq!(b.months[0..4], [2, 1, 0, 1]);
        assert_eq!(b.total, 5);
        // The quarter asked for: the committee meetings of January and February.
        assert_eq!(b.period_total, 3);
        // On 30 April, January to March are over: three committee meetings due and held, April's
        // under way; the first quarter's general meeting was due and not held (April's is in the
        // second quarter, under way).
        let c = b.three_one.iter().find(|x| x.kind == "committee").unwrap();
        assert_eq!((c.done, c.due, c.current), (3, 3, Some(0)));
        let g = b
            .three_one
            .iter()
            .find(|x| x.kind == "general_meeting")
            .unwrap();
        assert_eq!((g.done, g.due, g.current), (0, 1, Some(1)));
        assert!(!b.meets() && b.fails());
        assert_eq!(s.until, Some(d(2026, 3, 31)));
        assert_eq!(
            b.unvisited,
            vec![Unvisited {
                name: "李".into(),
                difficulty: "difficult".into()
            }]
        );
        assert!(!b.silent);
        assert!(s.branches[1].silent);
        // Branch 2 registered on 1 January: due from then as well.
        let c2 = s.branches[1]
            .three_one
            .iter()
            .find(|x| x.kind == "committee")
            .unwrap();
        assert_eq!(c2.due, 3);
        assert_eq!(s.kind_quarters[1].quarters, vec![3, 0, 0, 1]);
        // Both branches hang under one path: no rollup.
        assert!(s.streets.is_empty());
    }

    #[test]
    fn the_rhythm_is_due_from_when_a_branchs_records_begin() {
        let mut late = branch(1);
        late.created_at = d(2026, 9, 20).and_hms_opt(8, 0, 0).unwrap();
        let mut earlier = branch(2);
        earlier.created_at = late.created_at;
        let raw = Raw {
            branches: vec![late, earlier],
            units: HashMap::new(),
            days: vec![day(2, d(2026, 6, 2), "committee", 1)],
            span: HashMap::from([(2, (Some(d(2026, 6, 2)), Some(d(2026, 6, 2))))]),
            visits: vec![],
            difficult: vec![],
        };
        let s = compute(raw, 2026, None, d(2026, 11, 30));
        let due = |b: usize, kind: &str| {
            s.branches[b]
                .three_one
                .iter()
                .find(|x| x.kind == kind)
                .unwrap()
                .due
        };
        // Registered in September, on 30 November: committee meetings due September and October
        // (November is under way), the general meeting in Q3 (Q4 is under way).
        assert_eq!((due(0, "committee"), due(0, "general_meeting")), (2, 1));
        // Registered in September with a June meeting entered afterwards: due from June.
        assert_eq!((due(1, "committee"), due(1, "general_meeting")), (5, 2));
    }

    #[test]
    fn branches_of_several_streets_add_up_per_street() {
        assert_eq!(street_of("/1/129/130/"), Some(129));
        assert_eq!(street_of("/1/"), None);
        let mut branches = vec![branch(1), branch(2), branch(3)];
        branches[0].scope_path = "/1/5/6/".into();
        branches[1].scope_path = "/1/5/7/".into();
        branches[2].scope_path = "/1/9/10/".into();
        let raw = Raw {
            branches,
            units: HashMap::from([(5, "A".to_string()), (9, "B".to_string())]),
            days: vec![
                day(1, d(2026, 1, 5), "committee", 1),
                day(2, d(2026, 1, 6), "committee", 2),
                day(3, d(2026, 3, 6), "lecture", 1),
            ],
            span: HashMap::new(),
            visits: vec![],
            difficult: vec![difficult(10, 2, "张")],
        };
        let s = compute(raw, 2026, None, d(2026, 2, 1));
        assert_eq!(s.streets.len(), 2);
        let a = &s.streets[0];
        assert_eq!((a.name.as_str(), a.branches, a.total), ("A", 2, 3));
        assert_eq!(a.months[0], 3);
        assert_eq!(a.unvisited, 1);
        // January is over: one committee meeting was due, both of A's branches held it; no
        // quarter is over, so none is judged on the quarterly kinds.
        assert_eq!(a.three_one_met[1], ("committee".to_string(), 2, 2));
        assert_eq!(a.three_one_met[0], ("general_meeting".to_string(), 0, 0));
        // Both branches of A held January's group meeting neither: judged, not met.
        assert_eq!((a.meeting, a.assessed), (0, 2));
        assert_eq!(s.streets[1].months[2], 1);
    }

    /// A branch holding every 三会一课 kind in each month and quarter of `months` (numbers).
    fn rhythm_kept(id: i32, months: std::ops::RangeInclusive<u32>) -> Vec<DayCount> {
        months
            .flat_map(|m| {
                let mut v = vec![
                    day(id, d(2026, m, 10), "committee", 1),
                    day(id, d(2026, m, 12), "group_meeting", 1),
                ];
                if m % 3 == 1 {
                    v.push(day(id, d(2026, m, 15), "general_meeting", 1));
                    v.push(day(id, d(2026, m, 16), "lecture", 1));
                }
                v
            })
            .collect()
    }

    fn judged(days: Vec<DayCount>, today: NaiveDate) -> Summary {
        let raw = Raw {
            branches: vec![branch(1)],
            units: HashMap::new(),
            days,
            span: HashMap::new(),
            visits: vec![],
            difficult: vec![],
        };
        compute(raw, 2026, None, today)
    }

    #[test]
    fn a_period_not_over_is_never_due_or_failed() {
        // Early December, nothing held in December nor in the fourth quarter yet: not failed.
        let s = judged(rhythm_kept(1, 1..=11), d(2026, 12, 2));
        let b = &s.branches[0];
        for x in &b.three_one {
            assert!(x.met(), "{x:?}");
            assert_eq!(
                x.current,
                Some(u32::from(matches!(
                    x.kind.as_str(),
                    "general_meeting" | "lecture"
                )))
            );
        }
        let c = b.three_one.iter().find(|x| x.kind == "committee").unwrap();
        assert_eq!((c.done, c.due), (11, 11));
        assert!(b.meets() && !b.fails());
        assert_eq!((s.meeting(), s.assessed()), (1, 1));
        // Only the month under way empty: the same on its last day.
        assert!(judged(rhythm_kept(1, 1..=10), d(2026, 11, 30)).branches[0].meets());
        // A complete month missed is a failure.
        let mut days = rhythm_kept(1, 1..=11);
        days.retain(|r| !(r.kind == "group_meeting" && r.day.month() == 6));
        let s = judged(days, d(2026, 12, 2));
        assert!(s.branches[0].fails() && !s.branches[0].meets());
        assert_eq!((s.meeting(), s.assessed()), (0, 1));
    }

    #[test]
    fn a_branch_keeping_every_complete_period_meets_the_standard() {
        let s = judged(rhythm_kept(1, 1..=12), d(2027, 1, 5));
        let b = &s.branches[0];
        assert!(b.meets());
        assert!(b.three_one.iter().all(|x| x.current.is_none()));
        let l = b.three_one.iter().find(|x| x.kind == "lecture").unwrap();
        assert_eq!((l.done, l.due), (4, 4));
        assert_eq!(s.until, Some(d(2026, 12, 31)));
    }

    #[test]
    fn the_first_month_of_a_quarter_has_that_quarter_under_way() {
        // January: no month and no quarter of the year over; nothing judged, everything under
        // way with what was held so far.
        let s = judged(rhythm_kept(1, 1..=1), d(2026, 1, 20));
        let b = &s.branches[0];
        assert!(!b.assessed() && !b.meets() && !b.fails());
        assert!(
            b.three_one
                .iter()
                .all(|x| x.due == 0 && x.current == Some(1))
        );
        assert_eq!(s.until, None);
        assert_eq!((s.meeting(), s.assessed()), (0, 0));
        // April: the first quarter is over (judged), the second under way.
        let s = judged(rhythm_kept(1, 1..=3), d(2026, 4, 8));
        let g = s.branches[0]
            .three_one
            .iter()
            .find(|x| x.kind == "general_meeting")
            .unwrap();
        assert_eq!((g.done, g.due, g.current), (1, 1, Some(0)));
        assert!(s.branches[0].meets());
    }
}
