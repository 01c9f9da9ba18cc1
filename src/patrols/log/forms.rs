//! The patrol log form as typed (every field kept on an error) and as parsed. The form has
//! rows: one per key site of the grid (`site_finding_{site id}`, `site_note_{site id}`), and
//! numbered rows of household visits (`visit_{field}_{n}`) and problems (`problem_{field}_{n}`).
//! Blank rows are skipped; "add a row" re-renders the form with one more.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::domain::{Log, Problem, SiteCheck, Visit};
use crate::issues::domain::URGENCIES;
use crate::issues::forms::minor_category;
use crate::issues::models::CategoryRow;
use crate::web::edit::{DraftQuery, VersionedForm, required_date};
use crate::web::forms::{FormErrors, one_of, optional, phone, required};

pub const FINDINGS: [&str; 2] = ["normal", "problem"];
/// Rows a form shows at first, and the most it takes.
pub const VISIT_ROWS: usize = 1;
pub const PROBLEM_ROWS: usize = 1;
pub const MAX_VISITS: usize = 40;
pub const MAX_PROBLEMS: usize = 9;
/// How far back a patrol can be logged.
pub const BACKFILL_DAYS: i64 = 31;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteInput {
    pub finding: String,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VisitInput {
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

impl VisitInput {
    fn is_blank(&self) -> bool {
        [
            &self.address,
            &self.householder,
            &self.phone,
            &self.learned,
            &self.needs,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ProblemInput {
    pub title: String,
    pub category_id: String,
    pub address: String,
    pub description: String,
    pub urgency: String,
}

impl ProblemInput {
    fn is_blank(&self) -> bool {
        [
            &self.title,
            &self.category_id,
            &self.address,
            &self.description,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// The log as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PatrolForm {
    pub grid_id: String,
    pub day: String,
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    /// By key-site id.
    pub sites: BTreeMap<i32, SiteInput>,
    pub visits: Vec<VisitInput>,
    pub problems: Vec<ProblemInput>,
    /// Why a log past its edit window is corrected.
    pub reason: String,
    pub version: String,
    pub form_token: String,
    /// "visit" or "problem": the user asked for one more row (nothing is saved).
    pub more: String,
}

/// A row index and field from `prefix_{field}_{n}`.
fn row_field<'a>(name: &'a str, prefix: &str) -> Option<(&'a str, usize)> {
    let rest = name.strip_prefix(prefix)?;
    let (field, n) = rest.rsplit_once('_')?;
    Some((field, n.parse().ok()?))
}

fn row<T: Default>(rows: &mut Vec<T>, n: usize, max: usize) -> Option<&mut T> {
    if n >= max {
        return None;
    }
    if rows.len() <= n {
        rows.resize_with(n + 1, T::default);
    }
    rows.get_mut(n)
}

impl VersionedForm for PatrolForm {
    fn version(&self) -> &str {
        &self.version
    }

    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

impl PatrolForm {
    /// Reads the form's fields (a multipart body's text parts). Unknown names are ignored.
    pub fn from_fields(fields: &[(String, String)]) -> PatrolForm {
        let mut f = PatrolForm::default();
        for (name, value) in fields {
            let v = value.clone();
            match name.as_str() {
                "grid_id" => f.grid_id = v,
                "day" => f.day = v,
                "started_at" => f.started_at = v,
                "ended_at" => f.ended_at = v,
                "route" => f.route = v,
                "notes" => f.notes = v,
                "reason" => f.reason = v,
                "version" => f.version = v,
                "form_token" => f.form_token = v,
                "more" => f.more = v,
                _ => {
                    if let Some(id) = name.strip_prefix("site_finding_") {
                        if let Ok(id) = id.parse() {
                            f.sites.entry(id).or_default().finding = v;
                        }
                    } else if let Some(id) = name.strip_prefix("site_note_") {
                        if let Ok(id) = id.parse() {
                            f.sites.entry(id).or_default().note = v;
                        }
                    } else if let Some((field, n)) = row_field(name, "visit_") {
                        if let Some(r) = row(&mut f.visits, n, MAX_VISITS) {
                            match field {
                                "address" => r.address = v,
                                "householder" => r.householder = v,
                                "phone" => r.phone = v,
                                "learned" => r.learned = v,
                                "needs" => r.needs = v,
                                _ => {}
                            }
                        }
                    } else if let Some((field, n)) = row_field(name, "problem_")
                        && let Some(r) = row(&mut f.problems, n, MAX_PROBLEMS)
                    {
                        match field {
                            "title" => r.title = v,
                            "category" => r.category_id = v,
                            "address" => r.address = v,
                            "description" => r.description = v,
                            "urgency" => r.urgency = v,
                            _ => {}
                        }
                    }
                }
            }
        }
        f
    }

    /// Pads the rows to what the page shows (the first rows, or one more when asked).
    pub fn pad_rows(&mut self) {
        let want_visits = if self.more == "visit" {
            self.visits.len() + 1
        } else {
            self.visits.len().max(VISIT_ROWS)
        };
        let want_problems = if self.more == "problem" {
            self.problems.len() + 1
        } else {
            self.problems.len().max(PROBLEM_ROWS)
        };
        self.visits
            .resize_with(want_visits.min(MAX_VISITS), VisitInput::default);
        self.problems
            .resize_with(want_problems.min(MAX_PROBLEMS), ProblemInput::default);
        self.more.clear();
    }
}

/// GET /patrols/new?grid=&draft=
#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    pub grid: Option<String>,
    /// Restore what was typed before the session ended.
    #[serde(default)]
    pub draft: Option<String>,
}

impl NewQuery {
    /// The draft part of the query (`web::edit::restored`).
    pub fn draft(&self) -> DraftQuery {
        DraftQuery {
            draft: self.draft.clone(),
        }
    }
}

/// POST /patrols/quick
#[derive(Debug, Default, Deserialize)]
pub struct QuickForm {
    #[serde(default)]
    pub grid_id: String,
    #[serde(default)]
    pub form_token: String,
}

/// What the form is checked against.
pub struct Context<'a> {
    /// The grids this user may log for.
    pub grids: &'a [i32],
    /// The active key sites of the chosen grid (ids).
    pub sites: &'a [i32],
    pub categories: &'a [CategoryRow],
    /// Local date and time now.
    pub today: NaiveDate,
    pub now: NaiveTime,
    /// A correction needs a reason.
    pub correcting: bool,
    /// Editing an existing log: the grid and day stay.
    pub fixed_grid: Option<i32>,
}

/// The messages of a form: its own fields, each site, each visit row, each problem row.
#[derive(Debug, Clone, Default)]
pub struct Errors {
    pub form: FormErrors,
    pub sites: BTreeMap<i32, FormErrors>,
    pub visits: Vec<FormErrors>,
    pub problems: Vec<FormErrors>,
}

impl Errors {
    pub fn is_empty(&self) -> bool {
        self.form.is_empty()
            && self.sites.values().all(FormErrors::is_empty)
            && self.visits.iter().all(FormErrors::is_empty)
            && self.problems.iter().all(FormErrors::is_empty)
    }

    pub fn site(&self, id: i32) -> Option<&FormErrors> {
        self.sites.get(&id)
    }

    pub fn visit(&self, n: usize) -> Option<&FormErrors> {
        self.visits.get(n)
    }

    pub fn problem(&self, n: usize) -> Option<&FormErrors> {
        self.problems.get(n)
    }
}

fn time(e: &mut FormErrors, field: &'static str, raw: &str) -> Option<NaiveTime> {
    let raw = raw.trim();
    if raw.is_empty() {
        e.add(field, "form.required");
        return None;
    }
    match NaiveTime::parse_from_str(raw, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(raw, "%H:%M:%S"))
    {
        Ok(t) => Some(t),
        Err(_) => {
            e.add(field, "patrols.bad_time");
            None
        }
    }
}

impl PatrolForm {
    pub fn parse(&self, cx: &Context) -> Result<Log, Box<Errors>> {
        let mut errors = Errors::default();
        let e = &mut errors.form;
        let grid_id = match cx.fixed_grid {
            Some(g) => g,
            None => match self.grid_id.trim().parse::<i32>() {
                Ok(g) if cx.grids.contains(&g) => g,
                _ if self.grid_id.trim().is_empty() => {
                    e.add("grid_id", "form.required");
                    0
                }
                _ => {
                    e.add("grid_id", "form.invalid_choice");
                    0
                }
            },
        };
        let day = match required_date(e, "day", &self.day) {
            Some(d) if d > cx.today => {
                e.add("day", "patrols.future_day");
                None
            }
            Some(d) if cx.fixed_grid.is_none() && (cx.today - d).num_days() > BACKFILL_DAYS => {
                e.add_args(
                    "day",
                    "patrols.too_old",
                    vec![("days", BACKFILL_DAYS.to_string())],
                );
                None
            }
            day => day,
        };
        let start = time(e, "started_at", &self.started_at);
        let end = time(e, "ended_at", &self.ended_at);
        if let (Some(s), Some(t)) = (start, end) {
            if t <= s {
                e.add("ended_at", "patrols.end_before_start");
            } else if day == Some(cx.today) && t > cx.now + chrono::Duration::minutes(5) {
                e.add("ended_at", "patrols.future_time");
            }
        }
        let route = optional(e, "route", &self.route, 1000);
        let notes = optional(e, "notes", &self.notes, 2000);
        let reason = if cx.correcting {
            required(e, "reason", &self.reason, 500)
        } else {
            String::new()
        };

        let mut sites = Vec::new();
        for (id, s) in &self.sites {
            let mut se = FormErrors::new();
            if !cx.sites.contains(id) {
                // A key site of another grid, or one removed since the page was shown.
                errors.form.add("sites", "patrols.unknown_site");
                continue;
            }
            if s.finding.trim().is_empty() {
                continue;
            }
            let finding = one_of(&mut se, "finding", &s.finding, &FINDINGS).unwrap_or("");
            let note = optional(&mut se, "note", &s.note, 500);
            if finding == "problem" && note.is_empty() {
                se.add("note", "patrols.site_problem_note");
            }
            if se.is_empty() {
                sites.push(SiteCheck {
                    site_id: *id,
                    finding: finding.into(),
                    note,
                });
            } else {
                errors.sites.insert(*id, se);
            }
        }

        let mut visits = Vec::new();
        for v in &self.visits {
            let mut ve = FormErrors::new();
            if !v.is_blank() {
                let visit = Visit {
                    address: required(&mut ve, "address", &v.address, 200),
                    householder: optional(&mut ve, "householder", &v.householder, 50),
                    phone: phone(&mut ve, "phone", &v.phone, false),
                    learned: optional(&mut ve, "learned", &v.learned, 1000),
                    needs: optional(&mut ve, "needs", &v.needs, 1000),
                };
                if ve.is_empty() {
                    visits.push(visit);
                }
            }
            errors.visits.push(ve);
        }

        let mut problems = Vec::new();
        for (row, p) in self.problems.iter().enumerate() {
            let mut pe = FormErrors::new();
            if !p.is_blank() {
                let problem = Problem {
                    row,
                    title: required(&mut pe, "title", &p.title, 100),
                    category_id: minor_category(&mut pe, "category", &p.category_id, cx.categories),
                    address: optional(&mut pe, "address", &p.address, 200),
                    description: optional(&mut pe, "description", &p.description, 5000),
                    urgency: if p.urgency.trim().is_empty() {
                        "normal".into()
                    } else {
                        one_of(&mut pe, "urgency", &p.urgency, &URGENCIES)
                            .unwrap_or("")
                            .into()
                    },
                };
                if pe.is_empty() {
                    problems.push(problem);
                }
            }
            errors.problems.push(pe);
        }

        if !errors.is_empty() {
            return Err(Box::new(errors));
        }
        Ok(Log {
            grid_id,
            day: day.unwrap_or(cx.today),
            started_at: start
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            ended_at: end
                .map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default(),
            route,
            notes,
            sites,
            visits,
            problems,
            reason,
        })
    }
}

#[cfg(test)]
mod tests;
