//! Milestone rows: the nine stages made with the project, a project's list, the stages in
//! progress across the ledger, and saving one.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::project_milestones as pm;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::projects::domain::STAGES;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = pm)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Milestone {
    pub id: i32,
    pub project_id: i32,
    pub stage: String,
    pub planned_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub status: String,
    pub note: String,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

/// What the milestone form sets.
#[derive(Debug, Clone, Serialize, AsChangeset)]
#[diesel(table_name = pm)]
#[diesel(treat_none_as_null = true)]
pub struct MilestoneFields {
    pub planned_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
    pub status: String,
    pub note: String,
}

/// Makes the project's nine stages, all pending.
pub fn seed_stages(conn: &mut AnyConnection, project_id: i32, now: NaiveDateTime) -> AppResult<()> {
    for s in STAGES {
        diesel::insert_into(pm::table)
            .values((
                pm::project_id.eq(project_id),
                pm::stage.eq(s),
                pm::status.eq("pending"),
                pm::note.eq(""),
                pm::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A project's milestones in the stages' order.
pub fn of_project(conn: &mut AnyConnection, project_id: i32) -> AppResult<Vec<Milestone>> {
    let mut rows: Vec<Milestone> = pm::table
        .filter(pm::project_id.eq(project_id))
        .select(Milestone::as_select())
        .load(conn)?;
    rows.sort_by_key(|m| STAGES.iter().position(|s| *s == m.stage));
    Ok(rows)
}

/// The milestones of these projects not pending (in progress or done): (project, stage, status).
pub fn under_way(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, String, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            pm::table
                .filter(pm::project_id.eq_any(chunk))
                .filter(pm::status.ne("pending"))
                .select((pm::project_id, pm::stage, pm::status))
                .load::<(i32, String, String)>(conn)?,
        );
    }
    Ok(out)
}

/// One milestone of the project.
pub fn get(conn: &mut AnyConnection, project_id: i32, id: i32) -> AppResult<Milestone> {
    Ok(pm::table
        .filter(pm::id.eq(id))
        .filter(pm::project_id.eq(project_id))
        .select(Milestone::as_select())
        .first_row(conn)?)
}

/// Saves the milestone if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &MilestoneFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        pm::table
            .filter(pm::id.eq(id))
            .filter(pm::version.eq(version)),
    )
    .set((f, pm::version.eq(version + 1), pm::updated_at.eq(now)))
    .execute(conn)?;
    Ok(n == 1)
}
