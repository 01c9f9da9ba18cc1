//! Import batches (register_imports) and what checking and committing a batch reads and writes:
//! the compounds in the uploader's scope by name, their buildings, the ID numbers already
//! living in the register, the household at a place.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{register_households as h, register_imports as i, register_persons as p};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::register::compounds::models::{Building, Compound};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = i)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Batch {
    pub id: i32,
    pub scope_path: String,
    pub user_id: i32,
    pub filename: String,
    pub state: String,
    pub mode: String,
    pub rows_json: String,
    pub total: i32,
    pub error_rows: i32,
    pub households_added: i32,
    pub persons_added: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub committed_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = i)]
pub struct NewBatch {
    pub scope_path: String,
    pub user_id: i32,
    pub filename: String,
    pub rows_json: String,
    pub total: i32,
    pub error_rows: i32,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, b: &NewBatch) -> AppResult<i32> {
    Ok(diesel::insert_into(i::table)
        .values(b)
        .returning(i::id)
        .get_result(conn)?)
}

/// A batch by id, in the user's scope (404 otherwise).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Batch> {
    let (lo, hi) = user.scope();
    Ok(i::table
        .find(id)
        .filter(i::scope_path.ge(lo))
        .filter(i::scope_path.lt(hi))
        .select(Batch::as_select())
        .first_row(conn)?)
}

/// A batch's line in the history: (id, filename, state, mode, total, error rows, households,
/// persons, uploaded, committed).
pub type Line = (
    i32,
    String,
    String,
    String,
    i32,
    i32,
    i32,
    i32,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

/// The batches in the user's scope, newest first.
pub fn list(conn: &mut AnyConnection, user: &CurrentUser, limit: i64) -> AppResult<Vec<Line>> {
    let (lo, hi) = user.scope();
    Ok(i::table
        .filter(i::scope_path.ge(lo))
        .filter(i::scope_path.lt(hi))
        .order(i::id.desc())
        .limit(limit)
        .select((
            i::id,
            i::filename,
            i::state,
            i::mode,
            i::total,
            i::error_rows,
            i::households_added,
            i::persons_added,
            i::created_at,
            i::committed_at,
        ))
        .load(conn)?)
}

/// Marks the batch committed if it is still unchecked-in at `version`; false when it was
/// committed already (a double post) or changed.
pub fn claim(conn: &mut AnyConnection, id: i32, version: i32, mode: &str) -> AppResult<bool> {
    let n = diesel::update(
        i::table
            .filter(i::id.eq(id))
            .filter(i::version.eq(version))
            .filter(i::state.eq("checked")),
    )
    .set((
        i::state.eq("committed"),
        i::mode.eq(mode),
        i::version.eq(version + 1),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// What the commit wrote, and the rows as checked at commit time.
pub fn finish(
    conn: &mut AnyConnection,
    id: i32,
    rows_json: &str,
    counts: (i32, i32, i32),
    now: NaiveDateTime,
) -> AppResult<()> {
    diesel::update(i::table.filter(i::id.eq(id)))
        .set((
            i::rows_json.eq(rows_json),
            i::error_rows.eq(counts.0),
            i::households_added.eq(counts.1),
            i::persons_added.eq(counts.2),
            i::committed_at.eq(Some(now)),
        ))
        .execute(conn)?;
    Ok(())
}

/// The compounds of these names in the user's scope.
pub fn compounds_named(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    names: &[String],
) -> AppResult<Vec<Compound>> {
    use crate::db::schema::register_compounds as c;
    let (lo, hi) = user.scope();
    let mut out = Vec::new();
    for chunk in names.chunks(500) {
        out.extend(
            c::table
                .filter(c::scope_path.ge(&lo))
                .filter(c::scope_path.lt(&hi))
                .filter(c::name.eq_any(chunk))
                .order(c::id)
                .select(Compound::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// The buildings of these compounds.
pub fn buildings_of(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<Building>> {
    use crate::db::schema::register_buildings as b;
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            b::table
                .filter(b::compound_id.eq_any(chunk))
                .select(Building::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Which of these ID numbers a person living in the register holds.
pub fn ids_taken(conn: &mut AnyConnection, ids: &[String]) -> AppResult<HashSet<String>> {
    let mut out = HashSet::new();
    for chunk in ids.chunks(500) {
        let found: Vec<String> = p::table
            .filter(p::id_number.eq_any(chunk))
            .filter(p::moved_out.is_null())
            .select(p::id_number)
            .load(conn)?;
        out.extend(found);
    }
    Ok(out)
}

/// The household living at this place of the compound, if one is registered.
pub fn household_at(
    conn: &mut AnyConnection,
    compound_id: i32,
    building_id: Option<i32>,
    unit_no: &str,
    room: &str,
) -> AppResult<Option<i32>> {
    let mut q = h::table
        .filter(h::compound_id.eq(compound_id))
        .filter(h::unit_no.eq(unit_no))
        .filter(h::room.eq(room))
        .filter(h::moved_out.is_null())
        .into_boxed();
    q = match building_id {
        Some(b) => q.filter(h::building_id.eq(b)),
        None => q.filter(h::building_id.is_null()),
    };
    Ok(q.order(h::id).select(h::id).first::<i32>(conn).optional()?)
}
