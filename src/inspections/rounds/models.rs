//! Round rows (督查计划): a round in scope with its units, checklist and inspectors; the list
//! with its filters; writing a round and its children.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{
    inspection_round_inspectors as inspectors, inspection_round_items as items,
    inspection_round_units as units, inspection_rounds as rounds,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::inspections::domain::ChecklistItem;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = rounds)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Round {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub title: String,
    pub mode: String,
    pub planned_from: NaiveDate,
    pub planned_to: NaiveDate,
    pub notes: String,
    pub created_by: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A unit the round inspects, named as it was when the round was saved.
#[derive(Debug, Clone, Queryable, Serialize, PartialEq, Eq)]
pub struct RoundUnit {
    pub unit_id: i32,
    pub unit_path: String,
    pub unit_name: String,
}

/// An inspector of the round.
#[derive(Debug, Clone, Queryable, Serialize, PartialEq, Eq)]
pub struct Inspector {
    pub user_id: i32,
    pub name: String,
}

/// A checklist line as stored.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Item {
    pub id: i32,
    pub position: i32,
    pub item: String,
    pub standard: String,
}

/// A round with everything under it.
#[derive(Debug, Clone, Serialize)]
pub struct Loaded {
    pub round: Round,
    pub units: Vec<RoundUnit>,
    pub items: Vec<Item>,
    pub inspectors: Vec<Inspector>,
}

/// What the round form sets (`scope_path` and `unit_id` are the planner's unit).
#[derive(Debug, Clone, Serialize)]
pub struct RoundFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub title: String,
    pub mode: String,
    pub planned_from: NaiveDate,
    pub planned_to: NaiveDate,
    pub notes: String,
    /// The units inspected (in the planner's scope: the form offers no other).
    pub unit_ids: Vec<i32>,
    pub items: Vec<ChecklistItem>,
    pub inspectors: Vec<Inspector>,
}

/// A round by id, if it lies in the user's scope (404 otherwise).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Round> {
    let r: Round = rounds::table
        .find(id)
        .select(Round::as_select())
        .first_row(conn)?;
    if user.sees(&r.scope_path) {
        Ok(r)
    } else {
        Err(AppError::NotFound)
    }
}

/// A round in scope with its units, checklist and inspectors.
pub fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let round = get_scoped(conn, user, id)?;
    Ok(Loaded {
        units: units::table
            .filter(units::round_id.eq(id))
            .order(units::id)
            .select((units::unit_id, units::unit_path, units::unit_name))
            .load(conn)?,
        items: items::table
            .filter(items::round_id.eq(id))
            .order(items::position)
            .select((items::id, items::position, items::item, items::standard))
            .load(conn)?,
        inspectors: inspectors::table
            .filter(inspectors::round_id.eq(id))
            .order(inspectors::id)
            .select((inspectors::user_id, inspectors::name))
            .load(conn)?,
        round,
    })
}

fn write_children(conn: &mut AnyConnection, id: i32, f: &RoundFields) -> AppResult<()> {
    diesel::delete(units::table.filter(units::round_id.eq(id))).execute(conn)?;
    diesel::delete(inspectors::table.filter(inspectors::round_id.eq(id))).execute(conn)?;
    for uid in &f.unit_ids {
        let u = crate::org::models::get(conn, *uid)?;
        diesel::insert_into(units::table)
            .values((
                units::round_id.eq(id),
                units::unit_id.eq(u.id),
                units::unit_path.eq(&u.path),
                units::unit_name.eq(&u.name),
            ))
            .execute(conn)?;
    }
    for i in &f.inspectors {
        diesel::insert_into(inspectors::table)
            .values((
                inspectors::round_id.eq(id),
                inspectors::user_id.eq(i.user_id),
                inspectors::name.eq(&i.name),
            ))
            .execute(conn)?;
    }
    write_items(conn, id, &f.items)
}

