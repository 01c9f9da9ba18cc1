//! What the coverage page shows for one unit, assembled from `coverage_models`' queries, the
//! rules that decide "overdue" and "idle", and a cache of the assembled figures until some patrol,
//! visit, site check or audited change happens (a district's page reads ~100,000 visit index
//! entries for the quarter's households; leaders reopen it far more often than it changes).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate};

use super::coverage_models::{self as m, UnitRow};
use crate::db::AnyConnection;
use crate::db::stamped::StampedCache;
use crate::error::AppResult;
use crate::org::models::OrgUnit;
use crate::web::forms::mask_phone;

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

/// The change stamp (see `coverage_models::stamp`).
type Stamp = Vec<Option<i32>>;

/// Assembled figures by key until the stamp moves (see `crate::db::stamped`).
#[derive(Default)]
pub struct Cache(StampedCache<Key, Stamp, CoverageData>);

impl Cache {
    pub fn get(
        &self,
        conn: &mut AnyConnection,
        unit: &OrgUnit,
        key: Key,
    ) -> AppResult<Arc<CoverageData>> {
        let stamp = m::stamp(conn)?;
        let (_, from, to, idle, today) = key;
        self.0
            .get_or_load(key, stamp, || load(conn, unit, from, to, idle, today))
    }
}

/// A unit's place in the tree: its ancestors' (sort order, id) from the top of the subtree.
fn tree_key(path: &str, units: &HashMap<i32, &UnitRow>) -> Vec<(i32, i32)> {
    path.split('/')
        .filter_map(|s| s.parse::<i32>().ok())
        .filter_map(|id| units.get(&id).map(|u| (u.sort_order, u.id)))
        .collect()
}

