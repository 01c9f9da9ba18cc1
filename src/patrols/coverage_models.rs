//! The coverage page's queries. Every patrol and visit count reads `grid_id IN (the grids of the
//! subtree)` with a day range, so both backends seek the `(grid_id, day, …)` indexes grid by grid
//! and never pass a year of rows; "last checked" per key site and "last log" per worker are one
//! backward index seek each (correlated `MAX(day)`).
//!
//! The grids are written into the statement as a list of ids (`Grids`): given a subquery on the
//! org tree instead, PostgreSQL estimated the visits of a district's week at random heap reads
//! and scanned the whole visits table (90 ms) where a bitmap scan of the list takes 13 ms.
//! `$n` placeholders work on both backends; SQLite numbers them in order of first appearance, so
//! each statement uses them in ascending order.

use chrono::NaiveDate;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text};

use crate::db::AnyConnection;
use crate::db::schema::{org_units, users};
use crate::error::AppResult;

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
}

/// A unit of the subtree (for names, community grouping and tree order).
#[derive(Debug, Clone, Queryable)]
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
        .select((
            org_units::id,
            org_units::parent_id,
            org_units::kind,
            org_units::name,
            org_units::path,
            org_units::sort_order,
        ))
        .load(conn)?)
}

/// The days with a log per grid in `[from, to]` (this week), from the covering index.
pub fn logged_days(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i32, NaiveDate)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        grid_id: i32,
        #[diesel(sql_type = Date)]
        day: NaiveDate,
    }
    let list = &grids.0;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT grid_id, day FROM patrols WHERE grid_id IN ({list}) AND day >= $1 AND day <= $2 \
         GROUP BY grid_id, day"
    ))
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.grid_id, r.day)).collect())
}

/// The grids with a log on `day`, each with whether all its logs that day were one-click
/// "patrolled, nothing to report" (`quick` is read from the rows: one day's logs only).
pub fn day_status(
    conn: &mut AnyConnection,
    grids: &Grids,
    day: NaiveDate,
) -> AppResult<Vec<(i32, bool)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        grid_id: i32,
        #[diesel(sql_type = Integer)]
        all_quick: i32,
    }
    let list = &grids.0;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT grid_id, MIN(CASE WHEN quick THEN 1 ELSE 0 END) AS all_quick FROM patrols \
         WHERE grid_id IN ({list}) AND day = $1 GROUP BY grid_id"
    ))
    .bind::<Date, _>(day)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.grid_id, r.all_quick == 1))
        .collect())
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
    let list = &grids.0;
    Ok(diesel::sql_query(format!(
        "SELECT grid_id, COUNT(*) AS patrols, CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS visits, \
         CAST(COALESCE(SUM(problems), 0) AS BIGINT) AS problems FROM patrols \
         WHERE grid_id IN ({list}) AND day >= $1 AND day <= $2 GROUP BY grid_id"
    ))
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?)
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
    let list = &grids.0;
    Ok(diesel::sql_query(format!(
        "SELECT worker_id, COUNT(DISTINCT day) AS days, COUNT(*) AS patrols, \
         CAST(COALESCE(SUM(visits), 0) AS BIGINT) AS visits, \
         CAST(COALESCE(SUM(problems), 0) AS BIGINT) AS problems FROM patrols \
         WHERE grid_id IN ({list}) AND day >= $1 AND day <= $2 GROUP BY worker_id"
    ))
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?)
}

/// The patrols with visits in the subtree's grids over a period: (patrol id, worker id).
pub fn patrol_workers(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i32, i32)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        id: i32,
        #[diesel(sql_type = Integer)]
        worker_id: i32,
    }
    let list = &grids.0;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT id, worker_id FROM patrols WHERE grid_id IN ({list}) AND day >= $1 AND day <= $2 \
         AND visits > 0"
    ))
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    Ok(rows.into_iter().map(|r| (r.id, r.worker_id)).collect())
}

/// The visits in the subtree's grids over a period: (patrol id, household). Read by the grid
/// index and matched to their patrols' workers in memory: joined in SQL, PostgreSQL hashed the
/// whole visits table.
pub fn visit_households(
    conn: &mut AnyConnection,
    grids: &Grids,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i32, String)>> {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = Integer)]
        patrol_id: i32,
        #[diesel(sql_type = Text)]
        household: String,
    }
    let list = &grids.0;
    let rows: Vec<Row> = diesel::sql_query(format!(
        "SELECT patrol_id, household FROM patrol_visits WHERE grid_id IN ({list}) \
         AND day >= $1 AND day <= $2"
    ))
    .bind::<Date, _>(from)
    .bind::<Date, _>(to)
    .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.patrol_id, r.household))
        .collect())
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

/// Display names of users (workers who logged in the subtree but are no longer its workers).
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)?)
}
