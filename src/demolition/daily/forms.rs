//! The daily report's query (the day) and a group's submission.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::demolition::models::Group;
use crate::web::edit::required_date;
use crate::web::forms::{FormErrors, optional};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DayQuery {
    pub date: String,
}

impl DayQuery {
    /// The day asked for; today when none or a garbled one is given.
    pub fn day(&self, today: NaiveDate) -> NaiveDate {
        NaiveDate::parse_from_str(self.date.trim(), "%Y-%m-%d").unwrap_or(today)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SubmitForm {
    pub group_id: String,
    pub date: String,
    pub difficulties: String,
    pub form_token: String,
}

/// A parsed submission.
#[derive(Debug, Clone)]
pub struct Submission {
    pub group_id: i32,
    pub day: NaiveDate,
    pub difficulties: String,
}

impl SubmitForm {
    /// The group among the command's; the day within the command's days up to today.
    pub fn parse(
        &self,
        groups: &[Group],
        start: NaiveDate,
        today: NaiveDate,
    ) -> Result<Submission, FormErrors> {
        let mut e = FormErrors::new();
        let group = groups
            .iter()
            .find(|g| g.id.to_string() == self.group_id.trim());
        if group.is_none() {
            e.add("group_id", "form.required");
        }
        let day = required_date(&mut e, "date", &self.date);
        if day.is_some_and(|d| d > today) {
            e.add("date", "form.date_future");
        } else if day.is_some_and(|d| d < start) {
            e.add("date", "demolition.before_start");
        }
        let difficulties = optional(&mut e, "difficulties", &self.difficulties, 1000);
        e.finish(|| Submission {
            group_id: group.map(|g| g.id).unwrap_or_default(),
            day: day.unwrap_or_default(),
            difficulties,
        })
    }
}
