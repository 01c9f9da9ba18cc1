//! The notice forms as typed and parsed: issuing one (the unit's open findings ticked, the
//! working days, the requirements), 签收, an answer, an extension asked for and decided; the
//! list's filters.

use serde::{Deserialize, Serialize};

use super::domain::{DAYS, EXT_DAYS, STATES};
use crate::inspections::visits::models::Finding;
use crate::web::edit::VersionedForm;
use crate::web::forms::{FormErrors, int_in, one_of, required};
use crate::web::list::ListParams;

/// The list's filters: a computed state and the year of issue.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub year: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![("state", &self.state), ("year", &self.year)]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ListQuery {
    pub fn state(&self) -> Option<&'static str> {
        STATES.iter().find(|s| **s == self.state.trim()).copied()
    }
    pub fn year(&self) -> Option<i32> {
        self.year
            .trim()
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
    }
}

/// Which round and unit a new notice is for (`?round=&unit=`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub round: i32,
    pub unit: i32,
}

/// The notice form as typed (findings ticked: one `finding` field each).
#[derive(Debug, Clone, Default, Serialize)]
pub struct NoticeForm {
    pub round: String,
    pub unit: String,
    pub findings: Vec<String>,
    pub working_days: String,
    pub requirements: String,
    pub form_token: String,
}

fn one(p: &[(String, String)], k: &str) -> String {
    p.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The notice form, parsed against the findings offered.
pub struct Parsed {
    pub finding_ids: Vec<i32>,
    pub working_days: i32,
    pub requirements: String,
}

impl NoticeForm {
    pub fn from_pairs(p: &[(String, String)]) -> NoticeForm {
        NoticeForm {
            round: one(p, "round"),
            unit: one(p, "unit"),
            findings: p
                .iter()
                .filter(|(k, _)| k == "finding")
                .map(|(_, v)| v.clone())
                .collect(),
            working_days: one(p, "working_days"),
            requirements: one(p, "requirements"),
            form_token: one(p, "form_token"),
        }
    }

    pub fn ticked(&self, id: &i32) -> bool {
        self.findings.iter().any(|f| f.trim() == id.to_string())
    }

    /// At least one finding, each among those offered; the working days within [`DAYS`].
    pub fn parse(&self, offered: &[Finding]) -> Result<Parsed, FormErrors> {
        let mut e = FormErrors::new();
        let ids: Vec<i32> = offered
            .iter()
            .map(|f| f.id)
            .filter(|id| self.ticked(id))
            .collect();
        if ids.is_empty() {
            e.add("findings", "notices.findings_required");
        } else if ids.len() != self.findings.len() {
            e.add("findings", "form.invalid_choice");
        }
        let days = int_in(
            &mut e,
            "working_days",
            &self.working_days,
            *DAYS.start(),
            *DAYS.end(),
        );
        let requirements = required(&mut e, "requirements", &self.requirements, 2000);
        e.finish(|| Parsed {
            finding_ids: ids,
            working_days: days,
            requirements,
        })
    }
}

/// 签收: the name of who signs for the unit.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SignForm {
    pub signed_name: String,
    pub version: String,
}

impl VersionedForm for SignForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, v: i32) {
        self.version = v.to_string();
    }
}

impl SignForm {
    pub fn parse(&self) -> Result<String, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "signed_name", &self.signed_name, 50);
        e.finish(|| name)
    }
}

/// The unit's answer to one finding.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AnswerForm {
    pub finding: String,
    pub body: String,
    pub form_token: String,
}

impl AnswerForm {
    /// The finding (one of the notice's) and what was done.
    pub fn parse(&self, held: &[Finding]) -> Result<(i32, String), FormErrors> {
        let mut e = FormErrors::new();
        let finding = self
            .finding
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|id| held.iter().any(|f| f.id == *id));
        if finding.is_none() {
            e.add("finding", "form.invalid_choice");
        }
        let body = required(&mut e, "body", &self.body, 2000);
        e.finish(|| (finding.unwrap_or_default(), body))
    }
}

/// An extension asked for: how many more working days, and why.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ExtForm {
    pub ext_days: String,
    pub ext_reason: String,
    pub version: String,
}

impl VersionedForm for ExtForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, v: i32) {
        self.version = v.to_string();
    }
}

impl ExtForm {
    pub fn parse(&self) -> Result<(i32, String), FormErrors> {
        let mut e = FormErrors::new();
        let days = int_in(
            &mut e,
            "ext_days",
            &self.ext_days,
            *EXT_DAYS.start(),
            *EXT_DAYS.end(),
        );
        let reason = required(&mut e, "ext_reason", &self.ext_reason, 500);
        e.finish(|| (days, reason))
    }
}

/// The extension decided: approve or refuse.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DecideForm {
    pub decision: String,
    pub version: String,
}

impl DecideForm {
    pub fn parse(&self) -> Result<&'static str, FormErrors> {
        let mut e = FormErrors::new();
        let d = one_of(&mut e, "decision", &self.decision, &["approved", "refused"]);
        e.finish(|| d.unwrap_or("refused"))
    }
}
