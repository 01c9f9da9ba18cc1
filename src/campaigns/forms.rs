//! The campaign form and the list's query, as typed and as parsed.

use serde::{Deserialize, Serialize};

use super::models::{Campaign, CampaignFields};
use crate::web::edit::{VersionedForm, required_date};
use crate::web::forms::{FormErrors, optional, required};
use crate::web::list::ListParams;

/// The list's filters: a part of the name.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub q: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![("q", &self.q)]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ListQuery {
    pub fn name(&self) -> Option<String> {
        Some(self.q.trim().to_string()).filter(|s| !s.is_empty())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CampaignForm {
    pub name: String,
    pub basis: String,
    pub lead_office: String,
    pub unit_id: String,
    pub starts_on: String,
    pub ends_on: String,
    pub note: String,
    pub version: String,
    pub form_token: String,
}

impl CampaignForm {
    pub fn from_campaign(c: &Campaign) -> CampaignForm {
        CampaignForm {
            name: c.name.clone(),
            basis: c.basis.clone(),
            lead_office: c.lead_office.clone(),
            unit_id: c.unit_id.to_string(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            note: c.note.clone(),
            version: c.version.to_string(),
            form_token: String::new(),
        }
    }

    /// The leading unit one of `units` (id, name, depth, path); the period's end not before its
    /// start.
    pub fn parse(
        &self,
        units: &[(i32, String, i32, String)],
    ) -> Result<CampaignFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "name", &self.name, 200);
        let basis = optional(&mut e, "basis", &self.basis, 500);
        let lead_office = required(&mut e, "lead_office", &self.lead_office, 200);
        let unit = units
            .iter()
            .find(|u| u.0.to_string() == self.unit_id.trim());
        if unit.is_none() {
            e.add("unit_id", "form.required");
        }
        let starts_on = required_date(&mut e, "starts_on", &self.starts_on);
        let ends_on = required_date(&mut e, "ends_on", &self.ends_on);
        if let (Some(s), Some(t)) = (starts_on, ends_on)
            && t < s
        {
            e.add("ends_on", "form.to_before_from");
        }
        let note = optional(&mut e, "note", &self.note, 2000);
        e.finish(|| {
            let u = unit.expect("checked");
            CampaignFields {
                unit_id: u.0,
                scope_path: u.3.clone(),
                name,
                basis,
                lead_office,
                starts_on: starts_on.expect("checked"),
                ends_on: ends_on.expect("checked"),
                note,
            }
        })
    }
}

/// The labelled values of a campaign form, for the stale-edit table and the audit log.
pub fn labelled(f: &CampaignForm) -> Vec<(&'static str, String)> {
    vec![
        ("campaigns.name", f.name.trim().to_string()),
        ("campaigns.basis", f.basis.trim().to_string()),
        ("campaigns.lead_office", f.lead_office.trim().to_string()),
        ("campaigns.unit", f.unit_id.trim().to_string()),
        ("campaigns.starts_on", f.starts_on.trim().to_string()),
        ("campaigns.ends_on", f.ends_on.trim().to_string()),
        ("campaigns.note", f.note.trim().to_string()),
    ]
}

impl VersionedForm for CampaignForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}
