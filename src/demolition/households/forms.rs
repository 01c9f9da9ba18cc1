//! The object form (a household or a public unit of a group) and the step form.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::HouseholdFields;
use crate::demolition::domain::{KINDS, STEPS};
use crate::demolition::models::Group;
use crate::projects::domain::parse_wan;
use crate::web::edit::{VersionedForm, required_date};
use crate::web::forms::{FormErrors, one_of, optional, required};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdForm {
    pub group_id: String,
    pub kind: String,
    pub building: String,
    pub address: String,
    pub area: String,
    pub head: String,
    pub cadre: String,
    pub form_token: String,
}

impl HouseholdForm {
    /// The group among the command's; the area in m² with at most two decimals, not negative.
    pub fn parse(&self, command_id: i32, groups: &[Group]) -> Result<HouseholdFields, FormErrors> {
        let mut e = FormErrors::new();
        let group = groups
            .iter()
            .find(|g| g.id.to_string() == self.group_id.trim());
        if group.is_none() {
            e.add("group_id", "form.required");
        }
        let kind = one_of(&mut e, "kind", &self.kind, &KINDS)
            .unwrap_or("")
            .to_string();
        let building = optional(&mut e, "building", &self.building, 100);
        let address = required(&mut e, "address", &self.address, 200);
        let area = if self.area.trim().is_empty() {
            Some(0)
        } else {
            parse_wan(&self.area)
        };
        if area.is_none() {
            e.add("area", "demolition.area_invalid");
        }
        let head = required(&mut e, "head", &self.head, 100);
        let cadre = optional(&mut e, "cadre", &self.cadre, 100);
        e.finish(|| HouseholdFields {
            command_id,
            group_id: group.map(|g| g.id).unwrap_or_default(),
            kind,
            building,
            address,
            area_dm2: area.unwrap_or_default(),
            head,
            cadre,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub step: String,
    pub done_on: String,
    pub note: String,
    pub version: String,
}

/// A parsed step: which, on what day, with a note.
#[derive(Debug, Clone, Serialize)]
pub struct StepFields {
    pub step: String,
    pub done_on: NaiveDate,
    pub note: String,
}

impl StepForm {
    pub fn parse(&self) -> Result<StepFields, FormErrors> {
        let mut e = FormErrors::new();
        let step = one_of(&mut e, "step", &self.step, &STEPS)
            .unwrap_or("")
            .to_string();
        let done_on = required_date(&mut e, "done_on", &self.done_on);
        let note = optional(&mut e, "note", &self.note, 500);
        e.finish(|| StepFields {
            step,
            done_on: done_on.unwrap_or_default(),
            note,
        })
    }
}

/// The labelled values of a step form, for the stale table.
pub fn labelled(f: &StepForm) -> Vec<(&'static str, String)> {
    vec![
        ("demolition.step", f.step.trim().to_string()),
        ("demolition.done_on", f.done_on.trim().to_string()),
        ("demolition.note", f.note.trim().to_string()),
    ]
}

impl VersionedForm for StepForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}
