//! The calendar's queries: three range queries on the month, each served by an index —
//! `patrols (grid_id, day, …)`, `patrol_visits (grid_id, day, household)` (the households are
//! counted from the index alone) and the work calendar's special days.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::domain::{Month, build_days, next_month};
use crate::auth::CurrentUser;
use crate::calendar::domain::WORKDAY;
use crate::db::AnyConnection;
use crate::db::schema::{patrol_visits, patrols, users};
use crate::error::AppResult;
use crate::org::crumbs_for;
use crate::org::models as org_models;

/// One patrol log as the calendar shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Log {
    pub id: i32,
    pub day: NaiveDate,
    pub worker: String,
    pub started_at: String,
    pub ended_at: String,
    pub quick: bool,
    pub sites_checked: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
}

impl Log {
    /// "08:30–10:45"; empty for a log without times.
    pub fn span(&self) -> String {
        match (self.started_at.is_empty(), self.ended_at.is_empty()) {
            (true, true) => String::new(),
            _ => format!("{}–{}", self.started_at, self.ended_at),
        }
    }
}

/// A visited household on a day.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrol_visits)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct DayHousehold {
    pub day: NaiveDate,
    pub household: String,
}

/// The logs of a grid in `[from, to)`, by day and time.
fn logs(
    conn: &mut AnyConnection,
    grid: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Log>> {
    Ok(patrols::table
        .inner_join(users::table.on(users::id.eq(patrols::worker_id)))
        .filter(patrols::grid_id.eq(grid))
        .filter(patrols::day.ge(from))
        .filter(patrols::day.lt(to))
        .order((patrols::day, patrols::started_at, patrols::id))
        .select((
            patrols::id,
            patrols::day,
            users::display_name,
            patrols::started_at,
            patrols::ended_at,
            patrols::quick,
            patrols::sites_checked,
            patrols::site_problems,
            patrols::visits,
            patrols::problems,
        ))
        .load(conn)?)
}

/// The visited households of a grid in `[from, to)` by day: from the index alone.
fn households(
    conn: &mut AnyConnection,
    grid: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayHousehold>> {
    Ok(patrol_visits::table
        .filter(patrol_visits::grid_id.eq(grid))
        .filter(patrol_visits::day.ge(from))
        .filter(patrol_visits::day.lt(to))
        .select(DayHousehold::as_select())
        .load(conn)?)
}

/// The grid (in the user's scope, else 404) and its month.
pub fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    first: NaiveDate,
    today: NaiveDate,
) -> AppResult<Month> {
    let grid = org_models::get_grid(conn, user, grid_id)?;
    let crumbs = crumbs_for(conn, user, &grid.path)?;
    let end = next_month(first);
    let special: BTreeMap<NaiveDate, (bool, String)> =
        crate::calendar::models::list_year(conn, first.year())?
            .into_iter()
            .filter(|s| s.day >= first && s.day < end)
            .map(|s| (s.day, (s.kind == WORKDAY, s.festival)))
            .collect();
    let logs = logs(conn, grid.id, first, end)?;
    let visits = households(conn, grid.id, first, end)?;
    let (days, totals) = build_days(first, today, &special, logs, &visits);
    Ok(Month {
        grid,
        crumbs,
        first,
        days,
        totals,
    })
}
