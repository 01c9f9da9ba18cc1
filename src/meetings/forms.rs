//! The meeting forms as typed (every field kept on an error) and as parsed: a new meeting, the
//! meeting's record (times, place, chair, recorder, attendance, minutes), an agenda item's
//! decision, a free topic. Forms with a row per attendee (`att_{id}`, `reason_{id}`) or per
//! invited colleague (`invite` repeated) are read from the posted pairs.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};

use super::domain::{self, ATTENDANCE};
use crate::issues::workflow::Target;
use crate::web::forms::{FormErrors, optional, required};

pub const MAX_MINUTES: usize = 20_000;
pub const MAX_GUESTS: usize = 30;

/// The posted pairs of a form, by name (the last value wins), plus every value of `invite`.
pub fn pairs_map(pairs: &[(String, String)]) -> BTreeMap<String, String> {
    pairs.iter().cloned().collect()
}

fn get(m: &BTreeMap<String, String>, k: &str) -> String {
    m.get(k).cloned().unwrap_or_default()
}

/// Start and end ("HH:MM", both optional; the end after the start).
fn times(e: &mut FormErrors, start: &str, end: &str) -> (String, String) {
    let s = start.trim();
    let t = end.trim();
    let ps = domain::parse_time(s);
    let pt = domain::parse_time(t);
    if !s.is_empty() && ps.is_none() {
        e.add("start_time", "meetings.invalid_time");
    }
    if !t.is_empty() && pt.is_none() {
        e.add("end_time", "meetings.invalid_time");
    }
    if let (Some(a), Some(b)) = (ps, pt)
        && b <= a
    {
        e.add("end_time", "meetings.end_before_start");
    }
    let fmt = |x: Option<NaiveTime>| x.map(|x| x.format("%H:%M").to_string());
    (fmt(ps).unwrap_or_default(), fmt(pt).unwrap_or_default())
}

/// Guests, one per line: "name" or "name，unit" (full- or half-width comma).
pub fn parse_guests(e: &mut FormErrors, raw: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (name, unit) = match line.split_once(['，', ',']) {
            Some((n, u)) => (n.trim(), u.trim()),
            None => (line, ""),
        };
        if name.is_empty() || name.chars().count() > 30 || unit.chars().count() > 60 {
            e.add("guests", "meetings.bad_guest");
            return out;
        }
        out.push((name.to_string(), unit.to_string()));
    }
    if out.len() > MAX_GUESTS {
        e.add_args(
            "guests",
            "meetings.too_many_guests",
            vec![("max", MAX_GUESTS.to_string())],
        );
    }
    out
}

/// A new meeting as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct NewForm {
    pub kind: String,
    pub unit_id: String,
    pub day: String,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    /// Ids of the unit's staff invited.
    pub invite: Vec<String>,
    pub guests: String,
    pub form_token: String,
}

/// A new meeting, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct NewMeeting {
    pub kind: domain::Kind,
    pub unit_id: i32,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub invite: Vec<i32>,
    pub guests: Vec<(String, String)>,
}

impl NewForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> NewForm {
        let m = pairs_map(pairs);
        NewForm {
            kind: get(&m, "kind"),
            unit_id: get(&m, "unit_id"),
            day: get(&m, "day"),
            start_time: get(&m, "start_time"),
            end_time: get(&m, "end_time"),
            place: get(&m, "place"),
            chair: get(&m, "chair"),
            recorder: get(&m, "recorder"),
            invite: pairs
                .iter()
                .filter(|(k, _)| k == "invite")
                .map(|(_, v)| v.clone())
                .collect(),
            guests: get(&m, "guests"),
            form_token: get(&m, "form_token"),
        }
    }

    pub fn invited(&self, id: &i32) -> bool {
        self.invite.iter().any(|v| v.trim() == id.to_string())
    }

    /// `units`: the units the user may hold a meeting for; `staff`: the chosen unit's staff ids;
    /// `today`: meetings are planned up to a year ahead and recorded up to a year back.
    pub fn parse(
        &self,
        units: &[i32],
        staff: &[i32],
        today: NaiveDate,
    ) -> Result<NewMeeting, FormErrors> {
        let mut e = FormErrors::new();
        let kind = domain::Kind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "form.invalid_choice");
        }
        let unit_id = self.unit_id.trim().parse::<i32>().unwrap_or(0);
        if !units.contains(&unit_id) {
            e.add("unit_id", "form.invalid_choice");
        }
        let day = match NaiveDate::parse_from_str(self.day.trim(), "%Y-%m-%d") {
            Ok(d) if (d - today).num_days().abs() <= 366 => Some(d),
            Ok(_) => {
                e.add("day", "meetings.day_out_of_range");
                None
            }
            Err(_) => {
                e.add("day", "form.date_invalid");
                None
            }
        };
        let (start_time, end_time) = times(&mut e, &self.start_time, &self.end_time);
        let place = required(&mut e, "place", &self.place, 100);
        let chair = required(&mut e, "chair", &self.chair, 30);
        let recorder = required(&mut e, "recorder", &self.recorder, 30);
        let mut invite = Vec::new();
        for v in &self.invite {
            match v.trim().parse::<i32>() {
                Ok(id) if staff.contains(&id) => invite.push(id),
                _ => e.add("invite", "form.invalid_choice"),
            }
        }
        let guests = parse_guests(&mut e, &self.guests);
        e.finish(|| NewMeeting {
            kind: kind.unwrap_or(domain::Kind::Weekly),
            unit_id,
            day: day.unwrap_or(today),
            start_time,
            end_time,
            place,
            chair,
            recorder,
            invite,
            guests,
        })
    }
}

