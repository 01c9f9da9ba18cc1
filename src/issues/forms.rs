//! The report form, the step (action) form and the list's query, as typed and as parsed.

use serde::{Deserialize, Serialize};

use super::domain::{Action, SOURCES, URGENCIES};
use super::models::{CategoryRow, Filter, Todo};
use super::workflow::{ActionInput, Report, Target};
use crate::web::edit::VersionedForm;
use crate::web::forms::{FormErrors, one_of, optional, required};
use crate::web::list::{self, ListParams};

/// The report form as typed: everything comes back on an error.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub title: String,
    pub description: String,
    pub category_id: String,
    pub source: String,
    pub grid_id: String,
    pub address: String,
    pub people: String,
    pub urgency: String,
    pub form_token: String,
}

impl ReportForm {
    pub fn parse(&self, categories: &[CategoryRow], grids: &[i32]) -> Result<Report, FormErrors> {
        let mut e = FormErrors::new();
        let title = required(&mut e, "title", &self.title, 100);
        let description = optional(&mut e, "description", &self.description, 5000);
        let address = optional(&mut e, "address", &self.address, 200);
        let people = optional(&mut e, "people", &self.people, 500);
        let category_id = minor_category(&mut e, "category_id", &self.category_id, categories);
        let source = one_of(&mut e, "source", &self.source, &SOURCES).unwrap_or("");
        let urgency = one_of(&mut e, "urgency", &self.urgency, &URGENCIES).unwrap_or("");
        let grid_id = match self.grid_id.trim().parse::<i32>() {
            Ok(g) if grids.contains(&g) => g,
            _ if self.grid_id.trim().is_empty() => {
                e.add("grid_id", "form.required");
                0
            }
            _ => {
                e.add("grid_id", "form.invalid_choice");
                0
            }
        };
        e.finish(|| Report {
            title,
            description,
            category_id,
            source: source.into(),
            grid_id,
            address,
            people,
            urgency: urgency.into(),
        })
    }
}

/// An active minor category (the leaves of the taxonomy) under an active major; majors are
/// headings only.
pub fn minor_category(
    e: &mut FormErrors,
    field: &'static str,
    raw: &str,
    categories: &[CategoryRow],
) -> i32 {
    let offered = |c: &CategoryRow| match c.parent_id {
        Some(major) => c.active && categories.iter().any(|m| m.id == major && m.active),
        None => false,
    };
    match raw.trim().parse::<i32>() {
        Ok(id) if categories.iter().any(|c| c.id == id && offered(c)) => id,
        _ if raw.trim().is_empty() => {
            e.add(field, "form.required");
            0
        }
        _ => {
            e.add(field, "issues.unknown_category");
            0
        }
    }
}

/// The report form's query: `?draft=1` brings back what was typed before a session ended,
/// `?grid=` preselects a grid (links from a grid's page).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewQuery {
    pub draft: Option<String>,
    pub grid: Option<String>,
}

/// An action form as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub action: String,
    pub version: String,
    /// The state the user saw, to show beside the current one when someone acted first.
    pub seen_state: String,
    pub note: String,
    pub category_id: String,
    pub target_kind: String,
    pub target_user: String,
    pub target_unit: String,
    pub target_party: String,
    pub days: String,
    /// A double click sends the step twice; the second is recognised by this and shown as the
    /// success it was (`idempotency::once`).
    pub form_token: String,
}

impl VersionedForm for ActionForm {
    fn version(&self) -> &str {
        &self.version
    }

    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

impl ActionForm {
    pub fn parse(&self, categories: &[CategoryRow]) -> Result<(Action, ActionInput), FormErrors> {
        let mut e = FormErrors::new();
        let Some(action) = Action::parse(&self.action) else {
            e.add("action", "form.invalid_choice");
            return Err(e);
        };
        let note = if action.needs_note() {
            required(&mut e, "note", &self.note, 2000)
        } else {
            optional(&mut e, "note", &self.note, 2000)
        };
        let mut input = ActionInput {
            note,
            ..Default::default()
        };
        match action {
            Action::Register if !self.category_id.trim().is_empty() => {
                input.category_id = Some(minor_category(
                    &mut e,
                    "category_id",
                    &self.category_id,
                    categories,
                ));
            }
            Action::Dispatch => {
                input.target = match self.target_kind.as_str() {
                    "user" => self.target_user.trim().parse().ok().map(Target::User),
                    "unit" => self.target_unit.trim().parse().ok().map(Target::Unit),
                    "party" => {
                        let name = required(&mut e, "target_party", &self.target_party, 100);
                        Some(Target::Party(name))
                    }
                    _ => None,
                };
                if input.target.is_none() && !e.has("target_party") {
                    e.add("target_kind", "issues.choose_target");
                }
            }
            Action::RequestExtension => {
                input.days = crate::web::forms::int_in(&mut e, "days", &self.days, 1, 30);
            }
            _ => {}
        }
        e.finish(|| (action, input))
    }
}

/// The list's query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub state: String,
    pub category: String,
    pub unit: String,
    pub source: String,
    pub overdue: String,
    /// "1": 督办中 only.
    pub urged: String,
    pub from: String,
    pub to: String,
    pub q: String,
    pub todo: String,
    pub sort: String,
    pub page: Option<String>,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("state", &self.state),
            ("category", &self.category),
            ("unit", &self.unit),
            ("source", &self.source),
            ("overdue", &self.overdue),
            ("urged", &self.urged),
            ("from", &self.from),
            ("to", &self.to),
            ("q", &self.q),
            ("todo", &self.todo),
            ("sort", &self.sort),
        ]
    }

    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

impl ListQuery {
    /// The filter, with the unit's path resolved by the caller. A bad date is a message beside
    /// its field (the list kit's period) and that end stays open; other unknown values are
    /// ignored (a list link is not a form: it shows what it can).
    pub fn filter(
        &self,
        categories: &[CategoryRow],
        tz: chrono_tz::Tz,
        errors: &mut FormErrors,
    ) -> Filter {
        let category_ids = match self.category.trim().parse::<i32>() {
            Ok(id) => {
                // A major category stands for its minors.
                let mut ids: Vec<i32> = categories
                    .iter()
                    .filter(|c| c.parent_id == Some(id))
                    .map(|c| c.id)
                    .collect();
                ids.push(id);
                ids
            }
            Err(_) => Vec::new(),
        };
        let period = list::period(errors, &self.from, &self.to);
        let (from, to) = crate::audit::AuditFilter::from_dates(period.from, period.to, tz);
        Filter {
            state: match self.state.as_str() {
                super::domain::OPEN => super::domain::OPEN.to_string(),
                s => super::domain::State::parse(s)
                    .map(|s| s.code().to_string())
                    .unwrap_or_default(),
            },
            category_ids,
            unit_path: None,
            source: SOURCES
                .iter()
                .find(|s| **s == self.source)
                .map(|s| s.to_string())
                .unwrap_or_default(),
            overdue: self.overdue == "1",
            urged: self.urged == "1",
            from,
            to,
            q: self.q.trim().chars().take(50).collect(),
            todo: Todo::parse(&self.todo),
            sort: self.sort_key().to_string(),
        }
    }

    /// The order asked for; the overdue view's default (newest, or none chosen) is the most late
    /// first, which is the earliest deadline first.
    pub fn sort_key(&self) -> &str {
        match self.sort.as_str() {
            "" | "newest" if self.overdue == "1" => "deadline",
            s => s,
        }
    }
}
