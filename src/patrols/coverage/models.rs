//! The coverage page's queries, and the cache of the figures assembled from them. Every patrol and visit count reads `grid_id IN (the grids of the
//! subtree)` with a day range, so both backends seek the `(grid_id, day, …)` indexes grid by grid
//! and never pass a year of rows; "last checked" per key site and "last log" per worker are one
//! backward index seek each (correlated `MAX(day)`).
//!
//! The grids are written into the statement as a list of ids (`Grids`): given a subquery on the
//! org tree instead, PostgreSQL estimated the visits of a district's week at random heap reads
//! and scanned the whole visits table (90 ms) where a bitmap scan of the list takes 13 ms.
//! `$n` placeholders work on both backends; SQLite numbers them in order of first appearance, so
//! each statement uses them in ascending order.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};

use super::domain::{self, CoverageData, Key};
use crate::db::AnyConnection;
use crate::db::schema::{org_units, users};
use crate::db::stamped::StampedCache;
use crate::error::AppResult;
use crate::org::models::OrgUnit;

/// The change stamp (see `stamp`).
type Stamp = Vec<Option<i32>>;

/// Assembled figures by key until the stamp moves (see `crate::db::stamped`): a district's page
/// reads ~100,000 visit index entries for the quarter's households, and leaders reopen it far
/// more often than it changes.
#[derive(Default)]
pub struct Cache(StampedCache<Key, Stamp, CoverageData>);

impl Cache {
    /// The figures of `unit` (already checked to be in the user's scope) under `key`.
    pub fn get(
        &self,
        conn: &mut AnyConnection,
        unit: &OrgUnit,
        key: Key,
    ) -> AppResult<Arc<CoverageData>> {
        let stamp = stamp(conn)?;
        let (_, from, to, idle, today) = key;
        self.0.get_or_load(key, stamp, || {
            let rows = read(conn, unit, from, to, today)?;
            Ok(domain::assemble(rows, idle, today))
        })
    }
}

/// Everything the figures of a unit are assembled from (`domain::assemble`).
pub struct Rows {
    /// This week's working days up to today, on the work calendar.
    pub working: Vec<NaiveDate>,
    /// The subtree's units (and a grid's community, for a grid).
    pub units: Vec<UnitRow>,
    pub sites: Vec<SiteRow>,
    pub logged_days: Vec<LoggedDay>,
    pub day_status: Vec<DayStatus>,
    pub grid_counts: Vec<GridCounts>,
    pub households: Vec<Households>,
    pub workers: Vec<WorkerGrid>,
    pub worker_counts: Vec<WorkerCounts>,
    /// Names of those who logged in the subtree's grids but are not among its workers.
    pub others: Vec<UserName>,
    pub patrol_workers: Vec<PatrolWorker>,
    pub visits: Vec<VisitHousehold>,
}

/// Reads the rows of `unit`'s figures: the period `[from, to]`, this week, month and quarter.
pub fn read(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> AppResult<Rows> {
    let monday = domain::week_start(today);
    let cal = crate::calendar::models::load(conn, monday, today)?;
    let working = monday
        .iter_days()
        .take_while(|d| *d <= today)
        .filter(|d| cal.is_workday(*d))
        .collect();
    let mut units = subtree_units(conn, &unit.path)?;
    if unit.kind == "grid"
        && let Some(parent) = unit.parent_id
    {
        let c = crate::org::models::get(conn, parent)?;
        units.push(UnitRow {
            id: c.id,
            parent_id: c.parent_id,
            kind: c.kind,
            name: c.name,
            path: c.path,
            sort_order: c.sort_order,
        });
    }
    let ids: Vec<i32> = units
        .iter()
        .filter(|u| u.kind == "grid")
        .map(|u| u.id)
        .collect();
    let grids = Grids::new(&ids);
    let workers = workers(conn, &unit.path)?;
    let worker_counts = worker_counts(conn, &grids, from, to)?;
    let others: Vec<i32> = worker_counts
        .iter()
        .map(|c| c.worker_id)
        .filter(|id| !workers.iter().any(|w| w.user_id == *id))
        .collect();
    let month_start = today.with_day(1).unwrap_or(today);
    Ok(Rows {
        working,
        sites: sites(conn, &grids)?,
        logged_days: logged_days(conn, &grids, monday, today)?,
        day_status: day_status(conn, &grids, today)?,
        grid_counts: grid_counts(conn, &grids, from, to)?,
        households: households(
            conn,
            &grids,
            month_start,
            domain::quarter_start(today),
            today,
        )?,
        others: user_names(conn, &others)?,
        patrol_workers: patrol_workers(conn, &grids, from, to)?,
        visits: visit_households(conn, &grids, from, to)?,
        units,
        workers,
        worker_counts,
    })
}

/// The ids of a subtree's grids as an SQL list ("4,5,7"; "NULL" for none, which matches nothing).
/// Only integers go in, so it is safe to write into a statement.
pub struct Grids(String);

impl Grids {
    pub fn new(ids: &[i32]) -> Grids {
        if ids.is_empty() {
            return Grids("NULL".into());
        }
        Grids(ids.iter().map(i32::to_string).collect::<Vec<_>>().join(","))
    }

    /// The rows of `select` (`SELECT … FROM` a table with `grid_id` and `day`) in these grids over
    /// `[from, to]`, then `rest` (`GROUP BY …`, a further condition): the `(grid_id, day, …)`
    /// index's seek, grid by grid.
    fn over_period<R>(
        &self,
        conn: &mut AnyConnection,
        select: &str,
        (from, to): (NaiveDate, NaiveDate),
        rest: &str,
    ) -> AppResult<Vec<R>>
    where
        R: QueryableByName<crate::db::MultiBackend> + 'static,
    {
        let list = &self.0;
        Ok(diesel::sql_query(format!(
            "{select} WHERE grid_id IN ({list}) AND day >= $1 AND day <= $2 {rest}"
        ))
        .bind::<Date, _>(from)
        .bind::<Date, _>(to)
        .load(conn)?)
    }
}

/// A unit of the subtree (for names, community grouping and tree order).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_units)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct UnitRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: String,
    pub name: String,
    pub path: String,
    pub sort_order: i32,
}

