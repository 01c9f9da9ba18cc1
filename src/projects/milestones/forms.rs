//! The milestone form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{Milestone, MilestoneFields};
use crate::projects::domain::MILESTONE_STATES;
use crate::web::edit::VersionedForm;
use crate::web::forms::{FormErrors, one_of, optional, optional_date};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MilestoneForm {
    pub status: String,
    pub planned_on: String,
    pub actual_on: String,
    pub note: String,
    pub version: String,
}

impl MilestoneForm {
    pub fn from_milestone(m: &Milestone) -> MilestoneForm {
        let d = |x: &Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        MilestoneForm {
            status: m.status.clone(),
            planned_on: d(&m.planned_on),
            actual_on: d(&m.actual_on),
            note: m.note.clone(),
            version: m.version.to_string(),
        }
    }

    /// A done stage needs the day it was reached, which cannot be in the future.
    pub fn parse(&self, today: NaiveDate) -> Result<MilestoneFields, FormErrors> {
        let mut e = FormErrors::new();
        let status = one_of(&mut e, "status", &self.status, &MILESTONE_STATES)
            .unwrap_or("")
            .to_string();
        let planned_on = optional_date(&mut e, "planned_on", &self.planned_on);
        let actual_on = optional_date(&mut e, "actual_on", &self.actual_on);
        if actual_on.is_some_and(|d| d > today) {
            e.add("actual_on", "form.date_future");
        }
        if status == "done" && actual_on.is_none() && !e.has("actual_on") {
            e.add("actual_on", "projects.done_needs_date");
        }
        let note = optional(&mut e, "note", &self.note, 500);
        e.finish(|| MilestoneFields {
            planned_on,
            actual_on,
            status,
            note,
        })
    }
}

/// The labelled values of a milestone form, for the stale-edit table and the audit log.
pub fn labelled(f: &MilestoneForm) -> Vec<(&'static str, String)> {
    vec![
        ("projects.milestone_status", f.status.trim().to_string()),
        ("projects.planned_on", f.planned_on.trim().to_string()),
        ("projects.actual_on", f.actual_on.trim().to_string()),
        ("projects.note", f.note.trim().to_string()),
    ]
}

impl VersionedForm for MilestoneForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}
