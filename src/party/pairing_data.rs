//! Pairings (结对帮扶) as typed and as stored: the form (a member of the branch and a household
//! in need), the end form (the day it ended and why), and the rows, with the number of visits
//! recorded for each. An ended pairing is kept (`active` false, `ended_on`, `end_note`): its
//! visits stay, the activity form no longer offers it.

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
    pub version: String,
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
    /// `members`: ids of the members it may name (the branch's active members, and on an edit
    /// the member already paired); `ended_on`: the day an ended pairing ended, which `since`
    /// cannot be after.
    pub fn parse(
        &self,
        members: &[i32],
        today: NaiveDate,
        ended_on: Option<NaiveDate>,
    ) -> Result<Pairing, FormErrors> {
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
            Ok(d) if ended_on.is_some_and(|end| d > end) => {
                e.add("since", "party.pairing.since_after_end");
                d
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

    /// A saved pairing as a form (the edit form, the other side of a stale edit).
    pub fn from_row(p: &PairingRow) -> PairingForm {
        PairingForm {
            member_id: p.member_id.to_string(),
            household: p.household.clone(),
            address: p.address.clone(),
            situation: p.situation.clone(),
            since: p.since.to_string(),
            version: p.version.to_string(),
            form_token: String::new(),
        }
    }

    /// The lines a person compares in the 409 table; `members`: id → name.
    pub fn labelled(&self, members: &[(i32, String)]) -> Vec<(&'static str, String)> {
        let member = self
            .member_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| members.iter().find(|m| m.0 == id))
            .map(|m| m.1.clone())
            .unwrap_or_else(|| self.member_id.trim().to_string());
        vec![
            ("party.pairing.member", member),
            ("party.pairing.household", self.household.trim().to_string()),
            ("party.pairing.since", self.since.trim().to_string()),
            ("party.address", self.address.trim().to_string()),
            ("party.pairing.situation", self.situation.trim().to_string()),
        ]
    }
}

/// What the audit log keeps of a pairing's edit: the labelled lines without the household's
/// address (a resident's whereabouts stay out of the log, as on create).
pub fn audit_view(lines: &[(&'static str, String)]) -> serde_json::Map<String, serde_json::Value> {
    lines
        .iter()
        .filter(|(k, _)| *k != "party.address")
        .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
        .collect()
}

/// Ending a pairing: the day it ended and an optional note (why).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct EndForm {
    pub ended_on: String,
    pub end_note: String,
    pub version: String,
}

impl EndForm {
    /// The day (not before the pairing began, not after today) and the note.
    pub fn parse(
        &self,
        since: NaiveDate,
        today: NaiveDate,
    ) -> Result<(NaiveDate, String), FormErrors> {
        let mut e = FormErrors::new();
        let day = match NaiveDate::parse_from_str(self.ended_on.trim(), "%Y-%m-%d") {
            Ok(d) if d > today => {
                e.add("ended_on", "party.activity.day_future");
                today
            }
            Ok(d) if d < since => {
                e.add("ended_on", "party.pairing.end_before_since");
                d
            }
            Ok(d) => d,
            Err(_) if self.ended_on.trim().is_empty() => {
                e.add("ended_on", "form.required");
                today
            }
            Err(_) => {
                e.add("ended_on", "form.date_invalid");
                today
            }
        };
        let note = optional(&mut e, "end_note", &self.end_note, 500);
        e.finish(|| (day, note))
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
    pub ended_on: Option<NaiveDate>,
    pub end_note: String,
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
        .map(|(p, name)| {
            let n = visits.get(&p.id).copied().unwrap_or(0);
            (p, name, n)
        })
        .collect())
}

/// A pairing of the branch with its member's name.
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

/// The pairings the activity form offers (id, "member → household"): the branch's active ones,
/// and `keep` (the pairing a saved visit already names) even if it has ended since.
pub fn choices(
    conn: &mut AnyConnection,
    branch_id: i32,
    keep: Option<i32>,
) -> AppResult<Vec<(i32, String)>> {
    Ok(pairings(conn, branch_id)?
        .into_iter()
        .filter(|(p, _, _)| p.active || Some(p.id) == keep)
        .map(|(p, name, _)| (p.id, format!("{name} → {}", p.household)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn an_edit_of_an_ended_pairing_cannot_begin_after_its_end() {
        let f = PairingForm {
            member_id: "3".into(),
            household: "李大娘家".into(),
            since: "2026-03-01".into(),
            ..Default::default()
        };
        let today = day("2026-06-01");
        assert!(f.parse(&[3], today, None).is_ok());
        assert!(f.parse(&[3], today, Some(day("2026-03-01"))).is_ok());
        let e = f.parse(&[3], today, Some(day("2026-02-28"))).unwrap_err();
        assert_eq!(e.get("since").unwrap().key, "party.pairing.since_after_end");
        assert!(f.parse(&[4], today, None).unwrap_err().has("member_id"));
    }

    #[test]
    fn a_pairing_ends_on_a_day_between_its_start_and_today() {
        let (since, today) = (day("2026-01-05"), day("2026-06-01"));
        let f = |d: &str| EndForm {
            ended_on: d.into(),
            end_note: " 已搬离本社区 ".into(),
            version: "1".into(),
        };
        assert_eq!(
            f("2026-05-31").parse(since, today).unwrap(),
            (day("2026-05-31"), "已搬离本社区".to_string())
        );
        assert!(f("2026-01-05").parse(since, today).is_ok());
        let key = |d: &str| {
            f(d).parse(since, today)
                .unwrap_err()
                .get("ended_on")
                .unwrap()
                .key
        };
        assert_eq!(key("2026-01-04"), "party.pairing.end_before_since");
        assert_eq!(key("2026-06-02"), "party.activity.day_future");
        assert_eq!(key(""), "form.required");
        assert_eq!(key("2026-13-01"), "form.date_invalid");
        let long = EndForm {
            end_note: "很".repeat(501),
            ..f("2026-02-01")
        };
        assert!(long.parse(since, today).unwrap_err().has("end_note"));
    }

    #[test]
    fn the_audit_view_leaves_the_address_out() {
        let f = PairingForm {
            member_id: "3".into(),
            household: "李大娘家".into(),
            address: "工人路 8 号院".into(),
            since: "2026-03-01".into(),
            ..Default::default()
        };
        let lines = f.labelled(&[(3, "王建华".into())]);
        assert_eq!(lines[0].1, "王建华");
        let v = audit_view(&lines);
        assert!(!serde_json::to_string(&v).unwrap().contains("工人路"));
        assert_eq!(v["party.pairing.household"], "李大娘家");
    }
}