/// Reads and assembles the figures of `unit` (already checked to be in the user's scope).
pub fn load(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    from: NaiveDate,
    to: NaiveDate,
    idle_days: i64,
    today: NaiveDate,
) -> AppResult<CoverageData> {
    let monday = week_start(today);
    let cal = crate::calendar::models::load(conn, monday, today)?;
    let working: Vec<NaiveDate> = monday
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| cal.is_workday(*d))
        .collect();

    let mut rows = m::subtree_units(conn, &unit.path)?;
    if unit.kind == "grid"
        && let Some(parent) = unit.parent_id
    {
        let c = crate::org::models::get(conn, parent)?;
        rows.push(UnitRow {
            id: c.id,
            parent_id: c.parent_id,
            kind: c.kind,
            name: c.name,
            path: c.path,
            sort_order: c.sort_order,
        });
    }
    let units: HashMap<i32, &UnitRow> = rows.iter().map(|u| (u.id, u)).collect();
    let name_of = |id: Option<i32>| {
        id.and_then(|id| units.get(&id))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let mut grid_rows: Vec<&UnitRow> = rows.iter().filter(|u| u.kind == "grid").collect();
    grid_rows.sort_by_cached_key(|g| tree_key(&g.path, &units));
    let order: HashMap<i32, usize> = grid_rows
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id, i))
        .collect();
    let ids: Vec<i32> = grid_rows.iter().map(|g| g.id).collect();
    let grids = m::Grids::new(&ids);

    // Key sites first: the grid table counts the overdue ones.
    let mut overdue: HashMap<i32, usize> = HashMap::new();
    let mut sites: Vec<(SiteLine, usize)> = Vec::new();
    for s in m::sites(conn, &grids)? {
        if !site_overdue(s.last_check, s.patrol_days, today) {
            continue;
        }
        *overdue.entry(s.grid_id).or_default() += 1;
        let grid = units.get(&s.grid_id);
        sites.push((
            SiteLine {
                name: s.name,
                kind: s.kind,
                grid: grid.map(|g| g.name.clone()).unwrap_or_default(),
                community: name_of(grid.and_then(|g| g.parent_id)),
                interval: s.patrol_days,
                last: s.last_check,
                days: days_since(s.last_check, today),
            },
            order.get(&s.grid_id).copied().unwrap_or(usize::MAX),
        ));
    }
    // Most overdue first: never checked, then by days past the interval; then in tree order.
    sites.sort_by_key(|(s, o)| {
        (
            s.days.map(|d| s.interval as i64 - d).unwrap_or(i64::MIN),
            *o,
        )
    });

    let mut week: HashMap<i32, HashSet<NaiveDate>> = HashMap::new();
    for (grid, day) in m::logged_days(conn, &grids, monday, today)? {
        week.entry(grid).or_default().insert(day);
    }
    let status: HashMap<i32, bool> = m::day_status(conn, &grids, today)?.into_iter().collect();
    let mut counts: HashMap<i32, m::GridCounts> = m::grid_counts(conn, &grids, from, to)?
        .into_iter()
        .map(|c| (c.grid_id, c))
        .collect();
    let month_start = today.with_day(1).unwrap_or(today);
    let mut households: HashMap<i32, m::Households> =
        m::households(conn, &grids, month_start, quarter_start(today), today)?
            .into_iter()
            .map(|h| (h.grid_id, h))
            .collect();
    let mut communities: Vec<Community> = Vec::new();
    let (mut patrolled_today, mut full_week) = (0, 0);
    let none = HashSet::new();
    for g in &grid_rows {
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
            community: name_of(g.parent_id),
            today: today_status,
            week_days: logged.len() as i64,
            week_full,
            c: counts.remove(&g.id).unwrap_or_default(),
            h: households.remove(&g.id).unwrap_or_default(),
            overdue_sites: overdue.get(&g.id).copied().unwrap_or(0),
        };
        let patrolled = usize::from(today_status != "no");
        patrolled_today += patrolled;
        full_week += usize::from(week_full);
        match communities.last_mut() {
            Some(c) if c.name == line.community => {
                c.patrolled_today += patrolled;
                c.grids.push(line);
            }
            _ => communities.push(Community {
                name: line.community.clone(),
                patrolled_today: patrolled,
                grids: vec![line],
            }),
        }
    }

    // Workers: those of the subtree's grids, and whoever else logged in them in the period.
    let mut workers: BTreeMap<i32, WorkerLine> = BTreeMap::new();
    let mut first_grid: HashMap<i32, usize> = HashMap::new();
    for w in m::workers(conn, &unit.path)? {
        let o = order.get(&w.grid_id).copied().unwrap_or(usize::MAX);
        let e = first_grid.entry(w.user_id).or_insert(o);
        *e = (*e).min(o);
        let line = workers.entry(w.user_id).or_insert_with(|| WorkerLine {
            name: w.name,
            grids: Vec::new(),
            phone: mask_phone(&w.phone),
            last: w.last_day,
            days: days_since(w.last_day, today),
            c: m::WorkerCounts::default(),
            households: 0,
        });
        line.grids.push(name_of(Some(w.grid_id)));
    }
    let mut idle: Vec<WorkerLine> = workers
        .values()
        .filter(|w| worker_idle(w.last, idle_days, today))
        .cloned()
        .collect();
    idle.sort_by_key(|w| (w.days.map(|d| -d).unwrap_or(i64::MIN), w.name.clone()));
    let worker_counts = m::worker_counts(conn, &grids, from, to)?;
    let others: Vec<i32> = worker_counts
        .iter()
        .map(|c| c.worker_id)
        .filter(|id| !workers.contains_key(id))
        .collect();
    for (id, name) in m::user_names(conn, &others)? {
        workers.insert(
            id,
            WorkerLine {
                name,
                grids: Vec::new(),
                phone: String::new(),
                last: None,
                days: None,
                c: m::WorkerCounts::default(),
                households: 0,
            },
        );
    }
    for c in worker_counts {
        if let Some(w) = workers.get_mut(&c.worker_id) {
            w.c = c;
        }
    }
    let by_patrol: HashMap<i32, i32> = m::patrol_workers(conn, &grids, from, to)?
        .into_iter()
        .collect();
    let mut seen: HashMap<i32, HashSet<String>> = HashMap::new();
    for (patrol, household) in m::visit_households(conn, &grids, from, to)? {
        if let Some(w) = by_patrol.get(&patrol) {
            seen.entry(*w).or_default().insert(household);
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
    Ok(CoverageData {
        monday,
        working_days: working.len() as i64,
        grids: grid_rows.len(),
        communities,
        patrolled_today,
        full_week,
        sites: sites.into_iter().map(|(s, _)| s).collect(),
        idle,
        workers: workers.into_iter().map(|(_, w)| w).collect(),
    })
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
