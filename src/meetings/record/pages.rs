//! The record form's page, and a record as the lines a person compares (on a stale save) and a
//! correction keeps.

use askama::Template;

use super::forms::{AttendanceInput, RecordErrors, RecordForm};
use super::models::Person;
use crate::attendance::{Attendance, needs_reason};
use crate::meetings::domain::State;
use crate::meetings::models::Meeting;
use crate::meetings::pages::{attendance_line, meeting_name};
use crate::web::ctx::Ctx;
use crate::web::forms::ConflictRow;

/// The meeting's record: times, place, chair, recorder, attendance, minutes.
#[derive(Template)]
#[template(path = "meetings/record/edit.html")]
pub struct RecordPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    pub form: RecordForm,
    pub errors: RecordErrors,
    pub people: Vec<Person>,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub correcting: bool,
    pub names: Vec<String>,
}

impl RecordPage {
    pub fn person_error(&self, id: &i32) -> String {
        self.errors
            .people
            .get(id)
            .map(|k| self.ctx.t(k))
            .unwrap_or_default()
    }

    /// Whether attendee `id`'s radio `code` is the one chosen (unset: expected).
    pub fn checked(&self, id: &i32, code: &str) -> bool {
        let att = self.form.attendance(id);
        att == code || (att.is_empty() && code == "expected")
    }

    pub fn attendance_codes(&self) -> Vec<&'static str> {
        Attendance::MEETING.map(Attendance::code).to_vec()
    }
}

impl RecordPage {
    /// The form `form` for meeting `m` of `unit_name`, with its attendees.
    pub fn new(
        ctx: Ctx,
        m: Meeting,
        unit_name: &str,
        people: Vec<Person>,
        form: RecordForm,
        errors: RecordErrors,
    ) -> RecordPage {
        let mut names: Vec<String> = people
            .iter()
            .filter(|p| p.user_id.is_some())
            .map(|p| p.name.clone())
            .collect();
        names.dedup();
        RecordPage {
            name: meeting_name(&ctx, unit_name, &m.kind, &m.day),
            correcting: m.state() == State::Final,
            m,
            people,
            form,
            errors,
            conflicts: Vec::new(),
            restored: false,
            names,
            ctx,
        }
    }
}

/// The saved record as a form.
pub fn form_of(m: &Meeting, people: &[Person]) -> RecordForm {
    RecordForm {
        start_time: m.start_time.clone(),
        end_time: m.end_time.clone(),
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        minutes: m.minutes.clone(),
        people: people
            .iter()
            .map(|p| {
                let row = AttendanceInput {
                    attendance: p.attendance.clone(),
                    reason: p.reason.clone(),
                };
                (p.id, row)
            })
            .collect(),
        version: m.version.to_string(),
        ..Default::default()
    }
}

/// A record as the lines a person compares (and a correction keeps): labels and values.
pub fn fields(ctx: &Ctx, f: &RecordForm, people: &[Person]) -> Vec<(&'static str, String)> {
    let attendance = people
        .iter()
        .map(|p| {
            let code = match f.attendance(&p.id) {
                c if c.is_empty() => Attendance::Expected.code().to_string(),
                c => c,
            };
            let reason = if needs_reason(&code) {
                f.absence(&p.id)
            } else {
                String::new()
            };
            attendance_line(ctx, &p.name, &code, &reason)
        })
        .collect::<Vec<_>>()
        .join(&ctx.t("meetings.list_sep"));
    let time = if f.start_time.trim().is_empty() {
        String::new()
    } else {
        format!("{}–{}", f.start_time.trim(), f.end_time.trim())
    };
    vec![
        ("meetings.time", time),
        ("meetings.place", f.place.trim().to_string()),
        ("meetings.chair", f.chair.trim().to_string()),
        ("meetings.recorder", f.recorder.trim().to_string()),
        ("meetings.attendance", attendance),
        ("meetings.guests_added", f.guests.trim().to_string()),
        ("meetings.minutes", f.minutes.trim().to_string()),
    ]
}

crate::stale_page!(RecordPage);
