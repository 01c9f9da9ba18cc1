//! The work calendar's queries: the special days of a range (for deadlines), of a year (for the
//! admin page), and adding, replacing and deleting one day. Callers wrap changes in `db::write`.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::domain::{WORKDAY, WorkCalendar};
use crate::db::schema::work_calendar;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

/// One stored special day: `kind` is `holiday` (a weekday off) or `workday` (a weekend worked).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = work_calendar)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct SpecialDay {
    pub day: NaiveDate,
    pub kind: String,
    pub festival: String,
}

impl SpecialDay {
    pub fn is_workday(&self) -> bool {
        self.kind == WORKDAY
    }
}

/// The calendar for dates in `[from, to]` (only those rows are read). Outside the range the
/// weekend rule applies, so a deadline computation should load from its start to well past the
/// longest limit (a month more covers every holiday).
pub fn load(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> AppResult<WorkCalendar> {
    let rows: Vec<SpecialDay> = work_calendar::table
        .filter(work_calendar::day.ge(from))
        .filter(work_calendar::day.le(to))
        .select(SpecialDay::as_select())
        .load(conn)?;
    Ok(WorkCalendar::new(
        rows.iter().map(|r| (r.day, r.is_workday())),
    ))
}

/// The special days of `year`, in date order.
pub fn list_year(conn: &mut AnyConnection, year: i32) -> AppResult<Vec<SpecialDay>> {
    let (Some(from), Some(to)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Ok(Vec::new());
    };
    Ok(work_calendar::table
        .filter(work_calendar::day.ge(from))
        .filter(work_calendar::day.le(to))
        .order(work_calendar::day)
        .select(SpecialDay::as_select())
        .load(conn)?)
}

/// One day's row, if it has one.
pub fn get(conn: &mut AnyConnection, day: NaiveDate) -> AppResult<Option<SpecialDay>> {
    Ok(work_calendar::table
        .filter(work_calendar::day.eq(day))
        .select(SpecialDay::as_select())
        .first_row(conn)
        .optional()?)
}

/// Adds a day or replaces its row: an update, then an insert when no row was there (diesel's
/// MultiConnection has no `ON CONFLICT`). Inside `db::write`, so nobody inserts in between.
pub fn put(conn: &mut AnyConnection, row: &SpecialDay) -> AppResult<()> {
    let updated = diesel::update(work_calendar::table.filter(work_calendar::day.eq(row.day)))
        .set((
            work_calendar::kind.eq(&row.kind),
            work_calendar::festival.eq(&row.festival),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(work_calendar::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// Deletes a day's row; false when it had none.
pub fn delete(conn: &mut AnyConnection, day: NaiveDate) -> AppResult<bool> {
    Ok(diesel::delete(work_calendar::table.filter(work_calendar::day.eq(day))).execute(conn)? > 0)
}
