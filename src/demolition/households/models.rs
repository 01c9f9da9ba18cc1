//! The objects' SQL: a command's households and public units (per group), one object with its
//! steps, adding one, and recording a step (the object's stage and version move with it).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{demolition_households as dh, demolition_steps as ds};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = dh)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Household {
    pub id: i32,
    pub command_id: i32,
    pub group_id: i32,
    pub kind: String,
    pub building: String,
    pub address: String,
    pub area_dm2: i64,
    pub head: String,
    pub cadre: String,
    pub stage: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
}

/// What the object form sets.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = dh)]
pub struct HouseholdFields {
    pub command_id: i32,
    pub group_id: i32,
    pub kind: String,
    pub building: String,
    pub address: String,
    pub area_dm2: i64,
    pub head: String,
    pub cadre: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ds)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Step {
    pub id: i32,
    pub household_id: i32,
    pub step: String,
    pub done_on: NaiveDate,
    pub note: String,
}

/// The most objects a list shows (a command keeps hundreds; the bench, 5,000).
pub const LIST_MAX: i64 = 10_000;

/// The command's objects, of one group when given, by group, building and address.
pub fn list(
    conn: &mut AnyConnection,
    command_id: i32,
    group: Option<i32>,
) -> AppResult<Vec<Household>> {
    let mut q = dh::table.filter(dh::command_id.eq(command_id)).into_boxed();
    if let Some(g) = group {
        q = q.filter(dh::group_id.eq(g));
    }
    Ok(q.order((dh::group_id, dh::building, dh::address, dh::id))
        .limit(LIST_MAX)
        .select(Household::as_select())
        .load(conn)?)
}

/// One object of the command (404 when it is another command's).
pub fn get(conn: &mut AnyConnection, command_id: i32, id: i32) -> AppResult<Household> {
    Ok(dh::table
        .filter(dh::id.eq(id))
        .filter(dh::command_id.eq(command_id))
        .select(Household::as_select())
        .first_row(conn)?)
}

pub fn insert(
    conn: &mut AnyConnection,
    f: &HouseholdFields,
    stage: &str,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(dh::table)
        .values((f, dh::stage.eq(stage), dh::created_at.eq(now)))
        .returning(dh::id)
        .get_result(conn)?)
}

/// Inserts many objects at once, each at its stage (the demo); answers their ids in order.
pub fn insert_many(
    conn: &mut AnyConnection,
    rows: &[(HouseholdFields, &'static str)],
    now: NaiveDateTime,
) -> AppResult<Vec<i32>> {
    let mut ids = Vec::with_capacity(rows.len());
    for (f, stage) in rows {
        ids.push(insert(conn, f, stage, now)?);
    }
    Ok(ids)
}

/// A step recorded by the demo: (object, command, group, step, day).
pub type StepRow = (i32, i32, i32, &'static str, NaiveDate);

/// Inserts many steps (the demo; the objects' stages are set with them).
pub fn insert_steps(
    conn: &mut AnyConnection,
    rows: &[StepRow],
    now: NaiveDateTime,
) -> AppResult<()> {
    for (h, c, g, step, on) in rows {
        diesel::insert_into(ds::table)
            .values((
                ds::household_id.eq(*h),
                ds::command_id.eq(*c),
                ds::group_id.eq(*g),
                ds::step.eq(*step),
                ds::done_on.eq(*on),
                ds::note.eq(""),
                ds::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// An object's steps in the order they were taken.
pub fn steps(conn: &mut AnyConnection, household_id: i32) -> AppResult<Vec<Step>> {
    Ok(ds::table
        .filter(ds::household_id.eq(household_id))
        .order(ds::id)
        .select(Step::as_select())
        .load(conn)?)
}

/// Records the step if the object is still at `version`, moving its stage; false when someone
/// recorded first.
#[allow(clippy::too_many_arguments)]
pub fn record_step(
    conn: &mut AnyConnection,
    h: &Household,
    version: i32,
    step: &str,
    on: NaiveDate,
    note: &str,
    by: Option<i32>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        dh::table
            .filter(dh::id.eq(h.id))
            .filter(dh::version.eq(version)),
    )
    .set((dh::stage.eq(step), dh::version.eq(version + 1)))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    diesel::insert_into(ds::table)
        .values((
            ds::household_id.eq(h.id),
            ds::command_id.eq(h.command_id),
            ds::group_id.eq(h.group_id),
            ds::step.eq(step),
            ds::done_on.eq(on),
            ds::note.eq(note),
            ds::recorded_by.eq(by),
            ds::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// The signing and moving-out steps of a command up to `day`: (group, step, day).
pub fn counted_steps(
    conn: &mut AnyConnection,
    command_id: i32,
    day: NaiveDate,
) -> AppResult<Vec<(i32, String, NaiveDate)>> {
    Ok(ds::table
        .inner_join(dh::table.on(dh::id.eq(ds::household_id)))
        .filter(ds::command_id.eq(command_id))
        .filter(ds::step.eq_any(["sign", "vacate"]))
        .filter(ds::done_on.le(day))
        .filter(dh::kind.eq("household"))
        .select((ds::group_id, ds::step, ds::done_on))
        .load(conn)?)
}
