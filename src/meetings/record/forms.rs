//! The meeting's record as typed and as parsed: times, place, chair, recorder, one attendance
//! row per attendee (`att_{id}`, `absence_{id}`, read from the posted pairs), guests added, the
//! minutes and, once finalized, the reason for a correction.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::attendance::{Attendance, RowError};
use crate::meetings::forms::{get, pairs_map, parse_guests, times};
use crate::web::edit::VersionedForm;
use crate::web::forms::{FormErrors, optional, required};

pub const MAX_MINUTES: usize = 20_000;

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

impl VersionedForm for RecordForm {
    fn version(&self) -> &str {
        &self.version
    }

    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
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
            let code = match typed.attendance.trim() {
                "" => Attendance::Expected.code(),
                c => c,
            };
            match Attendance::read(code, &typed.reason, &Attendance::MEETING) {
                Ok((att, reason)) => {
                    let attendance = att.code().to_string();
                    people.insert(*id, AttendanceInput { attendance, reason });
                }
                Err(e) => {
                    let key = match e {
                        RowError::Unknown => "form.invalid_choice",
                        RowError::ReasonMissing => "meetings.absence_needs_reason",
                        RowError::ReasonTooLong => "meetings.reason_too_long",
                    };
                    errors.people.insert(*id, key);
                }
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
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
}
