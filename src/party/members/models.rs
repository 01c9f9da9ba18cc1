//! Member rows (党员): a branch's roll, one member, writing them and keeping the branch's count of
//! active members.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{party_branches, party_members};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::party::branches::models::Branch;

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
        crate::party::domain::is_veteran(self.joined_on)
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

/// A member as the activity and pairing forms offer them.
#[derive(Debug, Clone)]
pub struct MemberChoice {
    pub id: i32,
    pub name: String,
    pub active: bool,
    pub difficulty: String,
}

/// The branch's members for the activity and pairing forms.
pub fn choices(conn: &mut AnyConnection, branch_id: i32) -> AppResult<Vec<MemberChoice>> {
    Ok(members(conn, branch_id)?
        .into_iter()
        .map(|m| MemberChoice {
            id: m.id,
            name: m.name,
            active: m.active,
            difficulty: m.difficulty,
        })
        .collect())
}

impl MemberFields {
    /// The saved member's fields (the audit's "before").
    pub fn of(m: &Member) -> MemberFields {
        MemberFields {
            name: m.name.clone(),
            gender: m.gender.clone(),
            birth_year: m.birth_year,
            joined_on: m.joined_on,
            phone: m.phone.clone(),
            address: m.address.clone(),
            difficulty: m.difficulty.clone(),
            volunteer: m.volunteer,
            building_group: m.building_group.clone(),
            notes: m.notes.clone(),
            active: m.active,
        }
    }
}
