//! Pairing rows (结对帮扶): a branch's pairings with the number of visits recorded for each, one
//! pairing, writing, editing and ending one. An ended pairing is kept (`active` false,
//! `ended_on`, `end_note`): its visits stay, the activity form no longer offers it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::forms::Pairing;
use crate::db::schema::{party_activities, party_members, party_pairings};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::party::branches::models::Branch;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_pairings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct PairingRow {
    pub id: i32,
    pub branch_id: i32,
    pub scope_path: String,
    pub member_id: i32,
    pub household: String,
    pub address: String,
    pub situation: String,
    pub since: NaiveDate,
    pub active: bool,
    pub ended_on: Option<NaiveDate>,
    pub end_note: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A pairing with its member's name.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct PairingWithMember {
    #[diesel(embed)]
    pub pairing: PairingRow,
    #[diesel(select_expression = party_members::name)]
    #[diesel(select_expression_type = party_members::name)]
    pub member: String,
}

impl PairingWithMember {
    /// "member → household", as the activity form and page name it.
    pub fn label(&self) -> String {
        format!("{} → {}", self.member, self.pairing.household)
    }
}

/// A branch's pairing as its list shows it: with the member's name and the visits recorded.
#[derive(Debug, Clone)]
pub struct PairingLine {
    pub p: PairingRow,
    pub member: String,
    pub visits: i64,
}

/// A branch's pairings with the member's name and the number of visits.
pub fn pairings(conn: &mut AnyConnection, branch_id: i32) -> AppResult<Vec<PairingLine>> {
    let rows: Vec<PairingWithMember> = party_pairings::table
        .inner_join(party_members::table.on(party_members::id.eq(party_pairings::member_id)))
        .filter(party_pairings::branch_id.eq(branch_id))
        .order((party_pairings::active.desc(), party_pairings::since.desc()))
        .select(PairingWithMember::as_select())
        .load(conn)?;
    // The visits of all the branch's pairings in one query through the branch's activities
    // (a pairing's visits are its branch's activities).
    let visits: std::collections::HashMap<i32, i64> = party_activities::table
        .filter(party_activities::branch_id.eq(branch_id))
        .filter(party_activities::pairing_id.is_not_null())
        .group_by(party_activities::pairing_id)
        .select((party_activities::pairing_id, diesel::dsl::count_star()))
        .load::<(Option<i32>, i64)>(conn)?
        .into_iter()
        .filter_map(|(p, n)| Some((p?, n)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| PairingLine {
            visits: visits.get(&r.pairing.id).copied().unwrap_or(0),
            p: r.pairing,
            member: r.member,
        })
        .collect())
}

/// A pairing of the branch with its member's name.
pub fn pairing(conn: &mut AnyConnection, branch_id: i32, id: i32) -> AppResult<PairingWithMember> {
    Ok(party_pairings::table
        .inner_join(party_members::table.on(party_members::id.eq(party_pairings::member_id)))
        .filter(party_pairings::branch_id.eq(branch_id))
        .filter(party_pairings::id.eq(id))
        .select(PairingWithMember::as_select())
        .first_row(conn)?)
}

pub fn insert_pairing(
    conn: &mut AnyConnection,
    b: &Branch,
    p: &Pairing,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(party_pairings::table)
        .values((
            party_pairings::branch_id.eq(b.id),
            party_pairings::scope_path.eq(&b.scope_path),
            party_pairings::member_id.eq(p.member_id),
            party_pairings::household.eq(&p.household),
            party_pairings::address.eq(&p.address),
            party_pairings::situation.eq(&p.situation),
            party_pairings::since.eq(p.since),
            party_pairings::created_at.eq(now),
            party_pairings::updated_at.eq(now),
        ))
        .returning(party_pairings::id)
        .get_result(conn)?)
}

/// Saves an edit if the pairing is still at `version`; false when someone saved first.
pub fn update_pairing(
    conn: &mut AnyConnection,
    branch_id: i32,
    id: i32,
    version: i32,
    p: &Pairing,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_pairings::table
            .filter(party_pairings::id.eq(id))
            .filter(party_pairings::branch_id.eq(branch_id))
            .filter(party_pairings::version.eq(version)),
    )
    .set((
        party_pairings::member_id.eq(p.member_id),
        party_pairings::household.eq(&p.household),
        party_pairings::address.eq(&p.address),
        party_pairings::situation.eq(&p.situation),
        party_pairings::since.eq(p.since),
        party_pairings::version.eq(version + 1),
        party_pairings::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Ends an active pairing still at `version`; false when it ended already or someone saved
/// first. The row stays, and with it the visits that name it.
pub fn end_pairing(
    conn: &mut AnyConnection,
    branch_id: i32,
    id: i32,
    version: i32,
    (day, note): (NaiveDate, &str),
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_pairings::table
            .filter(party_pairings::id.eq(id))
            .filter(party_pairings::branch_id.eq(branch_id))
            .filter(party_pairings::active.eq(true))
            .filter(party_pairings::version.eq(version)),
    )
    .set((
        party_pairings::active.eq(false),
        party_pairings::ended_on.eq(Some(day)),
        party_pairings::end_note.eq(note),
        party_pairings::version.eq(version + 1),
        party_pairings::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A pairing as the activity form offers it.
#[derive(Debug, Clone)]
pub struct PairingChoice {
    pub id: i32,
    /// "member → household"
    pub label: String,
}

/// The pairings the activity form offers: the branch's active ones, and `keep` (the pairing a
/// saved visit already names) even if it has ended since.
pub fn choices(
    conn: &mut AnyConnection,
    branch_id: i32,
    keep: Option<i32>,
) -> AppResult<Vec<PairingChoice>> {
    Ok(pairings(conn, branch_id)?
        .into_iter()
        .filter(|l| l.p.active || Some(l.p.id) == keep)
        .map(|l| PairingChoice {
            id: l.p.id,
            label: format!("{} → {}", l.member, l.p.household),
        })
        .collect())
}
