//! The member form, as typed and as parsed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::models::{Member, MemberFields};
use crate::party::branches::forms::checked;
use crate::party::domain::DIFFICULTY;
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::{FormErrors, one_of, optional, phone, required};
use crate::web::privacy::mask_phone;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MemberForm {
    pub name: String,
    pub gender: String,
    pub birth_year: String,
    pub joined_on: String,
    pub phone: String,
    pub address: String,
    pub difficulty: String,
    pub volunteer: String,
    pub building_group: String,
    pub notes: String,
    pub active: String,
    pub version: String,
    pub form_token: String,
}

pub const GENDERS: [&str; 2] = ["male", "female"];

impl MemberForm {
    pub fn from_member(m: &Member) -> MemberForm {
        MemberForm {
            name: m.name.clone(),
            gender: m.gender.clone(),
            birth_year: m.birth_year.map(|y| y.to_string()).unwrap_or_default(),
            joined_on: m.joined_on.to_string(),
            phone: m.phone.clone(),
            address: m.address.clone(),
            difficulty: m.difficulty.clone(),
            volunteer: if m.volunteer {
                "on".into()
            } else {
                String::new()
            },
            building_group: m.building_group.clone(),
            notes: m.notes.clone(),
            active: if m.active { "on".into() } else { String::new() },
            version: m.version.to_string(),
            form_token: String::new(),
        }
    }

    pub fn parse(&self, today: NaiveDate) -> Result<MemberFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "name", &self.name, 30);
        let gender = match self.gender.trim() {
            "" => String::new(),
            g => one_of(&mut e, "gender", g, &GENDERS)
                .unwrap_or("")
                .to_string(),
        };
        let birth_year = match self.birth_year.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(y) if (1900..=today.year()).contains(&y) => Some(y),
                _ => {
                    e.add("birth_year", "party.bad_birth_year");
                    None
                }
            },
        };
        let joined_on = match edit::required_date(&mut e, "joined_on", &self.joined_on) {
            Some(d) if d > today => {
                e.add("joined_on", "party.joined_in_future");
                None
            }
            d => d,
        };
        let phone = phone(&mut e, "phone", &self.phone, false);
        let address = optional(&mut e, "address", &self.address, 100);
        let difficulty = one_of(&mut e, "difficulty", self.difficulty.trim(), &DIFFICULTY)
            .unwrap_or("")
            .to_string();
        let building_group = optional(&mut e, "building_group", &self.building_group, 60);
        let notes = optional(&mut e, "notes", &self.notes, 1000);
        e.finish(|| MemberFields {
            name,
            gender,
            birth_year,
            joined_on: joined_on.unwrap_or(today),
            phone,
            address,
            difficulty,
            volunteer: checked(&self.volunteer),
            building_group,
            notes,
            active: checked(&self.active),
        })
    }
}

/// The labelled values of a member form, for the stale-edit table.
pub fn labelled(f: &MemberForm) -> Vec<(&'static str, String)> {
    vec![
        ("party.member_name", f.name.trim().to_string()),
        ("party.gender", f.gender.trim().to_string()),
        ("party.birth_year", f.birth_year.trim().to_string()),
        ("party.joined_on", f.joined_on.trim().to_string()),
        ("party.phone", f.phone.trim().to_string()),
        ("party.address", f.address.trim().to_string()),
        ("party.difficulty_label", f.difficulty.trim().to_string()),
        ("party.volunteer", f.volunteer.trim().to_string()),
        ("party.building_group", f.building_group.trim().to_string()),
        ("party.notes", f.notes.trim().to_string()),
        ("party.active", f.active.trim().to_string()),
    ]
}

/// What the audit log keeps of a member: the phone masked, no address.
pub fn audit_view(f: &MemberFields) -> serde_json::Value {
    serde_json::json!({
        "name": f.name,
        "joined_on": f.joined_on,
        "phone": mask_phone(&f.phone),
        "difficulty": f.difficulty,
        "volunteer": f.volunteer,
        "building_group": f.building_group,
        "active": f.active,
    })
}

impl VersionedForm for MemberForm {
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

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn a_member_needs_a_name_and_a_past_joining_date() {
        let f = MemberForm {
            joined_on: "2027-01-01".into(),
            birth_year: "1850".into(),
            phone: "12".into(),
            difficulty: "rich".into(),
            ..Default::default()
        };
        let e = f.parse(today()).unwrap_err();
        for field in ["name", "joined_on", "birth_year", "phone", "difficulty"] {
            assert!(e.has(field), "{field}");
        }
        let ok = MemberForm {
            name: "张秀兰".into(),
            joined_on: "1948-03-01".into(),
            difficulty: "difficult".into(),
            volunteer: "on".into(),
            active: "on".into(),
            ..Default::default()
        };
        let m = ok.parse(today()).unwrap();
        assert!(m.volunteer && m.active);
        assert!(crate::party::domain::is_veteran(m.joined_on));
    }
}
