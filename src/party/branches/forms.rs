//! The branch list's query and the branch form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{Branch, BranchFields, BranchUnit, SecretaryAccount};
use crate::party::domain::BRANCH_KINDS;
use crate::web::forms::{FormErrors, one_of, optional, optional_date, phone, required};
use crate::web::list::ListParams;

/// A checkbox as typed: ticked or not.
pub fn checked(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "true" | "1")
}

/// The branch list's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub kind: String,
    pub demo: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("kind", &self.kind),
            ("demo", &self.demo),
        ]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ListQuery {
    /// The kind asked for, if it is one.
    pub fn kind(&self) -> Option<String> {
        BRANCH_KINDS
            .iter()
            .find(|k| **k == self.kind.trim())
            .map(|k| k.to_string())
    }
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

    /// `units`: the units a branch may belong to; `accounts`: the branch-secretary accounts that
    /// may be named.
    pub fn parse(
        &self,
        units: &[BranchUnit],
        accounts: &[SecretaryAccount],
    ) -> Result<BranchFields, FormErrors> {
        let mut e = FormErrors::new();
        let unit = self
            .unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| (u.id, u.path.clone()));
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
                Ok(id) if accounts.iter().any(|a| a.id == id) => Some(id),
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

/// The labelled values of a branch form, for the stale-edit table and the audit log.
pub fn labelled(f: &BranchForm) -> Vec<(&'static str, String)> {
    vec![
        ("party.branch", f.name.trim().to_string()),
        ("party.kind", f.kind.trim().to_string()),
        ("party.secretary", f.secretary.trim().to_string()),
        ("party.phone", f.phone.trim().to_string()),
        (
            "party.first_secretary",
            f.first_secretary.trim().to_string(),
        ),
        (
            "party.first_secretary_post",
            f.first_secretary_post.trim().to_string(),
        ),
        ("party.demo_site", f.demo_site.trim().to_string()),
        ("party.demo_criteria", f.demo_criteria.trim().to_string()),
        ("party.demo_evidence", f.demo_evidence.trim().to_string()),
        ("party.demo_review", f.demo_review.trim().to_string()),
        ("party.notes", f.notes.trim().to_string()),
        ("party.active", f.active.trim().to_string()),
    ]
}

crate::edit_form!(BranchForm);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_demonstration_site_needs_its_criteria() {
        let f = BranchForm {
            unit_id: "3".into(),
            name: "工人路社区党支部".into(),
            kind: "community".into(),
            demo_site: "on".into(),
            ..Default::default()
        };
        let units = vec![BranchUnit {
            id: 3,
            name: "工人路社区".into(),
            depth: 3,
            kind: "community".into(),
            path: "/1/2/3/".into(),
        }];
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
