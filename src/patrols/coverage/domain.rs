//! What the coverage page shows for one unit, and the rules that decide it: "overdue" (a key
//! site's interval passed since its last check), "idle" (no log for more than N days), a full
//! week; assembled from the rows `models::read` reads, without a database.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDate};

use super::models::{self as m, UnitRow};
use crate::web::privacy::mask_phone;

/// Monday of `d`'s week.
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(d.weekday().num_days_from_monday() as i64)
}

/// The first day of `d`'s quarter.
pub fn quarter_start(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d)
}

/// Days from `last` to `today`, None for never.
fn days_since(last: Option<NaiveDate>, today: NaiveDate) -> Option<i64> {
    last.map(|d| (today - d).num_days())
}

/// A key site is overdue when more days than its interval have passed since its last check, or
/// it was never checked.
pub fn site_overdue(last: Option<NaiveDate>, interval: i32, today: NaiveDate) -> bool {
    days_since(last, today).is_none_or(|n| n > interval as i64)
}

/// A worker is idle when more than `n` whole days have passed since their last log (or they have
/// none): no log on the `n` days before today, nor today.
pub fn worker_idle(last: Option<NaiveDate>, n: i64, today: NaiveDate) -> bool {
    days_since(last, today).is_none_or(|d| d > n)
}

pub struct GridLine {
    pub id: i32,
    pub name: String,
    pub community: String,
    /// "yes", "quick" (only one-click "nothing to report" logs) or "no".
    pub today: &'static str,
    pub week_days: i64,
    pub week_full: bool,
    pub c: m::GridCounts,
    pub h: m::Households,
    pub overdue_sites: usize,
}

pub struct Community {
    pub name: String,
    pub grids: Vec<GridLine>,
    pub patrolled_today: usize,
}

pub struct SiteLine {
    pub name: String,
    pub kind: String,
    pub grid: String,
    pub community: String,
    pub interval: i32,
    pub last: Option<NaiveDate>,
    pub days: Option<i64>,
}

#[derive(Clone)]
pub struct WorkerLine {
    pub name: String,
    pub grids: Vec<String>,
    pub phone: String,
    pub last: Option<NaiveDate>,
    pub days: Option<i64>,
    pub c: m::WorkerCounts,
    pub households: i64,
}

/// The figures of one unit for one day, period and idle threshold.
pub struct CoverageData {
    pub monday: NaiveDate,
    pub working_days: i64,
    pub communities: Vec<Community>,
    pub grids: usize,
    pub patrolled_today: usize,
    pub full_week: usize,
    pub sites: Vec<SiteLine>,
    pub idle: Vec<WorkerLine>,
    pub workers: Vec<WorkerLine>,
}

/// What the figures depend on besides the data: (unit, from, to, idle days, today).
pub type Key = (i32, NaiveDate, NaiveDate, i64, NaiveDate);

/// A unit's place in the tree: its ancestors' (sort order, id) from the top of the subtree.
fn tree_key(path: &str, units: &HashMap<i32, &UnitRow>) -> Vec<(i32, i32)> {
    path.split('/')
        .filter_map(|s| s.parse::<i32>().ok())
        .filter_map(|id| units.get(&id).map(|u| (u.sort_order, u.id)))
        .collect()
}

/// The subtree's units by id, its grids in tree order and each grid's place in that order.
struct Tree<'a> {
    units: HashMap<i32, &'a UnitRow>,
    grids: Vec<&'a UnitRow>,
    order: HashMap<i32, usize>,
}

