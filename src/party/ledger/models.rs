//! The ledger's reads: a branch's activities of a year, who missed them, the grids and issues
//! they served — each in one query for the whole year.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{
    issues, org_units, party_activities, party_activity_links, party_attendance, party_members,
};
use crate::error::AppResult;
use crate::party::activities::models::Activity;

/// A branch's activities in `from..=to`, in date order.
pub fn activities(
    conn: &mut AnyConnection,
    branch_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Activity>> {
    Ok(party_activities::table
        .filter(party_activities::branch_id.eq(branch_id))
        .filter(party_activities::day.ge(from))
        .filter(party_activities::day.le(to))
        .order((
            party_activities::day,
            party_activities::start_time,
            party_activities::id,
        ))
        .select(Activity::as_select())
        .load(conn)?)
}

/// A member who missed an activity (absent or on leave), with the reason.
#[derive(Debug, Clone, Queryable)]
pub struct Absentee {
    pub activity_id: i32,
    pub name: String,
    pub attendance: String,
    pub reason: String,
}

/// Who missed these activities, with their reasons.
pub fn absentees(conn: &mut AnyConnection, activity_ids: &[i32]) -> AppResult<Vec<Absentee>> {
    Ok(party_attendance::table
        .inner_join(party_members::table)
        .filter(party_attendance::activity_id.eq_any(activity_ids))
        .filter(party_attendance::attendance.ne("present"))
        .order((party_attendance::activity_id, party_members::name))
        .select((
            party_attendance::activity_id,
            party_members::name,
            party_attendance::attendance,
            party_attendance::reason,
        ))
        .load(conn)?)
}

/// A grid an activity served.
#[derive(Debug, Clone, Queryable)]
pub struct GridServed {
    pub activity_id: i32,
    pub name: String,
}

/// An issue an activity served.
#[derive(Debug, Clone, Queryable)]
pub struct IssueServed {
    pub activity_id: i32,
    pub number: String,
    pub title: String,
}

/// The grids and the issues these activities served.
pub fn links(
    conn: &mut AnyConnection,
    activity_ids: &[i32],
) -> AppResult<(Vec<GridServed>, Vec<IssueServed>)> {
    let grids = party_activity_links::table
        .inner_join(org_units::table.on(party_activity_links::grid_id.eq(org_units::id.nullable())))
        .filter(party_activity_links::activity_id.eq_any(activity_ids))
        .order((party_activity_links::activity_id, org_units::path))
        .select((party_activity_links::activity_id, org_units::name))
        .load(conn)?;
    let issues = party_activity_links::table
        .inner_join(issues::table.on(party_activity_links::issue_id.eq(issues::id.nullable())))
        .filter(party_activity_links::activity_id.eq_any(activity_ids))
        .order((party_activity_links::activity_id, issues::id))
        .select((
            party_activity_links::activity_id,
            issues::number,
            issues::title,
        ))
        .load(conn)?;
    Ok((grids, issues))
}
