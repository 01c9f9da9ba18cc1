//! The ledger's query and the project form, as typed and as parsed.

use serde::{Deserialize, Serialize};

use super::domain::{self, CLASSES, LEVELS};
use super::models::{Project, ProjectFields, ProjectUnit};
use crate::web::forms::{FormErrors, int_in, one_of, optional, optional_date, required};
use crate::web::list::ListParams;

/// The ledger's query string.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub level: String,
    pub class: String,
    pub light: String,
    pub q: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("level", &self.level),
            ("class", &self.class),
            ("light", &self.light),
            ("q", &self.q),
        ]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

fn code_of(raw: &str, codes: &[&str]) -> Option<String> {
    codes
        .iter()
        .find(|c| **c == raw.trim())
        .map(|c| c.to_string())
}

impl ListQuery {
    pub fn level(&self) -> Option<String> {
        code_of(&self.level, &LEVELS)
    }
    pub fn class(&self) -> Option<String> {
        code_of(&self.class, &CLASSES)
    }
    pub fn light(&self) -> Option<String> {
        code_of(&self.light, &["green", "yellow", "red"])
    }
    pub fn name(&self) -> Option<String> {
        let n = self.q.trim();
        (!n.is_empty()).then(|| n.chars().take(60).collect())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProjectForm {
    pub unit_id: String,
    pub name: String,
    pub level: String,
    pub class: String,
    pub owner: String,
    pub place: String,
    pub content: String,
    pub total: String,
    pub plan_year: String,
    pub year_plan: String,
    pub planned_start: String,
    pub planned_finish: String,
    pub actual_start: String,
    pub actual_finish: String,
    pub leader: String,
    pub person: String,
    pub version: String,
    pub form_token: String,
}

/// An amount in 万元, required: hundredths, or a message beside the field.
fn amount(e: &mut FormErrors, field: &'static str, raw: &str) -> i64 {
    if raw.trim().is_empty() {
        e.add(field, "form.required");
        return 0;
    }
    domain::parse_wan(raw).unwrap_or_else(|| {
        e.add(field, "projects.bad_amount");
        0
    })
}

impl ProjectForm {
    pub fn from_project(p: &Project) -> ProjectForm {
        let d = |x: &Option<chrono::NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        ProjectForm {
            unit_id: p.unit_id.to_string(),
            name: p.name.clone(),
            level: p.level.clone(),
            class: p.class.clone(),
            owner: p.owner.clone(),
            place: p.place.clone(),
            content: p.content.clone(),
            total: domain::wan(p.total_cents),
            plan_year: p.plan_year.to_string(),
            year_plan: domain::wan(p.year_plan_cents),
            planned_start: d(&p.planned_start),
            planned_finish: d(&p.planned_finish),
            actual_start: d(&p.actual_start),
            actual_finish: d(&p.actual_finish),
            leader: p.leader.clone(),
            person: p.person.clone(),
            version: p.version.to_string(),
            form_token: String::new(),
        }
    }

    /// `units`: the units that may keep a project.
    pub fn parse(&self, units: &[ProjectUnit]) -> Result<ProjectFields, FormErrors> {
        let mut e = FormErrors::new();
        let unit = self
            .unit_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| (u.id, u.path.clone()));
        if unit.is_none() {
            e.add("unit_id", "form.invalid_choice");
        }
        let name = required(&mut e, "name", &self.name, 100);
        let level = one_of(&mut e, "level", &self.level, &LEVELS)
            .unwrap_or("")
            .to_string();
        let class = one_of(&mut e, "class", &self.class, &CLASSES)
            .unwrap_or("")
            .to_string();
        let owner = optional(&mut e, "owner", &self.owner, 100);
        let place = optional(&mut e, "place", &self.place, 100);
        let content = optional(&mut e, "content", &self.content, 2000);
        let total_cents = amount(&mut e, "total", &self.total);
        let plan_year = int_in(&mut e, "plan_year", &self.plan_year, 2000, 2100);
        let year_plan_cents = amount(&mut e, "year_plan", &self.year_plan);
        if year_plan_cents > total_cents && !e.has("total") && !e.has("year_plan") {
            e.add("year_plan", "projects.plan_over_total");
        }
        let planned_start = optional_date(&mut e, "planned_start", &self.planned_start);
        let planned_finish = optional_date(&mut e, "planned_finish", &self.planned_finish);
        let actual_start = optional_date(&mut e, "actual_start", &self.actual_start);
        let actual_finish = optional_date(&mut e, "actual_finish", &self.actual_finish);
        if let (Some(s), Some(f)) = (planned_start, planned_finish)
            && f < s
        {
            e.add("planned_finish", "projects.finish_before_start");
        }
        if let (Some(s), Some(f)) = (actual_start, actual_finish)
            && f < s
        {
            e.add("actual_finish", "projects.finish_before_start");
        }
        if actual_finish.is_some() && actual_start.is_none() && !e.has("actual_start") {
            e.add("actual_start", "projects.finish_without_start");
        }
        let leader = optional(&mut e, "leader", &self.leader, 30);
        let person = optional(&mut e, "person", &self.person, 30);
        let (unit_id, scope_path) = unit.unwrap_or_default();
        e.finish(|| ProjectFields {
            unit_id,
            scope_path,
            name,
            level,
            class,
            owner,
            place,
            content,
            total_cents,
            plan_year,
            year_plan_cents,
            planned_start,
            planned_finish,
            actual_start,
            actual_finish,
            leader,
            person,
        })
    }
}

/// The labelled values of a project form, for the stale-edit table and the audit log.
pub fn labelled(f: &ProjectForm) -> Vec<(&'static str, String)> {
    let t = |s: &str| s.trim().to_string();
    vec![
        ("projects.name", t(&f.name)),
        ("projects.level", t(&f.level)),
        ("projects.class", t(&f.class)),
        ("projects.unit", t(&f.unit_id)),
        ("projects.owner", t(&f.owner)),
        ("projects.place", t(&f.place)),
        ("projects.content", t(&f.content)),
        ("projects.total", t(&f.total)),
        ("projects.plan_year", t(&f.plan_year)),
        ("projects.year_plan", t(&f.year_plan)),
        ("projects.planned_start", t(&f.planned_start)),
        ("projects.planned_finish", t(&f.planned_finish)),
        ("projects.actual_start", t(&f.actual_start)),
        ("projects.actual_finish", t(&f.actual_finish)),
        ("projects.leader", t(&f.leader)),
        ("projects.person", t(&f.person)),
    ]
}

crate::edit_form!(ProjectForm);
