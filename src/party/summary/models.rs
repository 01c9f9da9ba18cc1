//! The party summary's reads (the ledger's summary too). Each reads a whole set of branches in
//! one query through `party_activities(branch_id, day, kind)`, never once per branch; [`read`]
//! gathers them for the fold in `domain`.

use chrono::NaiveDate;
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;

use super::domain::{Raw, street_of, year_bounds};
use crate::db::AnyConnection;
use crate::db::schema::{party_activities, party_members};
use crate::error::AppResult;
use crate::party::branches::models::Branch;

/// What changes the summary leaves a trace here: a new activity raises its table's largest id,
/// and every other change (an edit, a member, a branch) writes an audit row in its transaction.
pub fn stamp(conn: &mut AnyConnection) -> AppResult<Vec<Option<i32>>> {
    crate::db::stamped::max_ids(conn, &["party_activities", "audit_log"])
}

/// Activities of a branch on a day of a kind.
#[derive(Debug, Clone, Queryable)]
pub struct DayCount {
    pub branch_id: i32,
    pub day: NaiveDate,
    pub kind: String,
    pub n: i64,
}

/// Activities per branch, day and kind in `from..=to` (days, not months: the month is taken in
/// Rust, so the query stays portable and reads the index alone).
pub fn day_counts(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<DayCount>> {
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

/// A branch's first and last activity.
#[derive(Debug, Clone, Queryable)]
pub struct Span {
    pub branch_id: i32,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
}

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

/// A visit: the branch, the member visited (if one of the branch's), the person's name as written.
#[derive(Debug, Clone, Queryable)]
pub struct Visit {
    pub branch_id: i32,
    pub member_id: Option<i32>,
    pub name: String,
}

/// Visits (kind `visit`) in `from..=to`.
pub fn visits(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Visit>> {
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

/// An active member in difficulty.
#[derive(Debug, Clone, Queryable)]
pub struct InDifficulty {
    pub id: i32,
    pub branch_id: i32,
    pub name: String,
    pub difficulty: String,
}

/// Active members in difficulty of these branches.
pub fn members_in_difficulty(
    conn: &mut AnyConnection,
    branch_ids: &[i32],
) -> AppResult<Vec<InDifficulty>> {
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

/// Reads the summary's rows for `branches` and `year`.
pub fn read(
    conn: &mut AnyConnection,
    branches: Vec<Branch>,
    year: i32,
    today: NaiveDate,
) -> AppResult<Raw> {
    let ids: Vec<i32> = branches.iter().map(|b| b.id).collect();
    let (from, to) = year_bounds(year);
    let unit_ids = branches
        .iter()
        .flat_map(|b| [Some(b.unit_id), street_of(&b.scope_path)])
        .flatten();
    Ok(Raw {
        units: crate::issues::models::unit_names(conn, unit_ids)?,
        days: day_counts(conn, &ids, from, to)?,
        span: activity_span(conn, &ids, today)?
            .into_iter()
            .map(|s| (s.branch_id, (s.first, s.last)))
            .collect(),
        visits: visits(conn, &ids, from, to)?,
        difficult: members_in_difficulty(conn, &ids)?,
        branches,
    })
}