/// One attendee's row as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct AttendanceInput {
    pub attendance: String,
    pub reason: String,
}

/// The meeting's record as typed: what the edit page posts.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct RecordForm {
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub minutes: String,
    /// Attendee id → attendance and reason.
    pub people: BTreeMap<i32, AttendanceInput>,
    pub guests: String,
    /// Why a finalized meeting is corrected.
    pub reason: String,
    pub version: String,
}

/// The record, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub minutes: String,
    pub people: BTreeMap<i32, AttendanceInput>,
    pub guests: Vec<(String, String)>,
    pub reason: String,
}

/// Errors of the record form: fields, and per attendee row.
#[derive(Debug, Clone, Default)]
pub struct RecordErrors {
    pub form: FormErrors,
    pub people: BTreeMap<i32, &'static str>,
}

impl RecordErrors {
    pub fn is_empty(&self) -> bool {
        self.form.is_empty() && self.people.is_empty()
    }
}

impl RecordForm {
    pub fn from_pairs(pairs: &[(String, String)]) -> RecordForm {
        let m = pairs_map(pairs);
        let mut people: BTreeMap<i32, AttendanceInput> = BTreeMap::new();
        for (k, v) in &m {
            if let Some(id) = k.strip_prefix("att_").and_then(|x| x.parse().ok()) {
                people.entry(id).or_default().attendance = v.clone();
            } else if let Some(id) = k.strip_prefix("absence_").and_then(|x| x.parse().ok()) {
                people.entry(id).or_default().reason = v.clone();
            }
        }
        RecordForm {
            start_time: get(&m, "start_time"),
            end_time: get(&m, "end_time"),
            place: get(&m, "place"),
            chair: get(&m, "chair"),
            recorder: get(&m, "recorder"),
            minutes: get(&m, "minutes"),
            people,
            guests: get(&m, "guests"),
            reason: get(&m, "reason"),
            version: get(&m, "version"),
        }
    }

    pub fn attendance(&self, id: &i32) -> String {
        self.people
            .get(id)
            .map(|p| p.attendance.clone())
            .unwrap_or_default()
    }

    pub fn absence(&self, id: &i32) -> String {
        self.people
            .get(id)
            .map(|p| p.reason.clone())
            .unwrap_or_default()
    }

    /// `ids`: the meeting's attendees; `correcting`: the meeting is finalized, a reason is due.
    pub fn parse(&self, ids: &[i32], correcting: bool) -> Result<Record, Box<RecordErrors>> {
        let mut errors = RecordErrors::default();
        let e = &mut errors.form;
        let (start_time, end_time) = times(e, &self.start_time, &self.end_time);
        let place = required(e, "place", &self.place, 100);
        let chair = required(e, "chair", &self.chair, 30);
        let recorder = required(e, "recorder", &self.recorder, 30);
        let minutes = optional(e, "minutes", &self.minutes, MAX_MINUTES);
        let guests = parse_guests(e, &self.guests);
        let reason = if correcting {
            required(e, "reason", &self.reason, 500)
        } else {
            String::new()
        };
        let mut people = BTreeMap::new();
        for id in ids {
            let typed = self.people.get(id).cloned().unwrap_or_default();
            let attendance = if typed.attendance.trim().is_empty() {
                "expected".to_string()
            } else {
                typed.attendance.trim().to_string()
            };
            let reason = typed.reason.trim().to_string();
            if !ATTENDANCE.contains(&attendance.as_str()) {
                errors.people.insert(*id, "form.invalid_choice");
            } else if domain::needs_reason(&attendance) && reason.is_empty() {
                errors.people.insert(*id, "meetings.absence_needs_reason");
            } else if reason.chars().count() > 100 {
                errors.people.insert(*id, "meetings.reason_too_long");
            }
            let reason = if domain::needs_reason(&attendance) {
                reason
            } else {
                String::new()
            };
            people.insert(*id, AttendanceInput { attendance, reason });
        }
        if !errors.is_empty() {
            return Err(Box::new(errors));
        }
        Ok(Record {
            start_time,
            end_time,
            place,
            chair,
            recorder,
            minutes,
            people,
            guests,
            reason,
        })
    }
}

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
        let deadline = match self.deadline.trim() {
            "" => None,
            raw => match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
                Ok(d) if d < day => {
                    e.add("deadline", "meetings.deadline_before_meeting");
                    None
                }
                Ok(d) if (d - day).num_days() > 366 => {
                    e.add("deadline", "meetings.deadline_too_far");
                    None
                }
                Ok(d) => Some(d),
                Err(_) => {
                    e.add("deadline", "form.date_invalid");
                    None
                }
            },
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

