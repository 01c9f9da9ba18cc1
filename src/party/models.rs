//! Party rows: branches and members in scope, writing them, the kept member counts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{party_branches, party_members};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_branches)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Branch {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub kind: String,
    pub secretary: String,
    pub secretary_user_id: Option<i32>,
    pub phone: String,
    pub first_secretary: String,
    pub first_secretary_post: String,
    pub first_secretary_since: Option<NaiveDate>,
    pub demo_site: bool,
    pub demo_criteria: String,
    pub demo_evidence: String,
    pub demo_reviewed_on: Option<NaiveDate>,
    pub demo_review: String,
    pub notes: String,
    pub members: i32,
    pub last_activity: Option<NaiveDate>,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the branch form sets (the unit and scope path are set with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = party_branches)]
#[diesel(treat_none_as_null = true)]
pub struct BranchFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub kind: String,
    pub secretary: String,
    pub secretary_user_id: Option<i32>,
    pub phone: String,
    pub first_secretary: String,
    pub first_secretary_post: String,
    pub first_secretary_since: Option<NaiveDate>,
    pub demo_site: bool,
    pub demo_criteria: String,
    pub demo_evidence: String,
    pub demo_reviewed_on: Option<NaiveDate>,
    pub demo_review: String,
    pub notes: String,
    pub active: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_members)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Member {
    pub id: i32,
    pub branch_id: i32,
    pub scope_path: String,
    pub name: String,
    pub gender: String,
    pub birth_year: Option<i32>,
    pub joined_on: NaiveDate,
    pub phone: String,
    pub address: String,
    pub difficulty: String,
    pub volunteer: bool,
    pub building_group: String,
    pub notes: String,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Member {
    pub fn veteran(&self) -> bool {
        super::domain::is_veteran(self.joined_on)
    }
}

/// What the member form sets.
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = party_members)]
#[diesel(treat_none_as_null = true)]
pub struct MemberFields {
    pub name: String,
    pub gender: String,
    pub birth_year: Option<i32>,
    pub joined_on: NaiveDate,
    pub phone: String,
    pub address: String,
    pub difficulty: String,
    pub volunteer: bool,
    pub building_group: String,
    pub notes: String,
    pub active: bool,
}

/// A branch by id, if it lies in the user's scope — or is the branch the user is secretary of.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Branch> {
    let b: Branch = party_branches::table
        .find(id)
        .select(Branch::as_select())
        .first_row(conn)?;
    if user.sees(&b.scope_path) || b.secretary_user_id == Some(user.id) {
        Ok(b)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn insert(conn: &mut AnyConnection, f: &BranchFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(party_branches::table)
        .values((
            f,
            party_branches::created_at.eq(now),
            party_branches::updated_at.eq(now),
        ))
        .returning(party_branches::id)
        .get_result(conn)?)
}

/// Saves the branch if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &BranchFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_branches::table
            .filter(party_branches::id.eq(id))
            .filter(party_branches::version.eq(version)),
    )
    .set((
        f,
        party_branches::version.eq(version + 1),
        party_branches::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Filters of the branch list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_path: Option<String>,
    pub kind: Option<String>,
    pub demo_only: bool,
}

/// Branches in scope (and the user's own branch), by unit and name.
pub fn list(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter) -> AppResult<Vec<Branch>> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = party_branches::table
        .filter(
            party_branches::scope_path
                .ge(lo)
                .and(party_branches::scope_path.lt(hi))
                .or(party_branches::secretary_user_id.eq(user.id)),
        )
        .into_boxed();
    if let Some(k) = &f.kind {
        q = q.filter(party_branches::kind.eq(k.clone()));
    }
    if f.demo_only {
        q = q.filter(party_branches::demo_site.eq(true));
    }
    Ok(q.order((party_branches::scope_path, party_branches::name))
        .limit(2000)
        .select(Branch::as_select())
        .load(conn)?)
}

pub fn members(conn: &mut AnyConnection, branch_id: i32) -> AppResult<Vec<Member>> {
    Ok(party_members::table
        .filter(party_members::branch_id.eq(branch_id))
        .order((
            party_members::active.desc(),
            party_members::joined_on,
            party_members::id,
        ))
        .select(Member::as_select())
        .load(conn)?)
}

pub fn member(conn: &mut AnyConnection, branch_id: i32, id: i32) -> AppResult<Member> {
    Ok(party_members::table
        .filter(party_members::branch_id.eq(branch_id))
        .filter(party_members::id.eq(id))
        .select(Member::as_select())
        .first_row(conn)?)
}

pub fn insert_member(
    conn: &mut AnyConnection,
    branch: &Branch,
    f: &MemberFields,
    now: NaiveDateTime,
) -> AppResult<i32> {
    let id = diesel::insert_into(party_members::table)
        .values((
            f,
            party_members::branch_id.eq(branch.id),
            party_members::scope_path.eq(&branch.scope_path),
            party_members::created_at.eq(now),
            party_members::updated_at.eq(now),
        ))
        .returning(party_members::id)
        .get_result(conn)?;
    refresh_members(conn, branch.id)?;
    Ok(id)
}

pub fn update_member(
    conn: &mut AnyConnection,
    branch_id: i32,
    id: i32,
    version: i32,
    f: &MemberFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_members::table
            .filter(party_members::id.eq(id))
            .filter(party_members::branch_id.eq(branch_id))
            .filter(party_members::version.eq(version)),
    )
    .set((
        f,
        party_members::version.eq(version + 1),
        party_members::updated_at.eq(now),
    ))
    .execute(conn)?;
    refresh_members(conn, branch_id)?;
    Ok(n == 1)
}

/// Keeps the branch's count of active members in step.
pub fn refresh_members(conn: &mut AnyConnection, branch_id: i32) -> AppResult<()> {
    let n: i64 = party_members::table
        .filter(party_members::branch_id.eq(branch_id))
        .filter(party_members::active.eq(true))
        .count()
        .get_result(conn)?;
    diesel::update(party_branches::table.find(branch_id))
        .set(party_branches::members.eq(n as i32))
        .execute(conn)?;
    Ok(())
}

/// Branch-secretary accounts in scope a branch can name: id, name, unit.
pub fn secretary_accounts(
    conn: &mut AnyConnection,
    path: &str,
) -> AppResult<Vec<(i32, String, String)>> {
    use crate::db::schema::{org_units, users};
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(users::table
        .inner_join(org_units::table)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(users::active.eq(true))
        .filter(users::role.eq("branch_secretary"))
        .order((org_units::path, users::display_name))
        .select((users::id, users::display_name, org_units::name))
        .load(conn)?)
}
