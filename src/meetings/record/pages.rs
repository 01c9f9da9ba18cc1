//! The record form's page, and a record as the lines a person compares (on a stale save) and a
//! correction keeps.

use askama::Template;

use super::forms::{AttendanceInput, RecordErrors, RecordForm};
use super::models::Person;
use crate::attendance::{Attendance, needs_reason};
use crate::meetings::domain::State;
use crate::meetings::models::Meeting;
use crate::meetings::pages::{attendance_line, meeting_name};
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::ConflictRow;

/// The meeting's record: times, place, chair, recorder, attendance, minutes.
#[derive(Template)]
#[template(path = "meetings/record/edit.html")]
pub struct RecordPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    /// Where the meeting sits, the meeting itself last.
    pub crumbs: Vec<Crumb>,
    pub form: RecordForm,
    pub errors: RecordErrors,
    pub people: Vec<Person>,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub correcting: bool,
    /// The chair's and recorder's choices: the attendees' names, staff first.
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

    /// Attendee `id`'s attendance as the form has it (unset: expected).
    fn code(&self, id: &i32) -> String {
        match self.form.attendance(id) {
            c if c.is_empty() => Attendance::Expected.code().to_string(),
            c => c,
        }
    }

    /// The folded attendance table's summary: how many, present, absent, on leave, unmarked.
    pub fn attendance_summary(&self) -> String {
        let codes: Vec<String> = self.people.iter().map(|p| self.code(&p.id)).collect();
        let n = |c: Attendance| codes.iter().filter(|x| *x == c.code()).count().to_string();
        self.ctx.ta(
            "meetings.attendance_summary",
            &[
                ("n", self.people.len().to_string()),
                ("present", n(Attendance::Present)),
                ("absent", n(Attendance::Absent)),
                ("leave", n(Attendance::Leave)),
                ("expected", n(Attendance::Expected)),
            ],
        )
    }

    /// The attendance table opens by itself when one of its rows has a message.
    pub fn attendance_open(&self) -> bool {
        !self.errors.people.is_empty()
    }

    /// The chair field's warning: the locale key when the chair is marked absent, else empty.
    pub fn chair_warning(&self) -> &'static str {
        if self.chair_absent() {
            "meetings.chair_absent"
        } else {
            ""
        }
    }

    /// The chair, as typed, is an attendee marked absent or on leave.
    fn chair_absent(&self) -> bool {
        let codes: Vec<(String, String)> = self
            .people
            .iter()
            .map(|p| (p.name.clone(), self.code(&p.id)))
            .collect();
        crate::meetings::domain::chair_absent(
            &self.form.chair,
            codes.iter().map(|(n, c)| (n.as_str(), c.as_str())),
        )
    }
}

impl RecordPage {
    /// The form `form` for meeting `m` of the unit `crumbs` end in, with its attendees.
    pub fn new(
        ctx: Ctx,
        m: Meeting,
        mut crumbs: Vec<Crumb>,
        people: Vec<Person>,
        form: RecordForm,
        errors: RecordErrors,
    ) -> RecordPage {
        // Staff first, then the guests: a guest may chair too.
        let (staff, guests): (Vec<&Person>, Vec<&Person>) =
            people.iter().partition(|p| p.user_id.is_some());
        let mut names: Vec<String> = Vec::new();
        for p in staff.into_iter().chain(guests) {
            if !names.contains(&p.name) {
                names.push(p.name.clone());
            }
        }
        let names = crate::web::forms::names_with(names, &[&form.chair, &form.recorder]);
        let unit_name = crumbs.last().map(|c| c.label.clone()).unwrap_or_default();
        let name = meeting_name(&ctx, &unit_name, &m.kind, &m.day);
        crumbs.push(Crumb::link(&name, format!("/meetings/{}", m.id)));
        RecordPage {
            name,
            crumbs,
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
