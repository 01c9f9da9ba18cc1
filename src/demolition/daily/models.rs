//! The daily reports' SQL: a day's submitted reports of a command, submitting one (its counts
//! frozen as computed from the steps at that moment).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::schema::demolition_daily_reports as dr;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = dr)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct DailyReport {
    pub id: i32,
    pub command_id: i32,
    pub group_id: i32,
    pub day: NaiveDate,
    pub signed_today: i32,
    pub signed_total: i32,
    pub moved_today: i32,
    pub moved_total: i32,
    pub difficulties: String,
    pub submitted_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// What a submitted report keeps.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = dr)]
pub struct ReportFields {
    pub command_id: i32,
    pub group_id: i32,
    pub day: NaiveDate,
    pub signed_today: i32,
    pub signed_total: i32,
    pub moved_today: i32,
    pub moved_total: i32,
    pub difficulties: String,
    pub submitted_by: Option<i32>,
}

/// The reports the command's groups submitted for the day.
pub fn of_day(
    conn: &mut AnyConnection,
    command_id: i32,
    day: NaiveDate,
) -> AppResult<Vec<DailyReport>> {
    Ok(dr::table
        .filter(dr::command_id.eq(command_id))
        .filter(dr::day.eq(day))
        .select(DailyReport::as_select())
        .load(conn)?)
}

/// Whether the group's report of the day is in.
pub fn submitted(conn: &mut AnyConnection, group_id: i32, day: NaiveDate) -> AppResult<bool> {
    let n: i64 = dr::table
        .filter(dr::group_id.eq(group_id))
        .filter(dr::day.eq(day))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

pub fn insert(conn: &mut AnyConnection, f: &ReportFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(dr::table)
        .values((f, dr::created_at.eq(now)))
        .returning(dr::id)
        .get_result(conn)?)
}

/// Inserts many reports at once (the demo).
pub fn insert_many(
    conn: &mut AnyConnection,
    rows: &[ReportFields],
    now: NaiveDateTime,
) -> AppResult<()> {
    for f in rows {
        insert(conn, f, now)?;
    }
    Ok(())
}
