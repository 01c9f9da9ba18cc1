//! The demolition command's SQL: a command in scope, the commands of a scope, writing one, its
//! groups, and the objects' stages counted per group for the summary.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use super::domain::Tally;
use crate::auth::CurrentUser;
use crate::db::schema::{demolition_commands as dc, demolition_groups as dg};
use crate::db::schema::{demolition_daily_reports as dr, demolition_households as dh};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = dc)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Command {
    pub id: i32,
    pub project_id: i32,
    pub scope_path: String,
    pub name: String,
    pub commander: String,
    pub started_on: NaiveDate,
    pub target_on: NaiveDate,
    pub closed: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the command form sets (the project's scope path with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = dc)]
pub struct CommandFields {
    pub project_id: i32,
    pub scope_path: String,
    pub name: String,
    pub commander: String,
    pub started_on: NaiveDate,
    pub target_on: NaiveDate,
    pub closed: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = dg)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Group {
    pub id: i32,
    pub command_id: i32,
    pub name: String,
    pub leader: String,
    pub members: String,
    pub created_at: NaiveDateTime,
}

/// What the group form sets.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = dg)]
pub struct GroupFields {
    pub command_id: i32,
    pub name: String,
    pub leader: String,
    pub members: String,
}

/// A command by id if it lies in the user's scope; 404 otherwise, as for a missing one.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Command> {
    let c: Command = dc::table
        .find(id)
        .select(Command::as_select())
        .first_row(conn)?;
    if user.sees(&c.scope_path) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// The commands in the user's scope, the latest first.
pub fn list(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Command>> {
    let (lo, hi) = user.scope();
    Ok(dc::table
        .filter(dc::scope_path.ge(lo))
        .filter(dc::scope_path.lt(hi))
        .order((dc::started_on.desc(), dc::id.desc()))
        .limit(500)
        .select(Command::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut AnyConnection, f: &CommandFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(dc::table)
        .values((f, dc::created_at.eq(now), dc::updated_at.eq(now)))
        .returning(dc::id)
        .get_result(conn)?)
}

/// Saves the command if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &CommandFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        dc::table
            .filter(dc::id.eq(id))
            .filter(dc::version.eq(version)),
    )
    .set((f, dc::version.eq(version + 1), dc::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}

/// A command's groups in the order they were made.
pub fn groups(conn: &mut AnyConnection, command_id: i32) -> AppResult<Vec<Group>> {
    Ok(dg::table
        .filter(dg::command_id.eq(command_id))
        .order(dg::id)
        .select(Group::as_select())
        .load(conn)?)
}

pub fn insert_group(
    conn: &mut AnyConnection,
    f: &GroupFields,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(dg::table)
        .values((f, dg::created_at.eq(now)))
        .returning(dg::id)
        .get_result(conn)?)
}

/// The summary's counts per group: the objects at each stage, folded.
pub fn tallies(conn: &mut AnyConnection, command_id: i32) -> AppResult<HashMap<i32, Tally>> {
    let rows: Vec<(i32, String, String, i64)> = dh::table
        .filter(dh::command_id.eq(command_id))
        .group_by((dh::group_id, dh::kind, dh::stage))
        .select((dh::group_id, dh::kind, dh::stage, count_star()))
        .load(conn)?;
    let mut out: HashMap<i32, Tally> = HashMap::new();
    for (g, kind, stage, n) in rows {
        out.entry(g).or_default().count(&kind, &stage, n);
    }
    Ok(out)
}

/// The totals of the commands not closed in the scope `[lo, hi)` (the cockpit's tile).
pub fn active_total(conn: &mut AnyConnection, lo: &str, hi: &str) -> AppResult<(i64, Tally)> {
    let ids: Vec<i32> = dc::table
        .filter(dc::scope_path.ge(lo))
        .filter(dc::scope_path.lt(hi))
        .filter(dc::closed.eq(false))
        .select(dc::id)
        .load(conn)?;
    let mut t = Tally::default();
    for id in &ids {
        for g in tallies(conn, *id)?.values() {
            t.add(g);
        }
    }
    Ok((ids.len() as i64, t))
}

/// The last day a group's daily report was submitted (steps on or before it are frozen).
pub fn frozen_until(conn: &mut AnyConnection, group_id: i32) -> AppResult<Option<NaiveDate>> {
    Ok(dr::table
        .filter(dr::group_id.eq(group_id))
        .select(diesel::dsl::max(dr::day))
        .first_row(conn)?)
}
