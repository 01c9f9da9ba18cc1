//! Writing a meeting: its row, its people and items in bulk, and each decision on an issue's
//! timeline.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::plan::Planned;
use super::texts::{self, pick};
use super::units::{Person, Unit};
use super::{Gen, utc};
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts, ts_opt};
use crate::error::AppResult;
use crate::meetings::domain::{Kind, State};

const MEETING_COLUMNS: &str = "id, unit_id, scope_path, kind, state, day, start_time, end_time, \
    place, chair, recorder, minutes, since, expected, present, items, decided, corrections, \
    created_by, finalized_by, held_at, finalized_at, version, created_at, updated_at";
const PEOPLE_COLUMNS: &str = "meeting_id, user_id, name, unit, attendance, reason, position";
const ITEM_COLUMNS: &str = "meeting_id, position, issue_id, reasons, title, grid_id, \
    discussed_before, age_days, removed, discussion, solution, resp_user_id, resp_unit_id, \
    resp_party, resp_name, deadline, decided_at, version";
const EVENT_COLUMNS: &str =
    "issue_id, actor_id, action, from_state, to_state, note, detail, created_at";

/// The four tables a meeting writes to, each in multi-row INSERTs.
pub(super) struct Writers {
    meetings: Bulk,
    people: Bulk,
    items: Bulk,
    events: Bulk,
}

impl Writers {
    pub(super) fn new() -> Writers {
        Writers {
            meetings: Bulk::new("meetings", MEETING_COLUMNS),
            people: Bulk::new("meeting_people", PEOPLE_COLUMNS),
            items: Bulk::new("meeting_items", ITEM_COLUMNS),
            events: Bulk::new("issue_events", EVENT_COLUMNS),
        }
    }

    /// Writes what is left, parents first.
    pub(super) fn flush(&mut self, conn: &mut AnyConnection) -> AppResult<()> {
        self.meetings.flush(conn)?;
        self.people.flush(conn)?;
        self.items.flush(conn)?;
        self.events.flush(conn)
    }
}

/// An agenda item as written.
pub(super) struct ItemRow {
    pub(super) issue: Option<usize>,
    pub(super) reasons: String,
    pub(super) title: String,
    pub(super) grid_id: Option<i32>,
    pub(super) discussed_before: i32,
    pub(super) age_days: i32,
    pub(super) decision: Option<Decided>,
}

pub(super) struct Decided {
    pub(super) discussion: &'static str,
    pub(super) solution: String,
    pub(super) resp_unit: Option<i32>,
    pub(super) resp_party: String,
    pub(super) resp_name: String,
    pub(super) deadline: NaiveDate,
    pub(super) at: NaiveDateTime,
}

/// The meeting's rows besides the agenda: state, times, people.
pub(super) struct Held {
    pub(super) state: State,
    /// When it began (UTC).
    pub(super) at: NaiveDateTime,
    pub(super) people: Vec<(Person, &'static str, &'static str)>,
}

