//! The inspection form as typed (a result per checklist item, `result_<item id>`; one finding,
//! optional) and as parsed.

use chrono::NaiveDate;
use serde::Serialize;

use super::models::{NewFinding, NewVisit};
use crate::inspections::domain::{RESULTS, SEVERITIES};
use crate::inspections::rounds::models::Loaded;
use crate::issues::models::CategoryRow;
use crate::web::edit;
use crate::web::forms::{FormErrors, one_of, required};

#[derive(Debug, Clone, Default, Serialize)]
pub struct VisitForm {
    pub unit: String,
    pub day: String,
    /// (item id as typed, result)
    pub results: Vec<(String, String)>,
    pub description: String,
    pub place: String,
    pub category: String,
    pub severity: String,
    pub fixed_on_spot: String,
    pub form_token: String,
}

fn one(p: &[(String, String)], k: &str) -> String {
    p.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

impl VisitForm {
    pub fn from_pairs(p: &[(String, String)]) -> VisitForm {
        VisitForm {
            unit: one(p, "unit"),
            day: one(p, "day"),
            results: p
                .iter()
                .filter_map(|(k, v)| Some((k.strip_prefix("result_")?.to_string(), v.clone())))
                .collect(),
            description: one(p, "description"),
            place: one(p, "place"),
            category: one(p, "category"),
            severity: one(p, "severity"),
            fixed_on_spot: one(p, "fixed_on_spot"),
            form_token: one(p, "form_token"),
        }
    }

    /// The result typed for an item ("" when none).
    pub fn result(&self, item: i32) -> &str {
        self.results
            .iter()
            .find(|(i, _)| *i == item.to_string())
            .map_or("", |(_, r)| r.as_str())
    }

    /// Parsed against the round (its units and checklist) and the categories; `today`: an
    /// inspection is recorded on or after its day.
    pub fn parse(
        &self,
        l: &Loaded,
        cats: &[CategoryRow],
        today: NaiveDate,
    ) -> Result<NewVisit, FormErrors> {
        let mut e = FormErrors::new();
        let unit = self
            .unit
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| l.units.iter().find(|u| u.unit_id == id));
        if unit.is_none() {
            e.add(
                "unit",
                if self.unit.trim().is_empty() {
                    "form.required"
                } else {
                    "form.invalid_choice"
                },
            );
        }
        let day = edit::past_or_today(&mut e, "day", &self.day, today);
        let mut results = Vec::new();
        for item in &l.items {
            match RESULTS.iter().find(|r| **r == self.result(item.id).trim()) {
                Some(r) => results.push((item.id, r.to_string())),
                None => e.add("results", "inspect.results_required"),
            }
        }
        let described = !self.description.trim().is_empty();
        let finding = if described {
            let description = required(&mut e, "description", &self.description, 1000);
            let place = required(&mut e, "place", &self.place, 200);
            let category_id =
                crate::issues::forms::minor_category(&mut e, "category", &self.category, cats);
            let severity = one_of(&mut e, "severity", &self.severity, &SEVERITIES)
                .unwrap_or("")
                .to_string();
            Some(NewFinding {
                description,
                place,
                category_id,
                severity,
                fixed_on_spot: matches!(self.fixed_on_spot.trim(), "on" | "1" | "true"),
            })
        } else {
            None
        };
        if !described && results.iter().any(|(_, r)| r == "fail") {
            e.add("description", "inspect.fail_needs_finding");
        }
        let (unit_id, unit_path, unit_name) = unit
            .map(|u| (u.unit_id, u.unit_path.clone(), u.unit_name.clone()))
            .unwrap_or_default();
        e.finish(|| NewVisit {
            unit_id,
            unit_path,
            unit_name,
            day: day.unwrap_or(today),
            results,
            finding,
        })
    }
}
