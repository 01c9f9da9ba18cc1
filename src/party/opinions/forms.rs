//! The opinion box's forms as typed and as parsed: the list's query, a new opinion, the answer,
//! "turn into an issue".

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::domain::{CHANNELS, STATES};
use super::models::{Opinion, OpinionFields};
use crate::issues::forms::minor_category;
use crate::issues::models::CategoryRow;
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::{FormErrors, one_of, optional, phone, required};
use crate::web::list::ListParams;

/// The list's query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub state: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("state", &self.state),
            ("from", &self.from),
            ("to", &self.to),
        ]
    }
    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

impl ListQuery {
    /// The state asked for, if it is one.
    pub fn state(&self) -> Option<String> {
        STATES
            .iter()
            .find(|s| **s == self.state.trim())
            .map(|s| s.to_string())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OpinionForm {
    pub unit_id: String,
    pub channel: String,
    pub received_on: String,
    pub content: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub form_token: String,
}

impl OpinionForm {
    /// `units`: (id, path) of the units the user may enter opinions for.
    pub fn parse(
        &self,
        units: &[(i32, String)],
        today: NaiveDate,
    ) -> Result<OpinionFields, FormErrors> {
        let mut e = FormErrors::new();
        let unit = self
            .unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| units.iter().find(|u| u.0 == id).cloned());
        if unit.is_none() {
            e.add(
                "unit_id",
                if self.unit_id.trim().is_empty() {
                    "form.required"
                } else {
                    "form.invalid_choice"
                },
            );
        }
        let channel = one_of(&mut e, "channel", &self.channel, &CHANNELS)
            .unwrap_or("")
            .to_string();
        let received_on = match edit::required_date(&mut e, "received_on", &self.received_on) {
            Some(d) if d > today => {
                e.add("received_on", "party.opinion.received_in_future");
                None
            }
            d => d,
        };
        let content = required(&mut e, "content", &self.content, 2000);
        let contact_name = optional(&mut e, "contact_name", &self.contact_name, 30);
        let contact_phone = phone(&mut e, "contact_phone", &self.contact_phone, false);
        e.finish(|| {
            let (unit_id, scope_path) = unit.unwrap_or_default();
            OpinionFields {
                unit_id,
                scope_path,
                channel,
                received_on: received_on.unwrap_or(today),
                content,
                contact_name,
                contact_phone,
            }
        })
    }
}

/// The answer form.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerForm {
    pub answer: String,
    pub version: String,
    /// Recognises a double click's second answer as the first one's success.
    pub form_token: String,
}

impl AnswerForm {
    pub fn from_opinion(o: &Opinion) -> AnswerForm {
        AnswerForm {
            answer: o.answer.clone(),
            version: o.version.to_string(),
            form_token: crate::web::csrf::random_token(),
        }
    }

    pub fn parse(&self) -> Result<String, FormErrors> {
        let mut e = FormErrors::new();
        let a = required(&mut e, "answer", &self.answer, 2000);
        e.finish(|| a)
    }
}

/// "Turn into an issue in one step".
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct IssueForm {
    pub title: String,
    pub category_id: String,
    pub grid_id: String,
    pub address: String,
    pub form_token: String,
}

/// The issue an opinion becomes, as parsed.
#[derive(Debug, Clone)]
pub struct NewIssue {
    pub title: String,
    pub category_id: i32,
    pub grid_id: i32,
    pub address: String,
}

impl IssueForm {
    /// `cats`: the issue categories; `grids`: the ids of the opinion's unit's grids.
    pub fn parse(&self, cats: &[CategoryRow], grids: &[i32]) -> Result<NewIssue, FormErrors> {
        let mut e = FormErrors::new();
        let title = required(&mut e, "title", &self.title, 100);
        let category_id = minor_category(&mut e, "category_id", &self.category_id, cats);
        let grid_id = self.grid_id.trim().parse::<i32>().unwrap_or(0);
        if !grids.contains(&grid_id) {
            e.add(
                "grid_id",
                if self.grid_id.trim().is_empty() {
                    "form.required"
                } else {
                    "form.invalid_choice"
                },
            );
        }
        let address = optional(&mut e, "address", &self.address, 200);
        e.finish(|| NewIssue {
            title,
            category_id,
            grid_id,
            address,
        })
    }
}

impl VersionedForm for AnswerForm {
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

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn an_opinion_needs_unit_channel_day_and_content() {
        let units = vec![(7, "/1/7/".to_string())];
        let f = OpinionForm {
            unit_id: "8".into(),
            channel: "fax".into(),
            received_on: "2026-13-01".into(),
            contact_phone: "12".into(),
            ..Default::default()
        };
        let e = f.parse(&units, d(2026, 11, 27)).unwrap_err();
        for field in [
            "unit_id",
            "channel",
            "received_on",
            "content",
            "contact_phone",
        ] {
            assert!(e.has(field), "{field}");
        }
        let f = OpinionForm {
            unit_id: "7".into(),
            channel: "box".into(),
            received_on: "2026-11-28".into(),
            content: "x".into(),
            ..Default::default()
        };
        let e = f.parse(&units, d(2026, 11, 27)).unwrap_err();
        assert_eq!(
            e.get("received_on").unwrap().key,
            "party.opinion.received_in_future"
        );
        let ok = OpinionForm {
            received_on: "2026-11-27".into(),
            ..f
        }
        .parse(&units, d(2026, 11, 27))
        .unwrap();
        assert_eq!(ok.scope_path, "/1/7/");
    }
}
