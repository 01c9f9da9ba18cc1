//! The branch and member forms as typed and as parsed.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::domain::{BRANCH_KINDS, DIFFICULTY};
use super::models::{Branch, BranchFields, Member, MemberFields};
use crate::web::forms::{FormErrors, one_of, optional, optional_date, phone, required};

fn checked(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "true" | "1")
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BranchForm {
    pub unit_id: String,
    pub name: String,
    pub kind: String,
    pub secretary: String,
    pub secretary_user_id: String,
    pub phone: String,
    pub first_secretary: String,
    pub first_secretary_post: String,
    pub first_secretary_since: String,
    pub demo_site: String,
    pub demo_criteria: String,
    pub demo_evidence: String,
    pub demo_reviewed_on: String,
    pub demo_review: String,
    pub notes: String,
    pub active: String,
    pub version: String,
    pub form_token: String,
}

impl BranchForm {
    pub fn from_branch(b: &Branch) -> BranchForm {
        let d = |x: &Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        BranchForm {
            unit_id: b.unit_id.to_string(),
            name: b.name.clone(),
            kind: b.kind.clone(),
            secretary: b.secretary.clone(),
            secretary_user_id: b
                .secretary_user_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            phone: b.phone.clone(),
            first_secretary: b.first_secretary.clone(),
            first_secretary_post: b.first_secretary_post.clone(),
            first_secretary_since: d(&b.first_secretary_since),
            demo_site: if b.demo_site {
                "on".into()
            } else {
                String::new()
            },
            demo_criteria: b.demo_criteria.clone(),
            demo_evidence: b.demo_evidence.clone(),
            demo_reviewed_on: d(&b.demo_reviewed_on),
            demo_review: b.demo_review.clone(),
            notes: b.notes.clone(),
            active: if b.active { "on".into() } else { String::new() },
            version: b.version.to_string(),
            form_token: String::new(),
        }
    }

    /// `units`: (id, path) of the units a branch may belong to; `accounts`: branch-secretary
    /// account ids that may be named.
    pub fn parse(
        &self,
        units: &[(i32, String)],
        accounts: &[i32],
    ) -> Result<BranchFields, FormErrors> {
        let mut e = FormErrors::new();
        let unit = self
            .unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| units.iter().find(|u| u.0 == id).cloned());
        if unit.is_none() {
            e.add("unit_id", "form.invalid_choice");
        }
        let name = required(&mut e, "name", &self.name, 60);
        let kind = one_of(&mut e, "kind", &self.kind, &BRANCH_KINDS)
            .unwrap_or("")
            .to_string();
        let secretary = optional(&mut e, "secretary", &self.secretary, 30);
        let secretary_user_id = match self.secretary_user_id.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(id) if accounts.contains(&id) => Some(id),
                _ => {
                    e.add("secretary_user_id", "form.invalid_choice");
                    None
                }
            },
        };
        let phone = phone(&mut e, "phone", &self.phone, false);
        let first_secretary = optional(&mut e, "first_secretary", &self.first_secretary, 30);
        let first_secretary_post = optional(
            &mut e,
            "first_secretary_post",
            &self.first_secretary_post,
            60,
        );
        let first_secretary_since =
            optional_date(&mut e, "first_secretary_since", &self.first_secretary_since);
        let demo_site = checked(&self.demo_site);
        let demo_criteria = optional(&mut e, "demo_criteria", &self.demo_criteria, 2000);
        let demo_evidence = optional(&mut e, "demo_evidence", &self.demo_evidence, 2000);
        let demo_reviewed_on = optional_date(&mut e, "demo_reviewed_on", &self.demo_reviewed_on);
        let demo_review = optional(&mut e, "demo_review", &self.demo_review, 500);
        if demo_site && demo_criteria.is_empty() && !e.has("demo_criteria") {
            e.add("demo_criteria", "party.demo_needs_criteria");
        }
        let notes = optional(&mut e, "notes", &self.notes, 2000);
        let (unit_id, scope_path) = unit.unwrap_or_default();
        e.finish(|| BranchFields {
            unit_id,
            scope_path,
            name,
            kind,
            secretary,
            secretary_user_id,
            phone,
            first_secretary,
            first_secretary_post,
            first_secretary_since,
            demo_site,
            demo_criteria,
            demo_evidence,
            demo_reviewed_on,
            demo_review,
            notes,
            active: checked(&self.active),
        })
    }
}

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
        let joined_on = match optional_date(&mut e, "joined_on", &self.joined_on) {
            Some(d) if d > today => {
                e.add("joined_on", "party.joined_in_future");
                None
            }
            Some(d) => Some(d),
            None if !e.has("joined_on") => {
                e.add("joined_on", "form.required");
                None
            }
            None => None,
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
        assert!(super::super::domain::is_veteran(m.joined_on));
    }

    #[test]
    fn a_demonstration_site_needs_its_criteria() {
        let f = BranchForm {
            unit_id: "3".into(),
            name: "工人路社区党支部".into(),
            kind: "community".into(),
            demo_site: "on".into(),
            ..Default::default()
        };
        let units = vec![(3, "/1/2/3/".to_string())];
        assert!(f.parse(&units, &[]).unwrap_err().has("demo_criteria"));
        let ok = BranchForm {
            demo_criteria: "五有一创".into(),
            ..f
        };
        let b = ok.parse(&units, &[]).unwrap();
        assert_eq!(b.scope_path, "/1/2/3/");
        assert!(b.demo_site);
    }
}
