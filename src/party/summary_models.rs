//! The party summary's and the ledger's reads. Each reads a whole set of branches in one query
//! through `party_activities(branch_id, day, kind)`, never once per branch.

use chrono::NaiveDate;
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{
    issues, org_units, party_activities, party_activity_links, party_attendance, party_members,
};
use crate::error::AppResult;

/// What changes the summary leaves a trace here: a new activity raises its table's largest id,
/// and every other change (an edit, a member, a branch) writes an audit row in its transaction.
pub fn stamp(conn: &mut AnyConnection) -> AppResult<Vec<Option<i32>>> {
    crate::db::stamped::max_ids(conn, &["party_activities", "audit_log"])
}

/// Activities per branch, day and kind in `from..=to` (days, not months: the month is taken in
/// Rust, so the query stays portable and reads the index alone).
pub fn day_counts(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i32, NaiveDate, String, i64)>> {
    Ok(party_activities::table
        .filter(party_activities::branch_id.eq_any(branch_ids))
        .filter(party_activities::day.ge(from))
        .filter(party_activities::day.le(to))
        .group_by((
            party_activities::branch_id,
            party_activities::day,
            party_activities::kind,
        ))
        .select((
            party_activities::branch_id,
            party_activities::day,
            party_activities::kind,
            count_star(),
        ))
        .load(conn)?)
}

/// A branch, its first and its last activity.
pub type Span = (i32, Option<NaiveDate>, Option<NaiveDate>);

/// Each branch's first and last activity up to `today`, from the records themselves (the kept
/// `party_branches.last_activity` may lag behind them).
pub fn activity_span(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
    today: NaiveDate,
) -> AppResult<Vec<Span>> {
    Ok(party_activities::table
        .filter(party_activities::branch_id.eq_any(branch_ids))
        .filter(party_activities::day.le(today))
        .group_by(party_activities::branch_id)
        .select((
            party_activities::branch_id,
            min(party_activities::day),
            max(party_activities::day),
        ))
        .load(conn)?)
}

/// Visits (kind `visit`) in `from..=to`: branch, member visited (if one of the branch's),
/// the person's name as written.
pub fn visits(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<(i32, Option<i32>, String)>> {
    Ok(party_activities::table
        .filter(party_activities::branch_id.eq_any(branch_ids))
        .filter(party_activities::day.ge(from))
        .filter(party_activities::day.le(to))
        .filter(party_activities::kind.eq("visit"))
        .select((
            party_activities::branch_id,
            party_activities::visited_member_id,
            party_activities::visited,
        ))
        .load(conn)?)
}

/// Active members in difficulty of these branches: id, branch, name, difficulty.
pub fn members_in_difficulty(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
) -> AppResult<Vec<(i32, i32, String, String)>> {
    Ok(party_members::table
        .filter(party_members::branch_id.eq_any(branch_ids))
        .filter(party_members::active.eq(true))
        .filter(party_members::difficulty.ne(""))
        .order((party_members::branch_id, party_members::name))
        .select((
            party_members::id,
            party_members::branch_id,
            party_members::name,
            party_members::difficulty,
        ))
        .load(conn)?)
}

/// An activity as the ledger prints it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = party_activities)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct LedgerActivity {
    pub id: i32,
    pub kind: String,
    pub title: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    pub expected: i32,
    pub present: i32,
    pub visited: String,
    pub given: String,
}

/// A branch's activities in `from..=to`, in date order.
pub fn activities(
    conn: &mut AnyConnection,
    branch_id: i32,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<LedgerActivity>> {
    Ok(party_activities::table
        .filter(party_activities::branch_id.eq(branch_id))
        .filter(party_activities::day.ge(from))
        .filter(party_activities::day.le(to))
        .order((
            party_activities::day,
            party_activities::start_time,
            party_activities::id,
        ))
        .select(LedgerActivity::as_select())
        .load(conn)?)
}

/// Who missed these activities, with their reasons: activity, member, attendance, reason.
pub fn absentees(
    conn: &mut AnyConnection,
    activity_ids: &[i32],
) -> AppResult<Vec<(i32, String, String, String)>> {
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

/// The grids and the issues these activities served, for the ledger: (activity, grid name) and
/// (activity, issue number, issue title).
pub fn links(conn: &mut AnyConnection, activity_ids: &[i32]) -> AppResult<LedgerLinks> {
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

/// What [`links`] reads.
pub type LedgerLinks = (Vec<(i32, String)>, Vec<(i32, String, String)>);