/// A free topic (or an issue by number) added to the agenda.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct AddForm {
    /// An issue's number (e.g. LSZ-2026-000123) to add from the register …
    pub number: String,
    /// … or a free topic's title.
    pub topic: String,
    pub version: String,
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

/// Labels and values of a decision, for a stale-edit comparison and a correction's record.
pub fn decision_fields(f: &DecisionForm, target_name: &str) -> Vec<(&'static str, String)> {
    vec![
        ("meetings.discussion", f.discussion.trim().to_string()),
        ("meetings.solution", f.solution.trim().to_string()),
        ("meetings.responsible", target_name.to_string()),
        ("meetings.deadline", f.deadline.trim().to_string()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn a_new_meeting_parses_with_invites_and_guests() {
        let f = NewForm::from_pairs(&pairs(&[
            ("kind", "weekly"),
            ("unit_id", "8"),
            ("day", "2026-11-30"),
            ("start_time", "09:00"),
            ("end_time", "10:30"),
            ("place", "社区二楼会议室"),
            ("chair", "李书记"),
            ("recorder", "王敏"),
            ("invite", "3"),
            ("invite", "4"),
            ("guests", "张警官，林山寨派出所\n赵站长,城管中队\n\n"),
        ]));
        let m = f.parse(&[8], &[3, 4, 5], today()).unwrap();
        assert_eq!(m.invite, vec![3, 4]);
        assert_eq!(m.guests.len(), 2);
        assert_eq!(m.guests[0], ("张警官".into(), "林山寨派出所".into()));
        assert_eq!(m.guests[1].1, "城管中队");
    }

    #[test]
    fn bad_new_meeting_fields_are_named() {
        let f = NewForm::from_pairs(&pairs(&[
            ("kind", "party"),
            ("unit_id", "9"),
            ("day", "2029-01-01"),
            ("start_time", "10:00"),
            ("end_time", "09:00"),
            ("invite", "77"),
        ]));
        let e = f.parse(&[8], &[3], today()).unwrap_err();
        for field in [
            "kind", "unit_id", "day", "end_time", "place", "chair", "recorder", "invite",
        ] {
            assert!(e.has(field), "{field}");
        }
    }

    #[test]
    fn absence_needs_a_reason_and_unknown_rows_are_ignored() {
        let f = RecordForm::from_pairs(&pairs(&[
            ("place", "会议室"),
            ("chair", "李"),
            ("recorder", "王"),
            ("att_1", "present"),
            ("att_2", "absent"),
            ("absence_2", ""),
            ("att_3", "leave"),
            ("absence_3", "病假"),
            ("att_99", "present"),
        ]));
        let e = f.parse(&[1, 2, 3], false).unwrap_err();
        assert_eq!(e.people.get(&2), Some(&"meetings.absence_needs_reason"));
        assert!(!e.people.contains_key(&3));
        let f2 = RecordForm {
            people: {
                let mut p = f.people.clone();
                p.get_mut(&2).unwrap().reason = "出差".into();
                p
            },
            ..f.clone()
        };
        let r = f2.parse(&[1, 2, 3], false).unwrap();
        assert_eq!(r.people.len(), 3);
        assert_eq!(r.people[&3].reason, "病假");
        assert_eq!(r.people[&1].reason, "");
    }

    #[test]
    fn a_correction_needs_a_reason() {
        let f = RecordForm {
            place: "p".into(),
            chair: "c".into(),
            recorder: "r".into(),
            ..Default::default()
        };
        assert!(f.parse(&[], true).unwrap_err().form.has("reason"));
        assert!(f.parse(&[], false).is_ok());
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

    #[test]
    fn guests_lines_are_checked() {
        let mut e = FormErrors::new();
        let long = "名".repeat(31);
        parse_guests(&mut e, &long);
        assert!(e.has("guests"));
    }
}
