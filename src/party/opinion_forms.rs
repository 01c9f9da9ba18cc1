//! The opinion box's forms as typed and as parsed, and its rules: who enters and answers
//! opinions, who reads the resident's contact in full.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::opinion_models::{Opinion, OpinionFields};
use crate::auth::{CurrentUser, Role};
use crate::web::forms::{FormErrors, one_of, optional, phone, required};

/// How an opinion reached the branch (codes in `party_opinions.channel`).
pub const CHANNELS: [&str; 5] = ["box", "visit", "phone", "meeting", "online"];

/// An opinion's states: open, answered, turned into an issue.
pub const STATES: [&str; 3] = ["open", "answered", "issue"];

/// Clerks, leaders and admins enter and answer opinions of units in their scope; a branch
/// secretary those of their own unit.
pub fn may_enter(user: &CurrentUser, scope_path: &str) -> bool {
    match user.role {
        Role::Clerk | Role::Leader | Role::Admin => user.sees(scope_path),
        Role::BranchSecretary => scope_path == user.org_path,
        Role::GridWorker => false,
    }
}

/// The resident's contact in full: clerks, leaders and admins in scope; others see it masked.
pub fn sees_contact(user: &CurrentUser, scope_path: &str) -> bool {
    user.role.is_office_staff() && user.sees(scope_path)
}

/// A name masked for those who may not read it: its first character, then one star per
/// character hidden.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count())),
        None => String::new(),
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
        let received_on = match self.received_on.trim() {
            "" => {
                e.add("received_on", "form.required");
                None
            }
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d > today => {
                    e.add("received_on", "party.opinion.received_in_future");
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("received_on", "form.date_invalid");
                    None
                }
            },
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
}

impl AnswerForm {
    pub fn from_opinion(o: &Opinion) -> AnswerForm {
        AnswerForm {
            answer: o.answer.clone(),
            version: o.version.to_string(),
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

/// The issue's title proposed from the opinion's content: its first line, at most 30 characters.
pub fn title_of(content: &str) -> String {
    content
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(30)
        .collect()
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

    #[test]
    fn names_are_masked_after_their_first_character() {
        assert_eq!(mask_name("王建华"), "王**");
        assert_eq!(mask_name(""), "");
        assert_eq!(title_of("\n  楼道堆物\n第二行"), "楼道堆物");
    }
}
