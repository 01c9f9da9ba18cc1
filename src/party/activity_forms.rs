//! The activity record form (党支部活动记录), as typed and as parsed. The
//! activity form is multipart (photos) with one attendance row per active member of the branch
//! (`att_{member}`, `reason_{member}`) and a checkbox per grid (`grid` repeated).

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::domain::{ACTIVITY_KINDS, DIFFICULTY};
use crate::web::forms::{FormErrors, one_of, optional, required};

/// Attendance codes of a member's row; `none` (or a blank row): the member was not expected.
pub const ATTENDANCE: [&str; 4] = ["present", "absent", "leave", "none"];

/// One member's attendance row as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AttendanceInput {
    pub attendance: String,
    pub reason: String,
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

/// What the form is checked against: the branch's members (active ones get a row), its
/// pairings, the grids of its unit and the issues found for the numbers typed.
pub struct Context<'a> {
    /// (id, name, active)
    pub members: &'a [(i32, String, bool)],
    pub pairings: &'a [i32],
    pub grids: &'a [i32],
    /// Issue number → id, for the numbers typed that exist in the branch's unit.
    pub issues: &'a BTreeMap<String, i32>,
    pub today: NaiveDate,
}

/// The activity, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Activity {
    pub kind: String,
    pub title: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    pub visited: String,
    pub visited_member_id: Option<i32>,
    pub difficulty: String,
    pub given: String,
    pub pairing_id: Option<i32>,
    /// Member id → (attendance, reason), rows left blank omitted.
    pub attendance: BTreeMap<i32, (String, String)>,
    pub grids: Vec<i32>,
    pub issues: Vec<i32>,
}

impl Activity {
    pub fn expected(&self) -> i32 {
        self.attendance.len() as i32
    }

