//! Household and person rows: a household or person in scope, a compound's households, a
//! household's persons, writing them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{register_households, register_persons};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = register_households)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Household {
    pub id: i32,
    pub compound_id: i32,
    pub building_id: Option<i32>,
    pub scope_path: String,
    pub unit_no: String,
    pub room: String,
    pub moved_in: Option<NaiveDate>,
    pub moved_out: Option<NaiveDate>,
    pub notes: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = register_households)]
pub struct HouseholdFields {
    pub compound_id: i32,
    pub building_id: Option<i32>,
    pub scope_path: String,
    pub unit_no: String,
    pub room: String,
    pub moved_in: Option<NaiveDate>,
    pub notes: String,
}

/// A household by id, in the user's scope (404 otherwise).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Household> {
    let (lo, hi) = user.scope();
    Ok(register_households::table
        .find(id)
        .filter(register_households::scope_path.ge(lo))
        .filter(register_households::scope_path.lt(hi))
        .select(Household::as_select())
        .first_row(conn)?)
}

/// A compound's households, those living there first, by building and room.
pub fn of_compound(conn: &mut AnyConnection, compound_id: i32) -> AppResult<Vec<Household>> {
    Ok(register_households::table
        .filter(register_households::compound_id.eq(compound_id))
        .order((
            register_households::moved_out.is_not_null(),
            register_households::building_id,
            register_households::unit_no,
            register_households::room,
        ))
        .limit(2000)
        .select(Household::as_select())
        .load(conn)?)
}

pub fn insert(conn: &mut AnyConnection, f: &HouseholdFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(register_households::table)
        .values((
            f,
            register_households::created_at.eq(now),
            register_households::updated_at.eq(now),
        ))
        .returning(register_households::id)
        .get_result(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = register_persons)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Person {
    pub id: i32,
    pub household_id: i32,
    pub scope_path: String,
    pub name: String,
    pub relation: String,
    pub id_number: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub registered_address: String,
    pub separated: bool,
    pub tags: String,
    pub moved_in: Option<NaiveDate>,
    pub moved_out: Option<NaiveDate>,
    pub notes: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = register_persons)]
pub struct PersonFields {
    pub household_id: i32,
    pub scope_path: String,
    pub name: String,
    pub relation: String,
    pub id_number: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub phone: String,
    pub registered_address: String,
    pub separated: bool,
    pub tags: String,
    pub moved_in: Option<NaiveDate>,
    pub notes: String,
}

/// A person by id, in the user's scope (404 otherwise).
pub fn person_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Person> {
    let (lo, hi) = user.scope();
    Ok(register_persons::table
        .find(id)
        .filter(register_persons::scope_path.ge(lo))
        .filter(register_persons::scope_path.lt(hi))
        .select(Person::as_select())
        .first_row(conn)?)
}

/// A household's persons, the householder first.
pub fn persons(conn: &mut AnyConnection, household_id: i32) -> AppResult<Vec<Person>> {
    Ok(register_persons::table
        .filter(register_persons::household_id.eq(household_id))
        .order((
            register_persons::moved_out.is_not_null(),
            register_persons::id,
        ))
        .select(Person::as_select())
        .load(conn)?)
}

pub fn insert_person(
    conn: &mut AnyConnection,
    f: &PersonFields,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(register_persons::table)
        .values((
            f,
            register_persons::created_at.eq(now),
            register_persons::updated_at.eq(now),
        ))
        .returning(register_persons::id)
        .get_result(conn)?)
}

/// Persons in the user's scope with this ID number (when `who` reads as one) or a name holding
/// `who`, at most `limit`.
pub fn find(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    who: &str,
    limit: i64,
) -> AppResult<Vec<Person>> {
    let (lo, hi) = user.scope();
    let q = register_persons::table
        .filter(register_persons::scope_path.ge(lo))
        .filter(register_persons::scope_path.lt(hi))
        .into_boxed();
    let id = crate::register::domain::normalize_id(who);
    let q = if id.len() == 18 && id.chars().take(17).all(|c| c.is_ascii_digit()) {
        q.filter(register_persons::id_number.eq(id))
    } else {
        let like = crate::db::like_pattern(who.trim());
        q.filter(register_persons::name.like(like).escape('\\'))
    };
    Ok(
        q.order((register_persons::scope_path, register_persons::name))
            .limit(limit)
            .select(Person::as_select())
            .load(conn)?,
    )
}
