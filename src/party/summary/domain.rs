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
mod tests;
