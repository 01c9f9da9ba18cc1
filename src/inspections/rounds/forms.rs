//! The round list's query and the round form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{Inspector, Loaded, RoundFields};
use crate::inspections::domain::{self, ChecklistItem, MODES};
use crate::web::edit;
use crate::web::forms::{FormErrors, one_of, optional, required};
use crate::web::list::ListParams;

/// The round list's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub mode: String,
    pub from: String,
    pub to: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![("mode", &self.mode), ("from", &self.from), ("to", &self.to)]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ListQuery {
    /// The mode asked for, if it is one.
    pub fn mode(&self) -> Option<String> {
        MODES
            .iter()
            .find(|m| **m == self.mode.trim())
            .map(|m| m.to_string())
    }
}

/// A unit a round may inspect: under the planner's own unit.
#[derive(Debug, Clone)]
pub struct OfferedUnit {
    pub id: i32,
    pub name: String,
    pub depth: i32,
}

/// What the round form offers: the units under the planner's unit, the staff who may inspect.
#[derive(Debug, Clone, Default)]
pub struct FormData {
    pub units: Vec<OfferedUnit>,
    pub inspectors: Vec<Inspector>,
}

/// The round form as typed (units and inspectors ticked: one field each, repeated, so it is
/// read from the posted pairs).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(from = "Vec<(String, String)>")]
pub struct RoundForm {
    pub title: String,
    pub mode: String,
    pub planned_from: String,
    pub planned_to: String,
    pub items: String,
    pub units: Vec<String>,
    pub inspectors: Vec<String>,
    pub notes: String,
    pub version: String,
    pub form_token: String,
}

fn all(pairs: &[(String, String)], k: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(n, _)| n == k)
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn one(pairs: &[(String, String)], k: &str) -> String {
    pairs
        .iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

impl From<Vec<(String, String)>> for RoundForm {
    fn from(pairs: Vec<(String, String)>) -> RoundForm {
        RoundForm::from_pairs(&pairs)
    }
}

impl RoundForm {
    pub fn from_pairs(p: &[(String, String)]) -> RoundForm {
        RoundForm {
            title: one(p, "title"),
            mode: one(p, "mode"),
            planned_from: one(p, "planned_from"),
            planned_to: one(p, "planned_to"),
            items: one(p, "items"),
            units: all(p, "unit"),
            inspectors: all(p, "inspector"),
            notes: one(p, "notes"),
            version: one(p, "version"),
            form_token: one(p, "form_token"),
        }
    }

    pub fn from_loaded(l: &Loaded) -> RoundForm {
        let r = &l.round;
        let items: Vec<ChecklistItem> = l
            .items
            .iter()
            .map(|i| ChecklistItem {
                item: i.item.clone(),
                standard: i.standard.clone(),
            })
            .collect();
        RoundForm {
            title: r.title.clone(),
            mode: r.mode.clone(),
            planned_from: r.planned_from.to_string(),
            planned_to: r.planned_to.to_string(),
            items: domain::checklist_text(&items),
            units: l.units.iter().map(|u| u.unit_id.to_string()).collect(),
            inspectors: l.inspectors.iter().map(|i| i.user_id.to_string()).collect(),
            notes: r.notes.clone(),
            version: r.version.to_string(),
            form_token: String::new(),
        }
    }

    pub fn has_unit(&self, id: &i32) -> bool {
        self.units.iter().any(|u| *u == id.to_string())
    }

    pub fn has_inspector(&self, id: &i32) -> bool {
        self.inspectors.iter().any(|u| *u == id.to_string())
    }

    /// Parsed against what the form offered; `(unit_id, scope_path)` is the planner's unit.
    pub fn parse(&self, d: &FormData, planner: (i32, &str)) -> Result<RoundFields, FormErrors> {
        let mut e = FormErrors::new();
        let title = required(&mut e, "title", &self.title, 100);
        let mode = one_of(&mut e, "mode", &self.mode, &MODES)
            .unwrap_or("")
            .to_string();
        let from = edit::required_date(&mut e, "planned_from", &self.planned_from);
        let to = edit::required_date(&mut e, "planned_to", &self.planned_to);
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("planned_to", "form.to_before_from");
        }
        let items = domain::parse_checklist(&self.items).unwrap_or_else(|err| {
            e.add("items", err.key());
            Vec::new()
        });
        let mut unit_ids = Vec::new();
        for raw in &self.units {
            match raw
                .parse::<i32>()
                .ok()
                .filter(|id| d.units.iter().any(|u| u.id == *id))
            {
                Some(id) if !unit_ids.contains(&id) => unit_ids.push(id),
                Some(_) => {}
                None => e.add("units", "form.invalid_choice"),
            }
        }
        if self.units.is_empty() {
            e.add("units", "inspect.units_required");
        }
        let mut inspectors: Vec<Inspector> = Vec::new();
        for raw in &self.inspectors {
            let found = raw
                .parse::<i32>()
                .ok()
                .and_then(|id| d.inspectors.iter().find(|i| i.user_id == id));
            match found {
                Some(i) if !inspectors.contains(i) => inspectors.push(i.clone()),
                Some(_) => {}
                None => e.add("inspectors", "form.invalid_choice"),
            }
        }
        if self.inspectors.is_empty() {
            e.add("inspectors", "inspect.inspectors_required");
        }
        let notes = optional(&mut e, "notes", &self.notes, 2000);
        let day = NaiveDate::default();
        e.finish(|| RoundFields {
            unit_id: planner.0,
            scope_path: planner.1.to_string(),
            title,
            mode,
            planned_from: from.unwrap_or(day),
            planned_to: to.unwrap_or(day),
            notes,
            unit_ids,
            items,
            inspectors,
        })
    }
}

