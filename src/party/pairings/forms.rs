//! The pairing form (a member of the branch and a household in need) and the end form (the day
//! it ended and why), as typed and as parsed; a form as the lines the 409 table and the audit read.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::PairingRow;
use crate::party::members::models::MemberChoice;
use crate::web::edit::{self, VersionedForm};
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
        let since = match edit::required_date(&mut e, "since", &self.since) {
            Some(d) if d > today => {
                e.add("since", "party.activity.day_future");
                today
            }
            Some(d) if ended_on.is_some_and(|end| d > end) => {
                e.add("since", "party.pairing.since_after_end");
                d
            }
            Some(d) => d,
            None => today,
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
        let day = match edit::required_date(&mut e, "ended_on", &self.ended_on) {
            Some(d) if d > today => {
                e.add("ended_on", "party.activity.day_future");
                today
            }
            Some(d) if d < since => {
                e.add("ended_on", "party.pairing.end_before_since");
                d
            }
            Some(d) => d,
            None => today,
        };
        let note = optional(&mut e, "end_note", &self.end_note, 500);
        e.finish(|| (day, note))
    }
}

/// The members a pairing may name (id, name): the active ones, and `keep` (the member an edited
/// pairing already names, who may have left since).
pub fn member_choices(members: &[MemberChoice], keep: Option<i32>) -> Vec<(i32, String)> {
    members
        .iter()
        .filter(|m| m.active || Some(m.id) == keep)
        .map(|m| (m.id, m.name.clone()))
        .collect()
}

impl VersionedForm for PairingForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

impl VersionedForm for EndForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
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
