//! The tally form and the correction form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::campaigns::models::{Campaign, Target};
use crate::web::edit::{VersionedForm, required_date};
use crate::web::forms::{FormErrors, optional};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TallyForm {
    pub target_id: String,
    pub unit_id: String,
    pub done_on: String,
    pub amount: String,
    pub note: String,
    pub form_token: String,
}

/// A tally as parsed (the unit's path comes with the unit).
#[derive(Debug, Clone)]
pub struct Parsed {
    pub target_id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub done_on: NaiveDate,
    pub amount: i64,
    pub note: String,
}

/// A whole number not below zero; its message beside `field`.
pub fn amount(e: &mut FormErrors, field: &'static str, raw: &str) -> i64 {
    let raw = raw.trim().replace([',', '，'], "");
    if raw.is_empty() {
        e.add(field, "form.required");
        return 0;
    }
    match raw.parse::<i64>() {
        Ok(n) if (0..=1_000_000_000).contains(&n) => n,
        _ => {
            e.add(field, "campaigns.bad_amount");
            0
        }
    }
}

/// The day within the campaign's period and not after today.
fn day(e: &mut FormErrors, raw: &str, c: &Campaign, today: NaiveDate) -> Option<NaiveDate> {
    let d = required_date(e, "done_on", raw)?;
    if d > today {
        e.add("done_on", "form.date_future");
    } else if d < c.starts_on || d > c.ends_on {
        e.add("done_on", "campaigns.outside_period");
    }
    Some(d)
}

impl TallyForm {
    pub fn parse(
        &self,
        c: &Campaign,
        targets: &[Target],
        units: &[(i32, String, i32, String)],
        today: NaiveDate,
    ) -> Result<Parsed, FormErrors> {
        let mut e = FormErrors::new();
        let target = targets
            .iter()
            .find(|t| t.id.to_string() == self.target_id.trim());
        if target.is_none() {
            e.add("target_id", "form.required");
        }
        let unit = units
            .iter()
            .find(|u| u.0.to_string() == self.unit_id.trim());
        if unit.is_none() {
            e.add("unit_id", "form.required");
        }
        let done_on = day(&mut e, &self.done_on, c, today);
        let amount = amount(&mut e, "amount", &self.amount);
        let note = optional(&mut e, "note", &self.note, 500);
        e.finish(|| {
            let u = unit.expect("checked");
            Parsed {
                target_id: target.expect("checked").id,
                unit_id: u.0,
                scope_path: u.3.clone(),
                done_on: done_on.expect("checked"),
                amount,
                note,
            }
        })
    }
}

/// A correction: the amount that replaces the entry's, and why. `version` is the id of the
/// chain's latest entry when the form was opened: a later correction makes it stale (409).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CorrectForm {
    pub amount: String,
    pub reason: String,
    pub version: String,
    pub form_token: String,
}

impl CorrectForm {
    pub fn parse(&self) -> Result<(i64, String), FormErrors> {
        let mut e = FormErrors::new();
        let amount = amount(&mut e, "amount", &self.amount);
        let reason = crate::web::forms::required(&mut e, "reason", &self.reason, 500);
        e.finish(|| (amount, reason))
    }
}

/// The labelled values of a correction (the entry's amount and reason), for the 409 table.
pub fn labelled(amount: &str, reason: &str) -> Vec<(&'static str, String)> {
    vec![
        ("campaigns.amount", amount.trim().to_string()),
        ("campaigns.reason", reason.trim().to_string()),
    ]
}

impl VersionedForm for CorrectForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}