/// The labelled values of a round form, for the stale-edit table and the audit log: the units
/// and inspectors by name.
pub fn labelled(f: &RoundForm, d: &FormData) -> Vec<(&'static str, String)> {
    let units: Vec<&str> = d
        .units
        .iter()
        .filter(|u| f.has_unit(&u.id))
        .map(|u| u.name.as_str())
        .collect();
    let inspectors: Vec<&str> = d
        .inspectors
        .iter()
        .filter(|i| f.has_inspector(&i.user_id))
        .map(|i| i.name.as_str())
        .collect();
    vec![
        ("inspect.round_title", f.title.trim().to_string()),
        ("inspect.mode", f.mode.trim().to_string()),
        ("inspect.planned_from", f.planned_from.trim().to_string()),
        ("inspect.planned_to", f.planned_to.trim().to_string()),
        ("inspect.items", f.items.trim().to_string()),
        ("inspect.units", units.join("、")),
        ("inspect.inspectors", inspectors.join("、")),
        ("inspect.notes", f.notes.trim().to_string()),
    ]
}

crate::edit_form!(RoundForm);

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> FormData {
        FormData {
            units: vec![OfferedUnit {
                id: 7,
                name: "工人路社区第1网格".into(),
                depth: 4,
            }],
            inspectors: vec![Inspector {
                user_id: 3,
                name: "王督查".into(),
            }],
        }
    }

    fn pairs(f: &[(&str, &str)]) -> Vec<(String, String)> {
        f.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_posted_pairs_read_as_the_form_with_every_tick() {
        let body = "title=x&unit=7&unit=8&inspector=3&version=2&form_token=t";
        let f: RoundForm = serde_urlencoded::from_str(body).unwrap();
        assert_eq!((f.units.len(), f.inspectors.len()), (2, 1));
        assert_eq!((f.version.as_str(), f.form_token.as_str()), ("2", "t"));
    }

    #[test]
    fn a_round_needs_units_of_the_offer_and_an_end_after_its_start() {
        let f = RoundForm::from_pairs(&pairs(&[
            ("title", "十二月暗访"),
            ("mode", "covert"),
            ("planned_from", "2026-12-10"),
            ("planned_to", "2026-12-01"),
            ("items", "门头牌匾 | 无破损"),
            ("unit", "8"),
            ("inspector", "3"),
        ]));
        let e = f.parse(&data(), (2, "/1/2/")).unwrap_err();
        assert!(e.has("planned_to") && e.has("units"));
        assert!(!e.has("inspectors") && !e.has("items"));
        let ok = RoundForm {
            planned_to: "2026-12-12".into(),
            units: vec!["7".into(), "7".into()],
            ..f
        };
        let r = ok.parse(&data(), (2, "/1/2/")).unwrap();
        assert_eq!(r.unit_ids, vec![7]);
        assert_eq!(r.inspectors[0].name, "王督查");
        assert_eq!(r.items.len(), 1);
    }
}
