//! Writing an edited household or person, and moving them out, each only while still at the
//! version the form was opened on.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{register_households as h, register_persons as p};
use crate::error::AppResult;
use crate::register::households::models::{HouseholdFields, PersonFields};

/// Saves the household if still at `version`; false when someone saved first.
pub fn update_household(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &HouseholdFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(h::table.filter(h::id.eq(id)).filter(h::version.eq(version)))
        .set((
            h::building_id.eq(f.building_id),
            h::unit_no.eq(&f.unit_no),
            h::room.eq(&f.room),
            h::moved_in.eq(f.moved_in),
            h::notes.eq(&f.notes),
            h::version.eq(version + 1),
            h::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Saves the person if still at `version`; false when someone saved first.
pub fn update_person(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &PersonFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(p::table.filter(p::id.eq(id)).filter(p::version.eq(version)))
        .set((
            (
                p::name.eq(&f.name),
                p::relation.eq(&f.relation),
                p::id_number.eq(&f.id_number),
                p::sex.eq(&f.sex),
                p::birth_date.eq(f.birth_date),
                p::phone.eq(&f.phone),
                p::registered_address.eq(&f.registered_address),
            ),
            (
                p::separated.eq(f.separated),
                p::tags.eq(&f.tags),
                p::moved_in.eq(f.moved_in),
                p::notes.eq(&f.notes),
                p::version.eq(version + 1),
                p::updated_at.eq(now),
            ),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// Is this ID number already held by another person living in the register (anywhere: the
/// message says only that it is taken).
pub fn id_taken(conn: &mut AnyConnection, id_number: &str, except: Option<i32>) -> AppResult<bool> {
    let mut q = p::table
        .filter(p::id_number.eq(id_number))
        .filter(p::moved_out.is_null())
        .into_boxed();
    if let Some(id) = except {
        q = q.filter(p::id.ne(id));
    }
    Ok(q.select(p::id).first::<i32>(conn).optional()?.is_some())
}

/// Moves the household out on `day` if still at `version`, and its persons living there with
/// it; answers the persons moved with it, or None when someone saved first.
pub fn move_household_out(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    day: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<Option<usize>> {
    let n = diesel::update(h::table.filter(h::id.eq(id)).filter(h::version.eq(version)))
        .set((
            h::moved_out.eq(Some(day)),
            h::version.eq(version + 1),
            h::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n != 1 {
        return Ok(None);
    }
    let moved = diesel::update(
        p::table
            .filter(p::household_id.eq(id))
            .filter(p::moved_out.is_null()),
    )
    .set((
        p::moved_out.eq(Some(day)),
        p::version.eq(p::version + 1),
        p::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(Some(moved))
}

/// Moves the person out on `day` if still at `version`; false when someone saved first.
pub fn move_person_out(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    day: NaiveDate,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(p::table.filter(p::id.eq(id)).filter(p::version.eq(version)))
        .set((
            p::moved_out.eq(Some(day)),
            p::version.eq(version + 1),
            p::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