impl<'a> Tree<'a> {
    fn new(rows: &'a [UnitRow]) -> Tree<'a> {
        let units: HashMap<i32, &UnitRow> = rows.iter().map(|u| (u.id, u)).collect();
        let mut grids: Vec<&UnitRow> = rows.iter().filter(|u| u.kind == "grid").collect();
        grids.sort_by_cached_key(|g| tree_key(&g.path, &units));
        let order = grids.iter().enumerate().map(|(i, g)| (g.id, i)).collect();
        Tree {
            units,
            grids,
            order,
        }
    }

    fn name(&self, id: Option<i32>) -> String {
        id.and_then(|id| self.units.get(&id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    }

    fn place(&self, grid: i32) -> usize {
        self.order.get(&grid).copied().unwrap_or(usize::MAX)
    }
}

/// Assembles the figures from the rows read for one unit (`models::read`): pure, so the rules
/// are tested without a database.
pub fn assemble(rows: m::Rows, idle_days: i64, today: NaiveDate) -> CoverageData {
    let tree = Tree::new(&rows.units);
    let (sites, overdue) = site_lines(&tree, rows.sites, today);
    let mut data = CoverageData {
        monday: week_start(today),
        working_days: rows.working.len() as i64,
        grids: tree.grids.len(),
        communities: Vec::new(),
        patrolled_today: 0,
        full_week: 0,
        sites,
        idle: Vec::new(),
        workers: Vec::new(),
    };
    grid_lines(
        &mut data,
        &tree,
        &overdue,
        &rows.working,
        GridRows {
            logged_days: rows.logged_days,
            day_status: rows.day_status,
            counts: rows.grid_counts,
            households: rows.households,
        },
    );
    let (idle, workers) = worker_lines(
        &tree,
        WorkerRows {
            workers: rows.workers,
            counts: rows.worker_counts,
            others: rows.others,
            patrols: rows.patrol_workers,
            visits: rows.visits,
        },
        idle_days,
        today,
    );
    data.idle = idle;
    data.workers = workers;
    data
}

/// The overdue key sites, most overdue first (never checked, then by days past the interval;
/// then in tree order), and how many each grid has.
fn site_lines(
    tree: &Tree,
    rows: Vec<m::SiteRow>,
    today: NaiveDate,
) -> (Vec<SiteLine>, HashMap<i32, usize>) {
    let mut overdue: HashMap<i32, usize> = HashMap::new();
    let mut sites: Vec<(SiteLine, usize)> = Vec::new();
    for s in rows {
        if !site_overdue(s.last_check, s.patrol_days, today) {
            continue;
        }
        *overdue.entry(s.grid_id).or_default() += 1;
        let grid = tree.units.get(&s.grid_id);
        sites.push((
            SiteLine {
                name: s.name,
                kind: s.kind,
                grid: grid.map(|g| g.name.clone()).unwrap_or_default(),
                community: tree.name(grid.and_then(|g| g.parent_id)),
                interval: s.patrol_days,
                last: s.last_check,
                days: days_since(s.last_check, today),
            },
            tree.place(s.grid_id),
        ));
    }
    sites.sort_by_key(|(s, o)| {
        (
            s.days.map(|d| s.interval as i64 - d).unwrap_or(i64::MIN),
            *o,
        )
    });
    (sites.into_iter().map(|(s, _)| s).collect(), overdue)
}

/// The per-grid rows.
struct GridRows {
    logged_days: Vec<m::LoggedDay>,
    day_status: Vec<m::DayStatus>,
    counts: Vec<m::GridCounts>,
    households: Vec<m::Households>,
}

/// The grid table by community, and the unit's today and week totals.
fn grid_lines(
    data: &mut CoverageData,
    tree: &Tree,
    overdue: &HashMap<i32, usize>,
    working: &[NaiveDate],
    rows: GridRows,
) {
    let mut week: HashMap<i32, HashSet<NaiveDate>> = HashMap::new();
    for r in rows.logged_days {
        week.entry(r.grid_id).or_default().insert(r.day);
    }
    let status: HashMap<i32, bool> = rows
        .day_status
        .into_iter()
        .map(|r| (r.grid_id, r.all_quick == 1))
        .collect();
    let mut counts: HashMap<i32, m::GridCounts> =
        rows.counts.into_iter().map(|c| (c.grid_id, c)).collect();
    let mut households: HashMap<i32, m::Households> = rows
        .households
        .into_iter()
        .map(|h| (h.grid_id, h))
        .collect();
    let none = HashSet::new();
    for g in &tree.grids {
        let logged = week.get(&g.id).unwrap_or(&none);
        let today_status = match status.get(&g.id) {
            Some(true) => "quick",
            Some(false) => "yes",
            None => "no",
        };
        let week_full = working.iter().all(|w| logged.contains(w));
        let line = GridLine {
            id: g.id,
            name: g.name.clone(),
            community: tree.name(g.parent_id),
            today: today_status,
            week_days: logged.len() as i64,
            week_full,
            c: counts.remove(&g.id).unwrap_or_default(),
            h: households.remove(&g.id).unwrap_or_default(),
            overdue_sites: overdue.get(&g.id).copied().unwrap_or(0),
        };
        let patrolled = usize::from(today_status != "no");
        data.patrolled_today += patrolled;
        data.full_week += usize::from(week_full);
        match data.communities.last_mut() {
            Some(c) if c.name == line.community => {
                c.patrolled_today += patrolled;
                c.grids.push(line);
            }
            _ => data.communities.push(Community {
                name: line.community.clone(),
                patrolled_today: patrolled,
                grids: vec![line],
            }),
        }
    }
}

/// The per-worker rows.
struct WorkerRows {
    workers: Vec<m::WorkerGrid>,
    counts: Vec<m::WorkerCounts>,
    others: Vec<m::UserName>,
    patrols: Vec<m::PatrolWorker>,
    visits: Vec<m::VisitHousehold>,
}

fn worker_line(
    name: String,
    phone: String,
    last: Option<NaiveDate>,
    today: NaiveDate,
) -> WorkerLine {
    WorkerLine {
        name,
        grids: Vec::new(),
        phone,
        last,
        days: days_since(last, today),
        c: m::WorkerCounts::default(),
        households: 0,
    }
}

/// The idle workers (longest idle first) and every worker's figures over the period: those of
/// the subtree's grids, and whoever else logged in them in the period.
fn worker_lines(
    tree: &Tree,
    rows: WorkerRows,
    idle_days: i64,
    today: NaiveDate,
) -> (Vec<WorkerLine>, Vec<WorkerLine>) {
    let mut workers: BTreeMap<i32, WorkerLine> = BTreeMap::new();
    let mut first_grid: HashMap<i32, usize> = HashMap::new();
    for w in rows.workers {
        let o = tree.place(w.grid_id);
        let e = first_grid.entry(w.user_id).or_insert(o);
        *e = (*e).min(o);
        let line = workers
            .entry(w.user_id)
            .or_insert_with(|| worker_line(w.name, mask_phone(&w.phone), w.last_day, today));
        line.grids.push(tree.name(Some(w.grid_id)));
    }
    let mut idle: Vec<WorkerLine> = workers
        .values()
        .filter(|w| worker_idle(w.last, idle_days, today))
        .cloned()
        .collect();
    idle.sort_by_key(|w| (w.days.map(|d| -d).unwrap_or(i64::MIN), w.name.clone()));
    for u in rows.others {
        workers.insert(u.id, worker_line(u.name, String::new(), None, today));
    }
    for c in rows.counts {
        if let Some(w) = workers.get_mut(&c.worker_id) {
            w.c = c;
        }
    }
    let by_patrol: HashMap<i32, i32> = rows
        .patrols
        .into_iter()
        .map(|p| (p.id, p.worker_id))
        .collect();
    let mut seen: HashMap<i32, HashSet<String>> = HashMap::new();
    for v in rows.visits {
        if let Some(w) = by_patrol.get(&v.patrol_id) {
            seen.entry(*w).or_default().insert(v.household);
        }
    }
    for (id, set) in seen {
        if let Some(w) = workers.get_mut(&id) {
            w.households = set.len() as i64;
        }
    }
    let mut workers: Vec<(i32, WorkerLine)> = workers.into_iter().collect();
    workers.sort_by_cached_key(|(id, w)| {
        (
            first_grid.get(id).copied().unwrap_or(usize::MAX),
            w.name.clone(),
        )
    });
    (idle, workers.into_iter().map(|(_, w)| w).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn weeks_and_quarters() {
        // 2026-11-27 is a Friday.
        assert_eq!(week_start(d("2026-11-27")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-23")), d("2026-11-23"));
        assert_eq!(week_start(d("2026-11-29")), d("2026-11-23"));
        assert_eq!(quarter_start(d("2026-11-27")), d("2026-10-01"));
        assert_eq!(quarter_start(d("2026-03-31")), d("2026-01-01"));
    }

    #[test]
    fn overdue_and_idle_count_whole_days() {
        let today = d("2026-11-27");
        assert!(site_overdue(None, 7, today));
        assert!(!site_overdue(Some(d("2026-11-20")), 7, today));
        assert!(site_overdue(Some(d("2026-11-19")), 7, today));
        assert!(!site_overdue(Some(d("2026-11-26")), 1, today));
        assert!(worker_idle(None, 3, today));
        assert!(!worker_idle(Some(d("2026-11-24")), 3, today));
        assert!(worker_idle(Some(d("2026-11-23")), 3, today));
    }
}
