//! All the SQL of the livelihood report: indicators in scope, their entries (appended, never
//! changed), the frozen months of a street, and the streets a user may report on.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{livelihood_entries, livelihood_frozen, livelihood_indicators};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::org::domain::Kind;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = livelihood_indicators)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Indicator {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub year: i32,
    pub name: String,
    pub count_unit: String,
    pub summed: bool,
    pub target: i64,
    pub office: String,
    pub note: String,
    pub sort_order: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the indicator form sets (the street's path with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = livelihood_indicators)]
pub struct IndicatorFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub year: i32,
    pub name: String,
    pub count_unit: String,
    pub summed: bool,
    pub target: i64,
    pub office: String,
    pub note: String,
    pub sort_order: i32,
}

/// An indicator by id, if it lies in the user's scope (404 otherwise, like any id).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Indicator> {
    let i: Indicator = livelihood_indicators::table
        .find(id)
        .select(Indicator::as_select())
        .first_row(conn)?;
    if user.sees(&i.scope_path) {
        Ok(i)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn insert(conn: &mut AnyConnection, f: &IndicatorFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(livelihood_indicators::table)
        .values((
            f,
            livelihood_indicators::created_at.eq(now),
            livelihood_indicators::updated_at.eq(now),
        ))
        .returning(livelihood_indicators::id)
        .get_result(conn)?)
}

/// Saves the indicator if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &IndicatorFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        livelihood_indicators::table
            .filter(livelihood_indicators::id.eq(id))
            .filter(livelihood_indicators::version.eq(version)),
    )
    .set((
        f,
        livelihood_indicators::version.eq(version + 1),
        livelihood_indicators::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A street's indicators of a year, in their order.
pub fn of_street(conn: &mut AnyConnection, unit_id: i32, year: i32) -> AppResult<Vec<Indicator>> {
    Ok(livelihood_indicators::table
        .filter(livelihood_indicators::unit_id.eq(unit_id))
        .filter(livelihood_indicators::year.eq(year))
        .order((livelihood_indicators::sort_order, livelihood_indicators::id))
        .select(Indicator::as_select())
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = livelihood_entries)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Entry {
    pub id: i32,
    pub indicator_id: i32,
    pub month: i32,
    pub amount: i64,
    pub reason: String,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

/// A month's figure as entered (a correction carries its reason).
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = livelihood_entries)]
pub struct NewEntry {
    pub indicator_id: i32,
    pub scope_path: String,
    pub month: i32,
    pub amount: i64,
    pub reason: String,
    pub author_id: Option<i32>,
    pub author_name: String,
    pub created_at: NaiveDateTime,
}

pub fn insert_entry(conn: &mut AnyConnection, e: &NewEntry) -> AppResult<i32> {
    Ok(diesel::insert_into(livelihood_entries::table)
        .values(e)
        .returning(livelihood_entries::id)
        .get_result(conn)?)
}

/// The entries of the indicators `ids`, in the order they were made.
pub fn entries_of(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<Entry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(livelihood_entries::table
        .filter(livelihood_entries::indicator_id.eq_any(ids))
        .order(livelihood_entries::id)
        .select(Entry::as_select())
        .load(conn)?)
}

/// Whether the month already has a figure (a new one is then a correction).
pub fn has_entry(conn: &mut AnyConnection, indicator_id: i32, month: i32) -> AppResult<bool> {
    Ok(livelihood_entries::table
        .filter(livelihood_entries::indicator_id.eq(indicator_id))
        .filter(livelihood_entries::month.eq(month))
        .count()
        .get_result::<i64>(conn)?
        > 0)
}

/// The months of `year` the street has frozen.
pub fn frozen_months(conn: &mut AnyConnection, unit_id: i32, year: i32) -> AppResult<Vec<i32>> {
    Ok(livelihood_frozen::table
        .filter(livelihood_frozen::unit_id.eq(unit_id))
        .filter(livelihood_frozen::year.eq(year))
        .order(livelihood_frozen::month)
        .select(livelihood_frozen::month)
        .load(conn)?)
}

/// Freezes the month; false when it was frozen already.
pub fn freeze(
    conn: &mut AnyConnection,
    unit_id: i32,
    period: (i32, i32),
    by: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    freeze_by(conn, unit_id, period, Some(by), now)
}

/// Freezes the month for `by` (None: the demo's seeding); false when it was frozen already.
pub fn freeze_by(
    conn: &mut AnyConnection,
    unit_id: i32,
    (year, month): (i32, i32),
    by: Option<i32>,
    now: NaiveDateTime,
) -> AppResult<bool> {
    if frozen_months(conn, unit_id, year)?.contains(&month) {
        return Ok(false);
    }
    diesel::insert_into(livelihood_frozen::table)
        .values((
            livelihood_frozen::unit_id.eq(unit_id),
            livelihood_frozen::year.eq(year),
            livelihood_frozen::month.eq(month),
            livelihood_frozen::frozen_by.eq(by),
            livelihood_frozen::frozen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(true)
}

/// A street the user may report on: its id, name and path.
#[derive(Debug, Clone)]
pub struct Street {
    pub id: i32,
    pub name: String,
    pub path: String,
}

/// The streets in the user's scope, in tree order (none for a community's staff).
pub fn streets(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Street>> {
    let units = crate::org::models::units_of_kind(conn, &user.org_path, Kind::Street)?;
    let mut out = Vec::with_capacity(units.len());
    for u in units {
        let unit = crate::org::models::get(conn, u.id)?;
        out.push(Street {
            id: u.id,
            name: u.name,
            path: unit.path,
        });
    }
    Ok(out)
}

/// The street asked for (`raw` an id; empty for the first in scope). An id outside the scope
/// is a 404; None when the user's scope holds no street.
pub fn pick_street(streets: &[Street], raw: &str) -> AppResult<Option<Street>> {
    match raw.trim() {
        "" => Ok(streets.first().cloned()),
        raw => {
            let id: i32 = raw.parse().map_err(|_| AppError::NotFound)?;
            streets
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .map(Some)
                .ok_or(AppError::NotFound)
        }
    }
}

/// A street's report data for a year: its indicators, their entries, the frozen months.
pub struct YearData {
    pub indicators: Vec<Indicator>,
    pub entries: Vec<Entry>,
    pub frozen: Vec<i32>,
}

pub fn year_data(conn: &mut AnyConnection, unit_id: i32, year: i32) -> AppResult<YearData> {
    let indicators = of_street(conn, unit_id, year)?;
    let ids: Vec<i32> = indicators.iter().map(|i| i.id).collect();
    Ok(YearData {
        entries: entries_of(conn, &ids)?,
        frozen: frozen_months(conn, unit_id, year)?,
        indicators,
    })
}

impl YearData {
    /// The `(month, amount)` entries of one indicator, in order.
    pub fn of(&self, indicator_id: i32) -> Vec<(i32, i64)> {
        self.entries
            .iter()
            .filter(|e| e.indicator_id == indicator_id)
            .map(|e| (e.month, e.amount))
            .collect()
    }
}
