//! The SQL of a meeting's record: its attendees (staff invited and guests) with their
//! attendance, the record's fields, and saving the record (with a correction once finalized).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::forms::Record;
use crate::attendance::Attendance;
use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{meeting_people, meetings, org_units, users};
use crate::error::AppResult;
use crate::meetings::models::{self as meeting, Meeting};
use crate::web::edit::Saved;

/// What the meeting's record form sets.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = meetings)]
pub struct MeetingChange {
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub minutes: String,
    pub updated_at: NaiveDateTime,
}

/// Sets the edited fields if the meeting is still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    c: &MeetingChange,
) -> AppResult<bool> {
    let n = diesel::update(
        meetings::table
            .filter(meetings::id.eq(id))
            .filter(meetings::version.eq(version)),
    )
    .set((c, meetings::version.eq(version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Sets one attendee's attendance and reason.
pub fn set_attendance(
    conn: &mut AnyConnection,
    person_id: i32,
    attendance: &str,
    reason: &str,
) -> AppResult<()> {
    diesel::update(meeting_people::table.find(person_id))
        .set((
            meeting_people::attendance.eq(attendance),
            meeting_people::reason.eq(reason),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, PartialEq)]
#[diesel(table_name = meeting_people)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Person {
    pub id: i32,
    pub meeting_id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub unit: String,
    pub attendance: String,
    pub reason: String,
    pub position: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meeting_people)]
pub struct NewPerson {
    pub meeting_id: i32,
    pub user_id: Option<i32>,
    pub name: String,
    pub unit: String,
    pub attendance: String,
    pub reason: String,
    /// 0: the unit's staff, 1: guests (listed after them).
    pub position: i32,
}

impl NewPerson {
    /// A colleague invited from the unit's staff.
    pub fn staff(meeting_id: i32, s: &Staff) -> NewPerson {
        NewPerson {
            meeting_id,
            user_id: Some(s.user_id),
            name: s.name.clone(),
            unit: s.unit.clone(),
            attendance: Attendance::Expected.code().into(),
            reason: String::new(),
            position: 0,
        }
    }

    /// A guest, "name" from "unit".
    pub fn guest(meeting_id: i32, (name, unit): &(String, String), att: Attendance) -> NewPerson {
        NewPerson {
            meeting_id,
            user_id: None,
            name: name.clone(),
            unit: unit.clone(),
            attendance: att.code().into(),
            reason: String::new(),
            position: 1,
        }
    }
}

/// A colleague who can be invited: an active account of the unit or of a grid directly under it.
#[derive(Debug, Clone, Queryable)]
pub struct Staff {
    pub user_id: i32,
    pub name: String,
    pub unit: String,
}

pub fn people(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<Vec<Person>> {
    Ok(meeting_people::table
        .filter(meeting_people::meeting_id.eq(meeting_id))
        .order((meeting_people::position, meeting_people::id))
        .select(Person::as_select())
        .load(conn)?)
}

pub fn add_people(conn: &mut AnyConnection, rows: &[NewPerson]) -> AppResult<()> {
    // One statement per row: batch inserts are not available on the two-backend connection
    // (and a meeting has tens of rows).
    for r in rows {
        diesel::insert_into(meeting_people::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

/// The unit's staff invited by default: active accounts of the unit itself and of the grids
/// directly under it (grid workers report at their community's meetings).
pub fn default_people(conn: &mut AnyConnection, unit_id: i32) -> AppResult<Vec<Staff>> {
    Ok(users::table
        .inner_join(org_units::table)
        .filter(
            org_units::id.eq(unit_id).or(org_units::parent_id
                .eq(unit_id)
                .and(org_units::kind.eq("grid"))),
        )
        .filter(users::active.eq(true))
        .order((org_units::path, users::display_name))
        .limit(200)
        .select((users::id, users::display_name, org_units::name))
        .load(conn)?)
}

/// A stale save's answer: the meeting and its attendees as they now are.
pub type Latest = Box<(Meeting, Vec<Person>)>;

/// What saving the record writes besides the record: the correction (finalized meeting) and
/// the audit's before and after lines.
pub struct Save {
    pub record: Record,
    /// The version the form was opened at.
    pub seen: i32,
    /// A finalized meeting's correction: the changed lines as JSON.
    pub correction: Option<String>,
    /// The record before and after, as labelled lines (`web::edit::labelled_json`).
    pub before: serde_json::Map<String, serde_json::Value>,
    pub after: serde_json::Map<String, serde_json::Value>,
    pub now: NaiveDateTime,
}

/// Saves the record, the attendance and the guests added if the meeting is still at the version
/// seen; stale: nothing is written and the meeting and attendees come back as they now are.
pub fn save(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    s: &Save,
) -> AppResult<Saved<Latest>> {
    let current = meeting::get_scoped(conn, user, id)?;
    let r = &s.record;
    let change = MeetingChange {
        start_time: r.start_time.clone(),
        end_time: r.end_time.clone(),
        place: r.place.clone(),
        chair: r.chair.clone(),
        recorder: r.recorder.clone(),
        minutes: r.minutes.clone(),
        updated_at: s.now,
    };
    if !update(conn, id, s.seen, &change)? {
        return Ok(Saved::Stale(Box::new((current, people(conn, id)?))));
    }
    for (pid, a) in &r.people {
        set_attendance(conn, *pid, &a.attendance, &a.reason)?;
    }
    let guests: Vec<NewPerson> = r
        .guests
        .iter()
        .map(|g| NewPerson::guest(id, g, Attendance::Present))
        .collect();
    add_people(conn, &guests)?;
    meeting::refresh_counts(conn, id)?;
    if let Some(changes) = &s.correction {
        meeting::add_correction(conn, id, user.id, &r.reason, changes)?;
    }
    let summary = match &s.correction {
        Some(_) => format!("{} correction: {}", current.day, r.reason),
        None => current.day.to_string(),
    };
    crate::audit::updated(
        conn,
        &user.actor(),
        "meeting",
        id,
        &summary,
        &s.before,
        &s.after,
        &current.scope_path,
    )?;
    Ok(Saved::Done)
}
