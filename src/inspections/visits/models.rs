//! Inspection rows: a visit with its results and findings; writing them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::inspection_visits as visits;
use crate::db::schema::{inspection_findings as findings, inspection_results as results};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = visits)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Visit {
    pub id: i32,
    pub round_id: i32,
    pub unit_id: i32,
    pub unit_path: String,
    pub unit_name: String,
    pub day: NaiveDate,
    pub inspector_id: i32,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = findings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Finding {
    pub id: i32,
    pub visit_id: i32,
    pub round_id: i32,
    pub unit_id: i32,
    pub unit_path: String,
    pub description: String,
    pub place: String,
    pub category_id: i32,
    pub severity: String,
    pub fixed_on_spot: bool,
    pub missed: bool,
    pub state: String,
    pub created_at: NaiveDateTime,
}

/// A finding as typed (its unit is the visit's).
#[derive(Debug, Clone, Serialize)]
pub struct NewFinding {
    pub description: String,
    pub place: String,
    pub category_id: i32,
    pub severity: String,
    pub fixed_on_spot: bool,
}

/// An inspection as parsed.
#[derive(Debug, Clone, Serialize)]
pub struct NewVisit {
    pub unit_id: i32,
    pub unit_path: String,
    pub unit_name: String,
    pub day: NaiveDate,
    /// (checklist item id, result)
    pub results: Vec<(i32, String)>,
    pub finding: Option<NewFinding>,
}

/// A visit by id (its round decides the scope: the caller reads the round in scope).
pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Visit> {
    Ok(visits::table
        .find(id)
        .select(Visit::as_select())
        .first_row(conn)?)
}

/// The results of a visit: (item id, result).
pub fn results_of(conn: &mut AnyConnection, visit: i32) -> AppResult<Vec<(i32, String)>> {
    Ok(results::table
        .filter(results::visit_id.eq(visit))
        .select((results::item_id, results::result))
        .load(conn)?)
}

pub fn findings_of(conn: &mut AnyConnection, visit: i32) -> AppResult<Vec<Finding>> {
    Ok(findings::table
        .filter(findings::visit_id.eq(visit))
        .order(findings::id)
        .select(Finding::as_select())
        .load(conn)?)
}

/// The visits of a round, the latest first.
pub fn of_round(conn: &mut AnyConnection, round: i32) -> AppResult<Vec<Visit>> {
    Ok(visits::table
        .filter(visits::round_id.eq(round))
        .order((visits::day.desc(), visits::id.desc()))
        .select(Visit::as_select())
        .load(conn)?)
}

/// How many issues of `category` the unit at `path` had reported up to `before`, read through
/// the issue list's own query (as `user` may see them).
pub fn reported_before(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    path: &str,
    category: i32,
    before: NaiveDateTime,
) -> AppResult<i64> {
    let f = crate::issues::models::Filter {
        category_ids: vec![category],
        unit_path: Some(path.to_string()),
        to: Some(before),
        ..Default::default()
    };
    crate::issues::models::count_upto(conn, user, &f, before, 1)
}

/// Inserts the visit, its results and its finding (with 漏报 as given); answers the visit's id.
pub fn insert(
    conn: &mut AnyConnection,
    round: i32,
    v: &NewVisit,
    by: i32,
    missed: bool,
    now: NaiveDateTime,
) -> AppResult<i32> {
    let id = diesel::insert_into(visits::table)
        .values((
            visits::round_id.eq(round),
            visits::unit_id.eq(v.unit_id),
            visits::unit_path.eq(&v.unit_path),
            visits::unit_name.eq(&v.unit_name),
            visits::day.eq(v.day),
            visits::inspector_id.eq(by),
            visits::created_at.eq(now),
        ))
        .returning(visits::id)
        .get_result(conn)?;
    for (item, result) in &v.results {
        diesel::insert_into(results::table)
            .values((
                results::visit_id.eq(id),
                results::item_id.eq(item),
                results::result.eq(result),
            ))
            .execute(conn)?;
    }
    if let Some(f) = &v.finding {
        let state = if f.fixed_on_spot { "closed" } else { "open" };
        diesel::insert_into(findings::table)
            .values((
                findings::visit_id.eq(id),
                findings::round_id.eq(round),
                findings::unit_id.eq(v.unit_id),
                findings::unit_path.eq(&v.unit_path),
                findings::description.eq(&f.description),
                findings::place.eq(&f.place),
                findings::category_id.eq(f.category_id),
                findings::severity.eq(&f.severity),
                findings::fixed_on_spot.eq(f.fixed_on_spot),
                findings::missed.eq(missed),
                findings::state.eq(state),
                findings::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(id)
}