/// Every unit of the subtree at `path`.
pub fn subtree_units(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<UnitRow>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .select(UnitRow::as_select())
        .load(conn)?)
}

/// A day on which a grid has at least one log.
#[derive(Debug, Clone, QueryableByName)]
pub struct LoggedDay {
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = Date)]
    pub day: NaiveDate,
}

/// The days with a log per grid in `[from, to]` (this week), from the covering index.
pub fn logged_days(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<LoggedDay>> {
    grids.over_period(
        conn,
        "SELECT grid_id, day FROM patrols",
        (from, to),
        "GROUP BY grid_id, day",
    )
}

/// A grid with a log on a day: `all_quick` is 1 when every log that day was one-click
/// "patrolled, nothing to report".
#[derive(Debug, Clone, QueryableByName)]
pub struct DayStatus {
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = Integer)]
    pub all_quick: i32,
}

/// The grids with a log on `day`, each with whether all its logs that day were one-click
/// "patrolled, nothing to report" (`quick` is read from the rows: one day's logs only).
pub fn day_status(
    conn: &mut AnyConnection,
    grids: &Grids,
    day: NaiveDate,
) -> AppResult<Vec<DayStatus>> {
    let list = &grids.0;
    Ok(diesel::sql_query(format!(
        "SELECT grid_id, MIN(CASE WHEN quick THEN 1 ELSE 0 END) AS all_quick FROM patrols \
         WHERE grid_id IN ({list}) AND day = $1 GROUP BY grid_id"
    ))
    .bind::<Date, _>(day)
    .load(conn)?)
}

/// Patrols, visits and problems per grid over a period, read from the covering index.
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct GridCounts {
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = BigInt)]
    pub patrols: i64,
    #[diesel(sql_type = BigInt)]
    pub visits: i64,
    #[diesel(sql_type = BigInt)]
    pub problems: i64,
}

pub fn grid_counts(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<GridCounts>> {
    grids.over_period(
        conn,
        "SELECT grid_id, COUNT(*) AS patrols, CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS visits, \
         CAST(COALESCE(SUM(problems), 0) AS BIGINT) AS problems FROM patrols",
        (from, to),
        "GROUP BY grid_id",
    )
}

/// Distinct households visited per grid this month and this quarter.
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct Households {
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = BigInt)]
    pub month: i64,
    #[diesel(sql_type = BigInt)]
    pub quarter: i64,
}

/// One pass over the quarter's `(grid_id, day, household)` index entries counts both.
pub fn households(
    conn: &mut AnyConnection,
    grids: &Grids,
    month_start: NaiveDate,
    quarter_start: NaiveDate,
    today: NaiveDate,
) -> AppResult<Vec<Households>> {
    let list = &grids.0;
    // PostgreSQL sorts each grid's households to count them: byte order, not the locale's
    // collation (40 % less time for a district's quarter).
    let c = match conn {
        AnyConnection::Postgresql(_) => " COLLATE \"C\"",
        AnyConnection::Sqlite(_) => "",
    };
    Ok(diesel::sql_query(format!(
        "SELECT grid_id, COUNT(DISTINCT CASE WHEN day >= $1 THEN household{c} END) AS month, \
         COUNT(DISTINCT household{c}) AS quarter FROM patrol_visits \
         WHERE grid_id IN ({list}) AND day >= $2 AND day <= $3 GROUP BY grid_id",
    ))
    .bind::<Date, _>(month_start)
    .bind::<Date, _>(quarter_start)
    .bind::<Date, _>(today)
    .load(conn)?)
}

/// An active key site of the subtree with the day it was last checked.
#[derive(Debug, Clone, QueryableByName)]
pub struct SiteRow {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub kind: String,
    #[diesel(sql_type = Integer)]
    pub patrol_days: i32,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_check: Option<NaiveDate>,
}

