//! Monthly report rows: a project's reports, the latest entry of a month, the reports of many
//! projects for the ledger, and writing one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::AnyConnection;
use crate::db::schema::project_reports as pr;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = pr)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Report {
    pub id: i32,
    pub project_id: i32,
    pub year: i32,
    pub month: i32,
    pub done_cents: i64,
    pub progress: String,
    pub problems: String,
    pub corrects_id: Option<i32>,
    pub reason: String,
    pub reported_by: i32,
    pub created_at: NaiveDateTime,
}

/// What a report sets.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = pr)]
pub struct ReportFields {
    pub project_id: i32,
    pub year: i32,
    pub month: i32,
    pub done_cents: i64,
    pub progress: String,
    pub problems: String,
    pub corrects_id: Option<i32>,
    pub reason: String,
    pub reported_by: i32,
}

/// The reports of these projects in `year`, oldest first.
pub fn of_projects(conn: &mut AnyConnection, ids: &[i32], year: i32) -> AppResult<Vec<Report>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            pr::table
                .filter(pr::project_id.eq_any(chunk))
                .filter(pr::year.eq(year))
                .order(pr::id)
                .select(Report::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Every report of a project, oldest first.
pub fn of_project(conn: &mut AnyConnection, project_id: i32) -> AppResult<Vec<Report>> {
    Ok(pr::table
        .filter(pr::project_id.eq(project_id))
        .order(pr::id)
        .select(Report::as_select())
        .load(conn)?)
}

/// The latest entry of a project's month, if it was reported.
pub fn latest_of_month(
    conn: &mut AnyConnection,
    project_id: i32,
    year: i32,
    month: i32,
) -> AppResult<Option<i32>> {
    Ok(pr::table
        .filter(pr::project_id.eq(project_id))
        .filter(pr::year.eq(year))
        .filter(pr::month.eq(month))
        .order(pr::id.desc())
        .select(pr::id)
        .first::<i32>(conn)
        .optional()?)
}

pub fn insert(conn: &mut AnyConnection, f: &ReportFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(pr::table)
        .values((f, pr::created_at.eq(now)))
        .returning(pr::id)
        .get_result(conn)?)
}
