//! The activity list's query and the activity record form (党支部活动记录), as typed and as
//! parsed. The activity form is multipart (photos) with one attendance row per active member of
//! the branch (`att_{member}`, `reason_{member}`) and a checkbox per grid (`grid` repeated).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::domain::{Activity, read_attendance};
use super::models::{Activity as Saved, IssueLink};
use crate::org::models::UnitName;
use crate::party::branches::models::Branch;
use crate::party::domain::{ACTIVITY_KINDS, DIFFICULTY};
use crate::party::members::models::MemberChoice;
use crate::party::pairings::models::PairingChoice;
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::{FormErrors, one_of, optional, required};
use crate::web::list::ListParams;

/// The list's query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub branch: String,
    pub kind: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("branch", &self.branch),
            ("kind", &self.kind),
            ("from", &self.from),
            ("to", &self.to),
        ]
    }
    fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }
}

impl ListQuery {
    /// The kind asked for, if it is one.
    pub fn kind(&self) -> Option<String> {
        ACTIVITY_KINDS
            .iter()
            .find(|k| **k == self.kind.trim())
            .map(|k| k.to_string())
    }
}

/// One member's attendance row as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AttendanceInput {
    pub attendance: String,
    pub reason: String,
}

impl AttendanceInput {
    /// Present, the new form's default for every active member.
    pub fn present() -> AttendanceInput {
        AttendanceInput {
            attendance: "present".into(),
            reason: String::new(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    pub kind: String,
    pub title: String,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    /// Member id → attendance row.
    pub att: BTreeMap<i32, AttendanceInput>,
    pub visited_member_id: String,
    pub visited: String,
    pub difficulty: String,
    pub given: String,
    pub pairing_id: String,
    /// Grid ids ticked.
    pub grids: Vec<String>,
    /// Issue numbers, separated by spaces, commas or new lines.
    pub issues: String,
    pub version: String,
    pub form_token: String,
}

/// What the form is shown and checked with: the branch, its members (active ones get a row),
/// the pairings a visit may name, the grids of its unit and the issues found for the numbers
/// typed (number → id).
pub struct FormData {
    pub b: Branch,
    pub members: Vec<MemberChoice>,
    pub pairings: Vec<PairingChoice>,
    pub grids: Vec<UnitName>,
    pub issues: BTreeMap<String, i32>,
}

/// Errors of the activity form: fields, and per member row.
#[derive(Debug, Clone, Default)]
pub struct ActivityErrors {
    pub form: FormErrors,
    pub rows: BTreeMap<i32, &'static str>,
}

impl ActivityErrors {
    pub fn is_empty(&self) -> bool {
        self.form.is_empty() && self.rows.is_empty()
    }
}

fn time(e: &mut FormErrors, field: &'static str, raw: &str) -> Option<NaiveTime> {
    match raw.trim() {
        "" => None,
        r => match NaiveTime::parse_from_str(r, "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                e.add(field, "party.activity.time_invalid");
                None
            }
        },
    }
}

impl ActivityForm {
    /// The form from multipart text fields (or any name/value pairs).
    pub fn from_fields(fields: &[(String, String)]) -> ActivityForm {
        let mut f = ActivityForm::default();
        for (k, v) in fields {
            let v = v.clone();
            if let Some(id) = k.strip_prefix("att_").and_then(|i| i.parse::<i32>().ok()) {
                f.att.entry(id).or_default().attendance = v;
                continue;
            }
            if let Some(id) = k
                .strip_prefix("reason_")
                .and_then(|i| i.parse::<i32>().ok())
            {
                f.att.entry(id).or_default().reason = v;
                continue;
            }
            match k.as_str() {
                "kind" => f.kind = v,
                "title" => f.title = v,
                "day" => f.day = v,
                "start_time" => f.start_time = v,
                "end_time" => f.end_time = v,
                "place" => f.place = v,
                "host" => f.host = v,
                "recorder" => f.recorder = v,
                "content" => f.content = v,
                "outcomes" => f.outcomes = v,
                "visited_member_id" => f.visited_member_id = v,
                "visited" => f.visited = v,
                "difficulty" => f.difficulty = v,
                "given" => f.given = v,
                "pairing_id" => f.pairing_id = v,
                "grid" => f.grids.push(v),
                "issues" => f.issues = v,
                "version" => f.version = v,
                "form_token" => f.form_token = v,
                _ => {}
            }
        }
        f
    }

    /// The issue numbers typed, upper-cased, each once.
    pub fn issue_numbers(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in self
            .issues
            .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
            .map(|s| s.trim().to_uppercase())
            .filter(|s| !s.is_empty())
        {
            if !out.contains(&n) {
                out.push(n);
            }
        }
        out
    }

    pub fn attendance(&self, id: &i32) -> String {
        self.att
            .get(id)
            .map(|a| a.attendance.clone())
            .unwrap_or_default()
    }

    pub fn reason(&self, id: &i32) -> String {
        self.att
            .get(id)
            .map(|a| a.reason.clone())
            .unwrap_or_default()
    }

    pub fn has_grid(&self, id: &i32) -> bool {
        self.grids.iter().any(|g| g.trim() == id.to_string())
    }

    /// The activity, checked against the branch's data `c` with `today` as the latest day.
    pub fn parse(&self, c: &FormData, today: NaiveDate) -> Result<Activity, Box<ActivityErrors>> {
        let mut errors = ActivityErrors::default();
        let e = &mut errors.form;
        let kind = one_of(e, "kind", &self.kind, &ACTIVITY_KINDS)
            .unwrap_or("")
            .to_string();
        let title = required(e, "title", &self.title, 100);
        let day = match edit::required_date(e, "day", &self.day) {
            Some(d) if d > today => {
                e.add("day", "party.activity.day_future");
                None
            }
            d => d,
        };
        let start = time(e, "start_time", &self.start_time);
        let end = time(e, "end_time", &self.end_time);
        if let (Some(s), Some(t)) = (start, end)
            && t < s
        {
            e.add("end_time", "party.activity.end_before_start");
        }
        let hhmm = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string());
        let place = optional(e, "place", &self.place, 100);
        let host = optional(e, "host", &self.host, 30);
        let recorder = optional(e, "recorder", &self.recorder, 30);
        let content = optional(e, "content", &self.content, 10_000);
        let outcomes = optional(e, "outcomes", &self.outcomes, 4000);
        let visit = self.visit(e, c, &kind);
        let pairing_id = self.pairing(e, c, &kind);
        let grids = self.grid_ids(e, c);
        let issues = self.issue_ids(e, c);
        let attendance = self.attendance_rows(&mut errors.rows, c);
        if !errors.is_empty() {
            return Err(Box::new(errors));
        }
        Ok(Activity {
            kind,
            title,
            day: day.unwrap_or(today),
            start_time: hhmm(start).unwrap_or_default(),
            end_time: hhmm(end).unwrap_or_default(),
            place,
            host,
            recorder,
            content,
            outcomes,
            visited: visit.visited,
            visited_member_id: visit.member_id,
            difficulty: visit.difficulty,
            given: visit.given,
            pairing_id,
            attendance,
            grids,
            issues,
        })
    }

    /// A visit: a member of the branch, or a name typed; its details under another kind are
    /// pointed out beside them rather than dropped on saving.
    fn visit(&self, e: &mut FormErrors, c: &FormData, kind: &str) -> Visit {
        let mut v = Visit::default();
        if kind != "visit" {
            if let Some((field, _)) = [
                ("visited_member_id", &self.visited_member_id),
                ("visited", &self.visited),
                ("given", &self.given),
            ]
            .into_iter()
            .find(|(_, v)| !v.trim().is_empty())
            {
                e.add(field, "party.activity.visit_kind_needed");
            }
            return v;
        }
        match self.visited_member_id.trim() {
            "" => {}
            raw => match raw
                .parse::<i32>()
                .ok()
                .and_then(|id| c.members.iter().find(|m| m.id == id))
            {
                Some(m) => {
                    v.member_id = Some(m.id);
                    v.visited = m.name.clone();
                }
                None => e.add("visited_member_id", "form.invalid_choice"),
            },
        }
        if v.member_id.is_none() && !e.has("visited_member_id") {
            v.visited = required(e, "visited", &self.visited, 30);
            if e.has("visited") {
                e.add("visited_member_id", "party.activity.visited_needed");
            }
        }
        v.difficulty = one_of(e, "difficulty", self.difficulty.trim(), &DIFFICULTY)
            .unwrap_or("")
            .to_string();
        v.given = optional(e, "given", &self.given, 200);
        v
    }

    /// A pairing visit's pairing; one chosen under another kind is pointed out.
    fn pairing(&self, e: &mut FormErrors, c: &FormData, kind: &str) -> Option<i32> {
        let raw = self.pairing_id.trim();
        if kind != "pairing" {
            if !raw.is_empty() {
                e.add("pairing_id", "party.activity.pairing_kind_needed");
            }
            return None;
        }
        match raw.parse::<i32>() {
            Ok(id) if c.pairings.iter().any(|p| p.id == id) => return Some(id),
            _ if raw.is_empty() => e.add("pairing_id", "form.required"),
            _ => e.add("pairing_id", "form.invalid_choice"),
        }
        None
    }

    /// The grids ticked, each once, among the branch's unit's.
    fn grid_ids(&self, e: &mut FormErrors, c: &FormData) -> Vec<i32> {
        let mut grids = Vec::new();
        for g in self.grids.iter().filter(|g| !g.trim().is_empty()) {
            match g.trim().parse::<i32>() {
                Ok(id) if c.grids.iter().any(|g| g.id == id) => {
                    if !grids.contains(&id) {
                        grids.push(id)
                    }
                }
                _ => e.add("grids", "form.invalid_choice"),
            }
        }
        grids
    }

    /// The issues typed by number; the unknown numbers are one message.
    fn issue_ids(&self, e: &mut FormErrors, c: &FormData) -> Vec<i32> {
        let mut issues = Vec::new();
        let unknown: Vec<String> = self
            .issue_numbers()
            .into_iter()
            .filter(|n| match c.issues.get(n) {
                Some(id) => {
                    issues.push(*id);
                    false
                }
                None => true,
            })
            .collect();
        if !unknown.is_empty() {
            e.add_args(
                "issues",
                "party.activity.issue_unknown",
                vec![("numbers", unknown.join(", "))],
            );
        }
        issues
    }

    /// Each active member's row (blank rows omitted: not expected); a row's message by member.
    fn attendance_rows(
        &self,
        rows: &mut BTreeMap<i32, &'static str>,
        c: &FormData,
    ) -> BTreeMap<i32, (String, String)> {
        let mut attendance = BTreeMap::new();
        for m in c.members.iter().filter(|m| m.active) {
            let typed = self.att.get(&m.id).cloned().unwrap_or_default();
            let code = typed.attendance.trim().to_string();
            let reason = typed.reason.trim().to_string();
            if code.is_empty() || code == "none" {
                continue;
            }
            match read_attendance(&code, &reason) {
                Ok(row) => {
                    attendance.insert(m.id, row);
                }
                Err(key) => {
                    // Kept as typed, so the form comes back with the row as the user left it.
                    rows.insert(m.id, key);
                    attendance.insert(m.id, (code, reason));
                }
            }
        }
        attendance
    }

    /// A saved activity as a form, with its attendance rows and links.
    pub fn from_saved(
        a: &Saved,
        att: BTreeMap<i32, AttendanceInput>,
        grids: &[UnitName],
        issues: &[IssueLink],
    ) -> ActivityForm {
        ActivityForm {
            kind: a.kind.clone(),
            title: a.title.clone(),
            day: a.day.to_string(),
            start_time: a.start_time.clone(),
            end_time: a.end_time.clone(),
            place: a.place.clone(),
            host: a.host.clone(),
            recorder: a.recorder.clone(),
            content: a.content.clone(),
            outcomes: a.outcomes.clone(),
            att,
            visited_member_id: a
                .visited_member_id
                .map(|i| i.to_string())
                .unwrap_or_default(),
            visited: a.visited.clone(),
            difficulty: a.difficulty.clone(),
            given: a.given.clone(),
            pairing_id: a.pairing_id.map(|i| i.to_string()).unwrap_or_default(),
            grids: grids.iter().map(|g| g.id.to_string()).collect(),
            issues: issues
                .iter()
                .map(|i| i.number.clone())
                .collect::<Vec<_>>()
                .join(" "),
            version: a.version.to_string(),
            form_token: String::new(),
        }
    }
}

/// A visit's details as parsed.
#[derive(Default)]
struct Visit {
    visited: String,
    member_id: Option<i32>,
    difficulty: String,
    given: String,
}

impl VersionedForm for ActivityForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[cfg(test)]
mod tests;
