//! An agenda item's decision as typed and as parsed (discussion, solution, responsible,
//! deadline, and once finalized the reason for a correction), and a free topic's issue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::issues::workflow::Target;
use crate::web::edit::VersionedForm;
use crate::web::forms::{FormErrors, optional, optional_date, required};

/// An agenda item's decision as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    pub discussion: String,
    pub solution: String,
    /// "", "user", "unit" or "party".
    pub target_kind: String,
    pub target_user: String,
    pub target_unit: String,
    pub target_party: String,
    pub deadline: String,
    pub reason: String,
    pub version: String,
}

/// A decision, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct DecisionInput {
    pub discussion: String,
    pub solution: String,
    pub target: Option<Target>,
    pub deadline: Option<NaiveDate>,
    pub reason: String,
}

impl VersionedForm for DecisionForm {
    fn version(&self) -> &str {
        &self.version
    }

    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

impl DecisionForm {
    /// `day`: the meeting's day (a deadline cannot be before it).
    pub fn parse(&self, day: NaiveDate, correcting: bool) -> Result<DecisionInput, FormErrors> {
        let mut e = FormErrors::new();
        let discussion = optional(&mut e, "discussion", &self.discussion, 5000);
        let solution = optional(&mut e, "solution", &self.solution, 2000);
        let target = match self.target_kind.trim() {
            "" => None,
            "user" => self.target_user.trim().parse().ok().map(Target::User),
            "unit" => self.target_unit.trim().parse().ok().map(Target::Unit),
            "party" => {
                let name = required(&mut e, "target_party", &self.target_party, 100);
                Some(Target::Party(name))
            }
            _ => None,
        };
        if !self.target_kind.trim().is_empty() && target.is_none() && !e.has("target_party") {
            e.add("target_kind", "issues.choose_target");
        }
        let deadline = match optional_date(&mut e, "deadline", &self.deadline) {
            Some(d) if d < day => {
                e.add("deadline", "meetings.deadline_before_meeting");
                None
            }
            Some(d) if (d - day).num_days() > 366 => {
                e.add("deadline", "meetings.deadline_too_far");
                None
            }
            d => d,
        };
        if (target.is_some() || deadline.is_some()) && solution.is_empty() && !e.has("solution") {
            e.add("solution", "meetings.solution_needed");
        }
        let reason = if correcting {
            required(&mut e, "reason", &self.reason, 500)
        } else {
            String::new()
        };
        e.finish(|| DecisionInput {
            discussion,
            solution,
            target,
            deadline,
            reason,
        })
    }
}

/// A free topic turned into an issue: category, grid, and the description.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TopicIssueForm {
    pub title: String,
    pub category_id: String,
    pub grid_id: String,
    pub address: String,
    pub description: String,
    pub form_token: String,
}

/// A free topic's issue, parsed.
#[derive(Debug, Clone)]
pub struct TopicIssue {
    pub title: String,
    pub category_id: i32,
    pub grid_id: i32,
    pub address: String,
    pub description: String,
}

impl TopicIssueForm {
    /// `cats`: the categories (a minor one is due); `grids`: the grids of the meeting's unit.
    pub fn parse(
        &self,
        cats: &[crate::issues::models::CategoryRow],
        grids: &[i32],
    ) -> Result<TopicIssue, FormErrors> {
        let mut e = FormErrors::new();
        let title = required(&mut e, "title", &self.title, 100);
        let category_id =
            crate::issues::forms::minor_category(&mut e, "category_id", &self.category_id, cats);
        let grid_id = self.grid_id.trim().parse::<i32>().unwrap_or(0);
        if !grids.contains(&grid_id) {
            e.add("grid_id", "form.invalid_choice");
        }
        let address = optional(&mut e, "address", &self.address, 200);
        let description = optional(&mut e, "description", &self.description, 2000);
        e.finish(|| TopicIssue {
            title,
            category_id,
            grid_id,
            address,
            description,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn decisions_need_a_solution_and_a_sane_deadline() {
        let day = today();
        let f = DecisionForm {
            target_kind: "party".into(),
            target_party: "区城管局".into(),
            deadline: "2026-11-20".into(),
            ..Default::default()
        };
        let e = f.parse(day, false).unwrap_err();
        assert!(e.has("solution"));
        assert!(e.has("deadline"));
        let ok = DecisionForm {
            solution: "联系物业三日内清理".into(),
            target_kind: "unit".into(),
            target_unit: "12".into(),
            deadline: "2026-12-01".into(),
            ..Default::default()
        };
        let d = ok.parse(day, false).unwrap();
        assert_eq!(d.target, Some(Target::Unit(12)));
        assert_eq!(d.deadline, NaiveDate::from_ymd_opt(2026, 12, 1));
        // Discussion only: fine, no decision yet.
        let talk = DecisionForm {
            discussion: "物业表示需要业委会同意".into(),
            ..Default::default()
        };
        assert!(talk.parse(day, false).is_ok());
    }
}