impl Gen<'_> {
    /// Writes the meeting, its people, its items and its decisions' timeline entries.
    #[expect(clippy::too_many_arguments, reason = "one meeting's parts")]
    pub(super) fn write(
        &mut self,
        conn: &mut AnyConnection,
        rng: &mut StdRng,
        unit: &Unit,
        p: &Planned,
        (since, minutes): (NaiveDateTime, &str),
        held: &Held,
        items: &[ItemRow],
    ) -> AppResult<()> {
        let id = self.next_id;
        self.next_id += 1;
        let decided: Vec<&Decided> = items.iter().filter_map(|i| i.decision.as_ref()).collect();
        let present = held.people.iter().filter(|x| x.1 == "present").count();
        // Prepared the afternoon before (a huddle: just before); finalized after the meeting.
        let created = match p.kind {
            Kind::Huddle => held.at - Duration::minutes(20),
            _ => held.at - Duration::hours(18),
        }
        .min(self.now);
        let (held_at, finalized_at) = match held.state {
            State::Draft => (None, None),
            State::Held => (Some(held.at), None),
            State::Final => (
                Some(held.at),
                Some(utc(p.day.and_time(p.end)) + Duration::minutes(rng.random_range(20..180))),
            ),
        };
        let updated = finalized_at
            .or(decided.iter().map(|d| d.at).max())
            .or(held_at)
            .unwrap_or(created);
        let steps = match held.state {
            State::Draft => 0,
            State::Held => 1,
            State::Final => 2,
        };
        let place = match p.kind {
            Kind::Huddle => pick(rng, texts::HUDDLE_ROOMS),
            _ => unit.room,
        };
        let row = format!(
            "({id}, {}, {}, {}, {}, '{}', {}, {}, {}, {}, {}, {}, {}, {}, {present}, {}, {}, 0, \
             {}, {}, {}, {}, {}, {}, {})",
            unit.id,
            q(&unit.path),
            q(p.kind.code()),
            q(held.state.code()),
            p.day,
            q(&p.start.format("%H:%M").to_string()),
            q(&p.end.format("%H:%M").to_string()),
            q(place),
            q(&unit.chair),
            q(&unit.recorder),
            q(minutes),
            ts(since),
            held.people.len(),
            items.len(),
            decided.len(),
            id_opt(unit.clerk),
            id_opt(unit.clerk.filter(|_| finalized_at.is_some())),
            ts_opt(held_at),
            ts_opt(finalized_at),
            1 + steps + decided.len(),
            ts(created),
            ts(updated),
        );
        self.w.meetings.push(conn, row)?;
        for (person, att, reason) in &held.people {
            let row = format!(
                "({id}, {}, {}, {}, {}, {}, {})",
                id_opt(person.user_id),
                q(&person.name),
                q(&person.unit),
                q(att),
                q(reason),
                i32::from(person.user_id.is_none()),
            );
            self.w.people.push_after(conn, row, &mut self.w.meetings)?;
        }
        let label = crate::meetings::pages::meeting_ref(&unit.name, p.kind.code(), &p.day);
        for (n, item) in items.iter().enumerate() {
            self.item(conn, id, n as i32 + 1, item, unit.clerk, &label, held.at)?;
        }
        Ok(())
    }

    /// One agenda item, and its decision on the issue's timeline.
    #[expect(clippy::too_many_arguments, reason = "one item's parts")]
    fn item(
        &mut self,
        conn: &mut AnyConnection,
        meeting: i32,
        position: i32,
        item: &ItemRow,
        actor: Option<i32>,
        label: &str,
        began: NaiveDateTime,
    ) -> AppResult<()> {
        let issue = item.issue.map(|i| &self.issues[i]);
        let d = item.decision.as_ref();
        let row = format!(
            "({meeting}, {position}, {}, {}, {}, {}, {}, {}, FALSE, {}, {}, NULL, {}, {}, {}, {}, \
             {}, {})",
            id_opt(issue.map(|i| i.id)),
            q(&item.reasons),
            q(&item.title),
            id_opt(item.grid_id),
            item.discussed_before,
            item.age_days,
            q(d.map_or("", |d| d.discussion)),
            q(d.map_or("", |d| d.solution.as_str())),
            id_opt(d.and_then(|d| d.resp_unit)),
            q(d.map_or("", |d| d.resp_party.as_str())),
            q(d.map_or("", |d| d.resp_name.as_str())),
            d.map_or("NULL".into(), |d| format!("'{}'", d.deadline)),
            ts_opt(d.map(|d| d.at)),
            1 + u8::from(d.is_some()),
        );
        self.w.items.push_after(conn, row, &mut self.w.meetings)?;
        let (Some(issue), Some(d)) = (issue, d) else {
            return Ok(());
        };
        // As `issues::decision::apply` writes it: the meeting, the responsible, the deadline.
        let state = issue.state_at(began).code();
        let detail = format!("{label} · {} · {}", d.resp_name, d.deadline);
        let row = format!(
            "({}, {}, 'meeting', {}, {}, {}, {}, {})",
            issue.id,
            id_opt(actor),
            q(state),
            q(state),
            q(&d.solution),
            q(&detail),
            ts(d.at)
        );
        self.w.events.push(conn, row)
    }
}