pub fn sites(conn: &mut AnyConnection, grids: &Grids) -> AppResult<Vec<SiteRow>> {
    let list = &grids.0;
    Ok(diesel::sql_query(format!(
        "SELECT k.id, k.grid_id, k.name, k.kind, k.patrol_days, \
         (SELECT MAX(s.day) FROM patrol_sites s WHERE s.site_id = k.id) AS last_check \
         FROM key_sites k WHERE k.active AND k.grid_id IN ({list})"
    ))
    .load(conn)?)
}

/// A grid worker and one of their grids in the subtree (a worker's own grid unit, or a grid
/// whose responsible people name them: office staff sent down), with their last log.
#[derive(Debug, Clone, QueryableByName)]
pub struct WorkerGrid {
    #[diesel(sql_type = Integer)]
    pub user_id: i32,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub phone: String,
    #[diesel(sql_type = Integer)]
    pub grid_id: i32,
    #[diesel(sql_type = Nullable<Date>)]
    pub last_day: Option<NaiveDate>,
}

pub fn workers(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<WorkerGrid>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(diesel::sql_query(
        "SELECT u.id AS user_id, u.display_name AS name, u.phone, w.grid_id, \
         (SELECT MAX(p.day) FROM patrols p WHERE p.worker_id = u.id) AS last_day \
         FROM (SELECT u.id AS user_id, u.org_unit_id AS grid_id FROM users u \
               JOIN org_units g ON g.id = u.org_unit_id \
               WHERE g.path >= $1 AND g.path < $2 AND g.kind = 'grid' \
               UNION \
               SELECT gp.user_id, gp.grid_id FROM grid_people gp \
               JOIN org_units g ON g.id = gp.grid_id \
               WHERE g.path >= $1 AND g.path < $2 AND gp.user_id IS NOT NULL) w \
         JOIN users u ON u.id = w.user_id \
         WHERE u.role = 'grid_worker' AND u.active",
    )
    .bind::<Text, _>(lo)
    .bind::<Text, _>(hi)
    .load(conn)?)
}

/// A worker's logs in the subtree's grids over a period.
#[derive(Debug, Clone, Default, QueryableByName)]
pub struct WorkerCounts {
    #[diesel(sql_type = Integer)]
    pub worker_id: i32,
    #[diesel(sql_type = BigInt)]
    pub days: i64,
    #[diesel(sql_type = BigInt)]
    pub patrols: i64,
    #[diesel(sql_type = BigInt)]
    pub visits: i64,
    #[diesel(sql_type = BigInt)]
    pub problems: i64,
}

pub fn worker_counts(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<WorkerCounts>> {
    grids.over_period(
        conn,
        "SELECT worker_id, COUNT(DISTINCT day) AS days, COUNT(*) AS patrols, \
         CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS visits, \
         CAST(COALESCE(SUM(problems), 0) AS BIGINT) AS problems FROM patrols",
        (from, to),
        "GROUP BY worker_id",
    )
}

/// A patrol with visits and the worker who logged it.
#[derive(Debug, Clone, QueryableByName)]
pub struct PatrolWorker {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Integer)]
    pub worker_id: i32,
}

/// The patrols with visits in the subtree's grids over a period.
pub fn patrol_workers(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<PatrolWorker>> {
    grids.over_period(
        conn,
        "SELECT id, worker_id FROM patrols",
        (from, to),
        "AND visits > 0",
    )
}

/// A visit's household and the patrol it was made on.
#[derive(Debug, Clone, QueryableByName)]
pub struct VisitHousehold {
    #[diesel(sql_type = Integer)]
    pub patrol_id: i32,
    #[diesel(sql_type = Text)]
    pub household: String,
}

/// The visits in the subtree's grids over a period. Read by the grid index and matched to their
/// patrols' workers in memory: joined in SQL, PostgreSQL hashed the whole visits table.
pub fn visit_households(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<VisitHousehold>> {
    grids.over_period(
        conn,
        "SELECT patrol_id, household FROM patrol_visits",
        (from, to),
        "",
    )
}

/// What changes the coverage figures leaves a trace here: new patrols, visits, site checks and
/// corrections raise their tables' largest id, and every other change (a same-day edit, key
/// sites, accounts, the tree, the calendar) writes an audit row in its transaction.
pub fn stamp(conn: &mut AnyConnection) -> AppResult<Vec<Option<i32>>> {
    crate::db::stamped::max_ids(
        conn,
        &[
            "patrols",
            "patrol_visits",
            "patrol_sites",
            "patrol_corrections",
            "audit_log",
        ],
    )
}

/// A user's display name.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct UserName {
    pub id: i32,
    #[diesel(column_name = display_name)]
    pub name: String,
}

/// Display names of users (workers who logged in the subtree but are no longer its workers).
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<UserName>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select(UserName::as_select())
        .load(conn)?)
}