/// The checklist: lines kept where their text is unchanged at the same place (so results
/// recorded against them stay), the rest replaced.
fn write_items(conn: &mut AnyConnection, id: i32, list: &[ChecklistItem]) -> AppResult<()> {
    let old: Vec<Item> = items::table
        .filter(items::round_id.eq(id))
        .order(items::position)
        .select((items::id, items::position, items::item, items::standard))
        .load(conn)?;
    for (n, it) in list.iter().enumerate() {
        let pos = n as i32 + 1;
        match old.iter().find(|o| o.position == pos) {
            Some(o) if o.item == it.item && o.standard == it.standard => {}
            Some(o) => {
                diesel::update(items::table.find(o.id))
                    .set((items::item.eq(&it.item), items::standard.eq(&it.standard)))
                    .execute(conn)?;
            }
            None => {
                diesel::insert_into(items::table)
                    .values((
                        items::round_id.eq(id),
                        items::position.eq(pos),
                        items::item.eq(&it.item),
                        items::standard.eq(&it.standard),
                    ))
                    .execute(conn)?;
            }
        }
    }
    let kept = list.len() as i32;
    for o in old.iter().filter(|o| o.position > kept) {
        diesel::delete(items::table.find(o.id)).execute(conn)?;
    }
    Ok(())
}

/// Inserts a round and its children; answers its id.
pub fn insert(
    conn: &mut AnyConnection,
    f: &RoundFields,
    by: i32,
    now: NaiveDateTime,
) -> AppResult<i32> {
    let id = diesel::insert_into(rounds::table)
        .values((
            rounds::unit_id.eq(f.unit_id),
            rounds::scope_path.eq(&f.scope_path),
            rounds::title.eq(&f.title),
            rounds::mode.eq(&f.mode),
            rounds::planned_from.eq(f.planned_from),
            rounds::planned_to.eq(f.planned_to),
            rounds::notes.eq(&f.notes),
            rounds::created_by.eq(by),
            rounds::version.eq(1),
            rounds::created_at.eq(now),
            rounds::updated_at.eq(now),
        ))
        .returning(rounds::id)
        .get_result(conn)?;
    write_children(conn, id, f)?;
    Ok(id)
}

/// Saves the round if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &RoundFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        rounds::table
            .filter(rounds::id.eq(id))
            .filter(rounds::version.eq(version)),
    )
    .set((
        rounds::title.eq(&f.title),
        rounds::mode.eq(&f.mode),
        rounds::planned_from.eq(f.planned_from),
        rounds::planned_to.eq(f.planned_to),
        rounds::notes.eq(&f.notes),
        rounds::version.eq(version + 1),
        rounds::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n != 1 {
        return Ok(false);
    }
    write_children(conn, id, f)?;
    Ok(true)
}

/// Filters of the round list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub mode: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// The most rounds the list and its export read (a street plans a few a month).
pub const LIST_MAX: i64 = 2000;

/// Rounds in scope, the latest planned first; `from`/`to` keep the rounds whose planned days
/// meet the period.
pub fn list(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter) -> AppResult<Vec<Round>> {
    let (lo, hi) = user.scope();
    let mut q = rounds::table
        .filter(rounds::scope_path.ge(lo))
        .filter(rounds::scope_path.lt(hi))
        .into_boxed();
    if let Some(m) = &f.mode {
        q = q.filter(rounds::mode.eq(m.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(rounds::planned_to.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(rounds::planned_from.le(d));
    }
    Ok(q.order((rounds::planned_from.desc(), rounds::id.desc()))
        .limit(LIST_MAX)
        .select(Round::as_select())
        .load(conn)?)
}

/// How many units and checklist items each of `ids` has: (round id, units, items).
pub fn counts(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, i64, i64)>> {
    let u: Vec<(i32, i64)> = units::table
        .filter(units::round_id.eq_any(ids))
        .group_by(units::round_id)
        .select((units::round_id, diesel::dsl::count_star()))
        .load(conn)?;
    let i: Vec<(i32, i64)> = items::table
        .filter(items::round_id.eq_any(ids))
        .group_by(items::round_id)
        .select((items::round_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(ids
        .iter()
        .map(|id| {
            let n = |v: &[(i32, i64)]| v.iter().find(|(r, _)| r == id).map_or(0, |(_, n)| *n);
            (*id, n(&u), n(&i))
        })
        .collect())
}
