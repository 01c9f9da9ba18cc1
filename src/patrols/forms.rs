//! The patrol log form as typed (every field kept on an error) and as parsed. The form has
//! rows: one per key site of the grid (`site_finding_{site id}`, `site_note_{site id}`), and
//! numbered rows of household visits (`visit_{field}_{n}`) and problems (`problem_{field}_{n}`).
//! Blank rows are skipped; "add a row" re-renders the form with one more.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use crate::issues::domain::URGENCIES;
use crate::issues::forms::minor_category;
use crate::issues::models::CategoryRow;
use crate::web::forms::{FormErrors, one_of, optional, phone, required};

pub const FINDINGS: [&str; 2] = ["normal", "problem"];
/// Rows a form shows at first, and the most it takes.
pub const VISIT_ROWS: usize = 2;
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

#[derive(Debug, Clone, Serialize)]
pub struct SiteCheck {
    pub site_id: i32,
    pub finding: String,
    pub note: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Visit {
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

impl Visit {
    /// The household a visit counts for: the address with its spaces removed, so "3号楼 2单元"
    /// and "3号楼2单元" are one household.
    pub fn household(&self) -> String {
        self.address.split_whitespace().collect()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// Its row on the form (for its photos).
    pub row: usize,
    pub title: String,
    pub category_id: i32,
    pub address: String,
    pub description: String,
    pub urgency: String,
}

/// A checked log.
#[derive(Debug, Clone, Serialize)]
pub struct Log {
    pub grid_id: i32,
    pub day: NaiveDate,
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    pub sites: Vec<SiteCheck>,
    pub visits: Vec<Visit>,
    pub problems: Vec<Problem>,
    pub reason: String,
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
        let day = match NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d") {
            Ok(d) if d > cx.today => {
                e.add("day", "patrols.future_day");
                None
            }
            Ok(d) if cx.fixed_grid.is_none() && (cx.today - d).num_days() > BACKFILL_DAYS => {
                e.add_args(
                    "day",
                    "patrols.too_old",
                    vec![("days", BACKFILL_DAYS.to_string())],
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) if self.day.trim().is_empty() => {
                e.add("day", "form.required");
                None
            }
            Err(_) => {
                e.add("day", "form.date_invalid");
                None
            }
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

/// The list's query as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub worker: String,
    pub from: String,
    pub to: String,
    /// "problems": logs that reported problems; "quick": one-click "nothing to report" logs.
    pub kind: String,
    pub page: Option<String>,
}

impl ListQuery {
    /// The query string without the page (for the pager and the export link).
    pub fn base(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("unit", &self.unit),
            ("worker", &self.worker),
            ("from", &self.from),
            ("to", &self.to),
            ("kind", &self.kind),
        ] {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", crate::web::urlencode(v.trim())));
            }
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cats() -> Vec<CategoryRow> {
        vec![
            CategoryRow {
                id: 1,
                parent_id: None,
                name: "环境".into(),
                limit_value: 0,
                limit_unit: "day".into(),
                active: true,
            },
            CategoryRow {
                id: 101,
                parent_id: Some(1),
                name: "垃圾".into(),
                limit_value: 3,
                limit_unit: "day".into(),
                active: true,
            },
        ]
    }

    fn cx<'a>(cats: &'a [CategoryRow]) -> Context<'a> {
        Context {
            grids: &[7],
            sites: &[3, 4],
            categories: cats,
            today: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            now: NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
            correcting: false,
            fixed_grid: None,
        }
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("grid_id", "7"),
            ("day", "2026-11-27"),
            ("started_at", "08:30"),
            ("ended_at", "11:00"),
        ]
    }

    #[test]
    fn rows_are_read_and_blank_rows_skipped() {
        let mut p = base();
        p.extend([
            ("site_finding_3", "normal"),
            ("site_finding_4", ""),
            ("visit_address_0", "3号楼 2单元 301"),
            ("visit_householder_0", "王秀英"),
            ("visit_address_1", ""),
            ("problem_title_0", "垃圾堆放"),
            ("problem_category_0", "101"),
        ]);
        let f = PatrolForm::from_fields(&fields(&p));
        let cats = cats();
        let log = f.parse(&cx(&cats)).unwrap();
        assert_eq!(log.sites.len(), 1);
        assert_eq!(log.visits.len(), 1);
        assert_eq!(log.visits[0].household(), "3号楼2单元301");
        assert_eq!(log.problems.len(), 1);
        assert_eq!(log.problems[0].urgency, "normal");
    }

    #[test]
    fn impossible_times_and_days() {
        let cats = cats();
        let mut p = base();
        p[3] = ("ended_at", "08:00");
        let e = PatrolForm::from_fields(&fields(&p))
            .parse(&cx(&cats))
            .unwrap_err();
        assert_eq!(
            e.form.get("ended_at").unwrap().key,
            "patrols.end_before_start"
        );

        let mut p = base();
        p[2] = ("started_at", "15:30");
        p[3] = ("ended_at", "17:00");
        let e = PatrolForm::from_fields(&fields(&p))
            .parse(&cx(&cats))
            .unwrap_err();
        assert_eq!(e.form.get("ended_at").unwrap().key, "patrols.future_time");

        let mut p = base();
        p[1] = ("day", "2026-11-28");
        let e = PatrolForm::from_fields(&fields(&p))
            .parse(&cx(&cats))
            .unwrap_err();
        assert_eq!(e.form.get("day").unwrap().key, "patrols.future_day");

        let mut p = base();
        p[1] = ("day", "2026-10-01");
        let e = PatrolForm::from_fields(&fields(&p))
            .parse(&cx(&cats))
            .unwrap_err();
        assert_eq!(e.form.get("day").unwrap().key, "patrols.too_old");
    }

    #[test]
    fn unknown_sites_and_bad_rows() {
        let cats = cats();
        let mut p = base();
        p.extend([
            ("site_finding_99", "normal"),
            ("site_finding_3", "problem"),
            ("visit_householder_0", "李"),
            ("visit_phone_0", "12"),
            ("problem_title_0", "x"),
            ("problem_category_0", "1"),
        ]);
        let e = PatrolForm::from_fields(&fields(&p))
            .parse(&cx(&cats))
            .unwrap_err();
        assert_eq!(e.form.get("sites").unwrap().key, "patrols.unknown_site");
        assert_eq!(
            e.site(3).unwrap().get("note").unwrap().key,
            "patrols.site_problem_note"
        );
        assert!(e.visit(0).unwrap().has("address") && e.visit(0).unwrap().has("phone"));
        assert_eq!(
            e.problem(0).unwrap().get("category").unwrap().key,
            "issues.unknown_category"
        );
    }

    #[test]
    fn more_rows_and_limits() {
        let mut f = PatrolForm::from_fields(&fields(&[("visit_address_500", "x")]));
        assert!(f.visits.is_empty(), "a row past the limit is ignored");
        f.pad_rows();
        assert_eq!(f.visits.len(), VISIT_ROWS);
        f.more = "visit".into();
        f.pad_rows();
        assert_eq!(f.visits.len(), VISIT_ROWS + 1);
    }
}
