//! The SQL of entries: computed and manual points, reversal.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::assessment::domain::{self};
use crate::assessment::models::*;
use crate::db::schema::{assess_entries, users};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_entries)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Entry {
    pub id: i32,
    pub result_id: i32,
    pub indicator_id: i32,
    pub points: i32,
    pub figure: String,
    pub formula: String,
    pub source_url: String,
    pub manual: bool,
    pub reason: String,
    pub evidence: String,
    pub entered_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub reverses: Option<i32>,
    pub reversed_by: Option<i32>,
}

/// A result's entries, oldest first.
pub fn entries(conn: &mut AnyConnection, result_id: i32) -> AppResult<Vec<Entry>> {
    Ok(assess_entries::table
        .filter(assess_entries::result_id.eq(result_id))
        .order(assess_entries::id)
        .select(Entry::as_select())
        .load(conn)?)
}

/// The names of the users who made entries.
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<HashMap<i32, String>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect())
}

#[derive(Insertable)]
#[diesel(table_name = assess_entries)]
pub struct NewEntry<'a> {
    pub result_id: i32,
    pub indicator_id: i32,
    pub points: i32,
    pub figure: &'a str,
    pub formula: &'a str,
    pub source_url: &'a str,
    pub manual: bool,
    pub reason: &'a str,
    pub evidence: &'a str,
    pub entered_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub reverses: Option<i32>,
}

/// Each scored indicator's points for a result's entries (id → score within floor and cap).
pub fn indicator_scores(inds: &[Indicator], entries: &[Entry]) -> BTreeMap<i32, i32> {
    inds.iter()
        .filter(|i| i.is_leaf())
        .map(|i| {
            let pts: Vec<i32> = entries
                .iter()
                .filter(|e| e.indicator_id == i.id)
                .map(|e| e.points)
                .collect();
            (i.id, domain::indicator_score(&pts, i.floor_points, i.cap()))
        })
        .collect()
}

pub fn insert_entry(conn: &mut AnyConnection, e: &NewEntry) -> AppResult<i32> {
    Ok(diesel::insert_into(assess_entries::table)
        .values(e)
        .returning(assess_entries::id)
        .get_result(conn)?)
}

pub fn get_entry(conn: &mut AnyConnection, result_id: i32, id: i32) -> AppResult<Entry> {
    Ok(assess_entries::table
        .find(id)
        .filter(assess_entries::result_id.eq(result_id))
        .select(Entry::as_select())
        .first_row(conn)?)
}

/// Marks `id` reversed by `by`: false when someone reversed it first.
pub fn mark_reversed(conn: &mut AnyConnection, id: i32, by: i32) -> AppResult<bool> {
    Ok(diesel::update(
        assess_entries::table
            .find(id)
            .filter(assess_entries::reversed_by.is_null()),
    )
    .set(assess_entries::reversed_by.eq(Some(by)))
    .execute(conn)?
        == 1)
}
