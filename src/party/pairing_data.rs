//! Pairings (结对帮扶) as typed and as stored: the form (a member of the branch and a household
//! in need) and the rows, with the number of visits recorded for each.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::models::Branch;
use crate::db::schema::{party_activities, party_members, party_pairings};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::web::forms::{FormErrors, optional, required};

/// The pairing form (结对帮扶): a member of the branch and a household in need.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PairingForm {
    pub member_id: String,
    pub household: String,
    pub address: String,
    pub situation: String,
    pub since: String,
    pub form_token: String,
}

/// A pairing, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Pairing {
    pub member_id: i32,
    pub household: String,
    pub address: String,
    pub situation: String,
    pub since: NaiveDate,
}

impl PairingForm {
    /// `members`: ids of the branch's active members.
    pub fn parse(&self, members: &[i32], today: NaiveDate) -> Result<Pairing, FormErrors> {
        let mut e = FormErrors::new();
        let member_id = match self.member_id.trim().parse::<i32>() {
            Ok(id) if members.contains(&id) => id,
            _ if self.member_id.trim().is_empty() => {
                e.add("member_id", "form.required");
                0
            }
            _ => {
                e.add("member_id", "form.invalid_choice");
                0
            }
        };
        let household = required(&mut e, "household", &self.household, 30);
        let address = optional(&mut e, "address", &self.address, 100);
        let situation = optional(&mut e, "situation", &self.situation, 2000);
        let since = match NaiveDate::parse_from_str(self.since.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("since", "party.activity.day_future");
                today
            }
            Ok(d) => d,
            Err(_) if self.since.trim().is_empty() => {
                e.add("since", "form.required");
                today
            }
            Err(_) => {
                e.add("since", "form.date_invalid");
                today
            }
        };
        e.finish(|| Pairing {
            member_id,
            household,
            address,
            situation,
            since,
        })
    }
}

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
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A branch's pairings with the member's name and the number of visits.
pub fn pairings(
    conn: &mut AnyConnection,
    branch_id: i32,
) -> AppResult<Vec<(PairingRow, String, i64)>> {
    let rows: Vec<(PairingRow, String)> = party_pairings::table
        .inner_join(party_members::table.on(party_members::id.eq(party_pairings::member_id)))
        .filter(party_pairings::branch_id.eq(branch_id))
        .order((party_pairings::active.desc(), party_pairings::since.desc()))
        .select((PairingRow::as_select(), party_members::name))
        .load(conn)?;
    let mut out = Vec::new();
    for (p, name) in rows {
        let n: i64 = party_activities::table
            .filter(party_activities::pairing_id.eq(p.id))
            .count()
            .get_result(conn)?;
        out.push((p, name, n));
    }
    Ok(out)
}

pub fn pairing(
    conn: &mut AnyConnection,
    branch_id: i32,
    id: i32,
) -> AppResult<(PairingRow, String)> {
    Ok(party_pairings::table
        .inner_join(party_members::table.on(party_members::id.eq(party_pairings::member_id)))
        .filter(party_pairings::branch_id.eq(branch_id))
        .filter(party_pairings::id.eq(id))
        .select((PairingRow::as_select(), party_members::name))
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