    pub fn present(&self) -> i32 {
        self.attendance
            .values()
            .filter(|(a, _)| a == "present")
            .count() as i32
    }
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

pub fn needs_reason(code: &str) -> bool {
    matches!(code, "absent" | "leave")
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

    pub fn parse(&self, c: &Context) -> Result<Activity, Box<ActivityErrors>> {
        let mut errors = ActivityErrors::default();
        let e = &mut errors.form;
        let kind = one_of(e, "kind", &self.kind, &ACTIVITY_KINDS)
            .unwrap_or("")
            .to_string();
        let title = required(e, "title", &self.title, 100);
        let day = match self.day.trim() {
            "" => {
                e.add("day", "form.required");
                None
            }
            r => match NaiveDate::parse_from_str(r, "%Y-%m-%d") {
                Ok(d) if d > c.today => {
                    e.add("day", "party.activity.day_future");
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("day", "form.date_invalid");
                    None
                }
            },
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
        // The visit: a member of the branch, or a name typed.
        let (mut visited, mut visited_member_id, mut difficulty, mut given) =
            (String::new(), None, String::new(), String::new());
        let mut pairing_id = None;
        if kind == "visit" {
            match self.visited_member_id.trim() {
                "" => {}
                raw => match raw
                    .parse::<i32>()
                    .ok()
                    .and_then(|id| c.members.iter().find(|m| m.0 == id))
                {
                    Some(m) => {
                        visited_member_id = Some(m.0);
                        visited = m.1.clone();
                    }
                    None => e.add("visited_member_id", "form.invalid_choice"),
                },
            }
            if visited_member_id.is_none() && !e.has("visited_member_id") {
                visited = required(e, "visited", &self.visited, 30);
                if e.has("visited") {
                    e.add("visited_member_id", "party.activity.visited_needed");
                }
            }
            difficulty = one_of(e, "difficulty", self.difficulty.trim(), &DIFFICULTY)
                .unwrap_or("")
                .to_string();
            given = optional(e, "given", &self.given, 200);
        }
        if kind == "pairing" {
            match self.pairing_id.trim().parse::<i32>() {
                Ok(id) if c.pairings.contains(&id) => pairing_id = Some(id),
                _ if self.pairing_id.trim().is_empty() => e.add("pairing_id", "form.required"),
                _ => e.add("pairing_id", "form.invalid_choice"),
            }
        }
        // A visit's or a pairing's details under another kind would be dropped on saving: say
        // so beside them rather than lose what was typed.
        if kind != "visit"
            && let Some((field, _)) = [
                ("visited_member_id", &self.visited_member_id),
                ("visited", &self.visited),
                ("given", &self.given),
            ]
            .into_iter()
            .find(|(_, v)| !v.trim().is_empty())
        {
            e.add(field, "party.activity.visit_kind_needed");
        }
        if kind != "pairing" && !self.pairing_id.trim().is_empty() {
            e.add("pairing_id", "party.activity.pairing_kind_needed");
        }
        let mut grids = Vec::new();
        for g in self.grids.iter().filter(|g| !g.trim().is_empty()) {
            match g.trim().parse::<i32>() {
                Ok(id) if c.grids.contains(&id) => {
                    if !grids.contains(&id) {
                        grids.push(id)
                    }
                }
                _ => e.add("grids", "form.invalid_choice"),
            }
        }
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
        let mut attendance = BTreeMap::new();
        for (id, _, _) in c.members.iter().filter(|m| m.2) {
            let typed = self.att.get(id).cloned().unwrap_or_default();
            let code = typed.attendance.trim().to_string();
            let reason = typed.reason.trim().to_string();
            if code.is_empty() || code == "none" {
                continue;
            }
            if !ATTENDANCE.contains(&code.as_str()) {
                errors.rows.insert(*id, "party.activity.bad_attendance");
            } else if needs_reason(&code) && reason.is_empty() {
                errors.rows.insert(*id, "party.activity.reason_needed");
            } else if reason.chars().count() > 100 {
                errors.rows.insert(*id, "party.activity.reason_too_long");
            }
            let reason = if needs_reason(&code) {
                reason
            } else {
                String::new()
            };
            attendance.insert(*id, (code, reason));
        }
        if !errors.is_empty() {
            return Err(Box::new(errors));
        }
        Ok(Activity {
            kind,
            title,
            day: day.unwrap_or(c.today),
            start_time: hhmm(start).unwrap_or_default(),
            end_time: hhmm(end).unwrap_or_default(),
            place,
            host,
            recorder,
            content,
            outcomes,
            visited,
            visited_member_id,
            difficulty,
            given,
            pairing_id,
            attendance,
            grids,
            issues,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn an_absence_needs_a_reason_on_its_row() {
        let members = vec![
            (1, "王建华".to_string(), true),
            (2, "周丽".to_string(), true),
            (3, "离开的".to_string(), false),
        ];
        let issues = BTreeMap::from([("LSZ-2026-000001".to_string(), 9)]);
        let c = Context {
            members: &members,
            pairings: &[],
            grids: &[7],
            issues: &issues,
            today: today(),
        };
        let f = ActivityForm::from_fields(&pairs(&[
            ("kind", "committee"),
            ("title", "十一月支委会"),
            ("day", "2026-11-20"),
            ("start_time", "09:00"),
            ("end_time", "08:00"),
            ("att_1", "present"),
            ("att_2", "absent"),
            ("grid", "7"),
            ("issues", "lsz-2026-000001，LSZ-2026-000099"),
        ]));
        let e = f.parse(&c).unwrap_err();
        assert_eq!(e.rows.get(&2), Some(&"party.activity.reason_needed"));
        assert!(e.form.has("end_time") && e.form.has("issues"));
        let f = ActivityForm {
            end_time: "10:30".into(),
            issues: "LSZ-2026-000001".into(),
            att: BTreeMap::from([
                (
                    1,
                    AttendanceInput {
                        attendance: "present".into(),
                        reason: "ignored".into(),
                    },
                ),
                (
                    2,
                    AttendanceInput {
                        attendance: "leave".into(),
                        reason: "病假".into(),
                    },
                ),
            ]),
            ..f
        };
        let a = f.parse(&c).unwrap();
        assert_eq!((a.expected(), a.present()), (2, 1));
        assert_eq!(a.attendance[&1].1, "");
        assert_eq!(a.issues, vec![9]);
        assert_eq!(a.grids, vec![7]);
    }

    #[test]
    fn a_visit_names_who_was_visited_and_a_pairing_visit_its_pairing() {
        let members = vec![(1, "张秀兰".to_string(), true)];
        let issues = BTreeMap::new();
        let c = Context {
            members: &members,
            pairings: &[4],
            grids: &[],
            issues: &issues,
            today: today(),
        };
        let f = ActivityForm {
            kind: "visit".into(),
            title: "走访慰问".into(),
            day: "2027-01-01".into(),
            ..Default::default()
        };
        let e = f.parse(&c).unwrap_err();
        assert!(e.form.has("visited") && e.form.has("day"));
        let ok = ActivityForm {
            day: "2026-11-01".into(),
            visited_member_id: "1".into(),
            difficulty: "very_difficult".into(),
            given: "米面油".into(),
            ..f
        };
        let a = ok.parse(&c).unwrap();
        assert_eq!(a.visited, "张秀兰");
        let p = ActivityForm {
            kind: "pairing".into(),
            pairing_id: "5".into(),
            ..ok.clone()
        };
        let e = p.parse(&c).unwrap_err();
        assert!(e.form.has("pairing_id"));
        // The visit's details left under another kind are pointed out, not dropped.
        assert!(e.form.has("visited_member_id"));
        let p = ActivityForm {
            pairing_id: "4".into(),
            visited_member_id: String::new(),
            given: String::new(),
            ..p
        };
        let a = p.parse(&c).unwrap();
        assert_eq!((a.pairing_id, a.visited.as_str()), (Some(4), ""));
        // A pairing chosen under another kind is pointed out too.
        let v = ActivityForm {
            kind: "visit".into(),
            ..ok
        };
        let v = ActivityForm {
            pairing_id: "4".into(),
            ..v
        };
        assert!(v.parse(&c).unwrap_err().form.has("pairing_id"));
    }
}
