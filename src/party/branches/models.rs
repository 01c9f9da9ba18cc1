//! Branch rows (党支部): a branch in scope, the list with its filters, writing a branch, and the
//! units and secretary accounts the branch form offers.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::party_branches;
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

#[cfg(test)]
impl Branch {
    /// A community branch registered on 1 January 2026, for tests.
    pub fn sample(id: i32) -> Branch {
        let now = NaiveDate::from_ymd_opt(2026, 1, 1)
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .unwrap_or_default();
        Branch {
            id,
            unit_id: 1,
            scope_path: "/1/".into(),
            name: format!("b{id}"),
            kind: "community".into(),
            secretary: String::new(),
            secretary_user_id: None,
            phone: String::new(),
            first_secretary: String::new(),
            first_secretary_post: String::new(),
            first_secretary_since: None,
            demo_site: false,
            demo_criteria: String::new(),
            demo_evidence: String::new(),
            demo_reviewed_on: None,
            demo_review: String::new(),
            notes: String::new(),
            members: 0,
            last_activity: None,
            active: true,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
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

/// A branch-secretary account a branch can name.
#[derive(Debug, Clone, Queryable)]
pub struct SecretaryAccount {
    pub id: i32,
    pub name: String,
    pub unit: String,
}

/// Branch-secretary accounts in scope a branch can name.
pub fn secretary_accounts(
    conn: &mut AnyConnection,
    path: &str,
) -> AppResult<Vec<SecretaryAccount>> {
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

/// A unit a branch can belong to.
#[derive(Debug, Clone, Queryable)]
pub struct BranchUnit {
    pub id: i32,
    pub name: String,
    pub depth: i32,
    pub kind: String,
    pub path: String,
}

/// The units a branch can belong to (streets, communities, villages in scope) with their paths.
pub fn branch_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<BranchUnit>> {
    use crate::db::schema::org_units;
    let (lo, hi) = user.scope();
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::kind,
            org_units::path,
        ))
        .load(conn)?)
}
