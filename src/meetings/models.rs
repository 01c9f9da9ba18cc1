//! The SQL of a meeting: the meeting in scope with its attendees, agenda items and corrections;
//! creating it, its record, its state steps and its items' decisions (each one transaction);
//! the kept counts; and the list in scope. The agenda's drafting and editing SQL is in
//! `agenda::models`, the week's in `week::models`.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::agenda::models as agenda;
use super::domain::State;
use super::forms;
use super::record::models::{self as record, NewPerson, Staff};
use crate::attendance::Attendance;
use crate::auth::CurrentUser;
use crate::db::CountUpto;
use crate::db::schema::{
    issues, meeting_corrections, meeting_items, meeting_people, meetings, users,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::issues::workflow::Clock;
use crate::org::models::UnitOption;
use crate::web::crumbs::Crumb;
use crate::web::list::{Listing, Resolved};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = meetings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Meeting {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub kind: String,
    pub state: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub minutes: String,
    pub since: NaiveDateTime,
    pub expected: i32,
    pub present: i32,
    pub items: i32,
    pub decided: i32,
    pub corrections: i32,
    pub created_by: Option<i32>,
    pub finalized_by: Option<i32>,
    pub held_at: Option<NaiveDateTime>,
    pub finalized_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Meeting {
    pub fn state(&self) -> State {
        State::parse(&self.state)
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meetings)]
pub struct NewMeeting {
    pub unit_id: i32,
    pub scope_path: String,
    pub kind: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub chair: String,
    pub recorder: String,
    pub since: NaiveDateTime,
    pub created_by: Option<i32>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A correction: who, when, why and what changed ([label, before, after] triples as JSON).
#[derive(Debug, Clone, Queryable)]
pub struct Correction {
    pub id: i32,
    pub who: Option<String>,
    pub reason: String,
    pub changes: String,
    pub at: NaiveDateTime,
}

/// An agenda item's issue as shown.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = issues)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct IssueBrief {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
    pub deadline: Option<NaiveDateTime>,
    pub reported_at: NaiveDateTime,
    pub grid_id: i32,
}

/// Everything a meeting's page (and its sheet) shows, read in one blocking call.
pub struct Loaded {
    pub m: Meeting,
    pub unit_name: String,
    pub crumbs: Vec<Crumb>,
    pub people: Vec<record::Person>,
    pub items: Vec<agenda::Item>,
    pub issues: HashMap<i32, IssueBrief>,
    pub grids: HashMap<i32, String>,
    pub corrections: Vec<Correction>,
}

/// A meeting in the user's scope with its attendees, agenda (issues and grids by id) and
/// corrections.
pub fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let m = get_scoped(conn, user, id)?;
    // Where it sits (street › community, its unit last), in one query with the unit's name.
    let crumbs = crate::org::crumbs_for(conn, user, &m.scope_path)?;
    let unit_name = crumbs.last().map(|c| c.label.clone()).unwrap_or_default();
    let items = agenda::items(conn, id)?;
    let issue_ids: Vec<i32> = items.iter().filter_map(|i| i.issue_id).collect();
    let issues = issue_briefs(conn, &issue_ids)?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let grids = crate::issues::models::unit_names(conn, items.iter().filter_map(|i| i.grid_id))?;
    Ok(Loaded {
        unit_name,
        crumbs,
        people: record::people(conn, id)?,
        items,
        issues,
        grids,
        corrections: corrections(conn, id)?,
        m,
    })
}

/// A meeting by id, if its unit lies in the user's scope.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Meeting> {
    let m = get(conn, id)?;
    if user.sees(&m.scope_path) {
        Ok(m)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Meeting> {
    Ok(meetings::table
        .find(id)
        .select(Meeting::as_select())
        .first_row(conn)?)
}

pub fn insert(conn: &mut AnyConnection, new: &NewMeeting) -> AppResult<i32> {
    Ok(diesel::insert_into(meetings::table)
        .values(new)
        .returning(meetings::id)
        .get_result(conn)?)
}

/// Bumps the meeting's version (an agenda or attendance change), so an edit form opened before
/// it is refused as stale rather than overwriting it.
pub fn touch(conn: &mut AnyConnection, id: i32, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(meetings::table.find(id))
        .set((
            meetings::version.eq(meetings::version + 1),
            meetings::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves the meeting to `to` (held or final) if it is still at `version`.
pub fn set_state(
    conn: &mut AnyConnection,
    m: &Meeting,
    to: State,
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let q = meetings::table
        .filter(meetings::id.eq(m.id))
        .filter(meetings::version.eq(m.version));
    let common = (
        meetings::state.eq(to.code()),
        meetings::version.eq(m.version + 1),
        meetings::updated_at.eq(now),
    );
    let n = match to {
        State::Held => diesel::update(q)
            .set((common, meetings::held_at.eq(Some(now))))
            .execute(conn)?,
        State::Final => diesel::update(q)
            .set((
                common,
                meetings::finalized_at.eq(Some(now)),
                meetings::finalized_by.eq(Some(user_id)),
            ))
            .execute(conn)?,
        State::Draft => 0,
    };
    Ok(n == 1)
}

/// Keeps the meeting's counts (attendees, items, decisions) in step with its rows.
pub fn refresh_counts(conn: &mut AnyConnection, id: i32) -> AppResult<()> {
    let people: Vec<String> = meeting_people::table
        .filter(meeting_people::meeting_id.eq(id))
        .select(meeting_people::attendance)
        .load(conn)?;
    let items: Vec<Option<NaiveDateTime>> = meeting_items::table
        .filter(meeting_items::meeting_id.eq(id))
        .filter(meeting_items::removed.eq(false))
        .select(meeting_items::decided_at)
        .load(conn)?;
    let present = Attendance::Present.code();
    diesel::update(meetings::table.find(id))
        .set((
            meetings::expected.eq(people.len() as i32),
            meetings::present.eq(people.iter().filter(|a| *a == present).count() as i32),
            meetings::items.eq(items.len() as i32),
            meetings::decided.eq(items.iter().filter(|d| d.is_some()).count() as i32),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn add_correction(
    conn: &mut AnyConnection,
    meeting_id: i32,
    actor_id: i32,
    reason: &str,
    changes: &str,
) -> AppResult<()> {
    diesel::insert_into(meeting_corrections::table)
        .values((
            meeting_corrections::meeting_id.eq(meeting_id),
            meeting_corrections::actor_id.eq(Some(actor_id)),
            meeting_corrections::reason.eq(reason),
            meeting_corrections::changes.eq(changes),
            meeting_corrections::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    diesel::update(meetings::table.find(meeting_id))
        .set((
            meetings::corrections.eq(meetings::corrections + 1),
            meetings::version.eq(meetings::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn corrections(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<Vec<Correction>> {
    Ok(meeting_corrections::table
        .left_join(users::table.on(users::id.nullable().eq(meeting_corrections::actor_id)))
        .filter(meeting_corrections::meeting_id.eq(meeting_id))
        .order(meeting_corrections::id)
        .select((
            meeting_corrections::id,
            users::display_name.nullable(),
            meeting_corrections::reason,
            meeting_corrections::changes,
            meeting_corrections::created_at,
        ))
        .load(conn)?)
}

pub fn issue_briefs(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<IssueBrief>> {
    Ok(issues::table
        .filter(issues::id.eq_any(ids))
        .select(IssueBrief::as_select())
        .load(conn)?)
}

/// Units the user may hold a meeting for: non-grid units in scope, in tree order.
pub fn meeting_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<UnitOption>> {
    Ok(crate::org::models::unit_options(conn, user, false)?
        .into_iter()
        .filter(|u| super::domain::holds_meetings(&u.kind))
        .collect())
}

/// Creates the meeting with the staff invited and the guests, and drafts its agenda; returns its
/// id and how many drafted lines the agenda's cap left out.
pub fn create(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    new: &forms::NewMeeting,
    staff: &[Staff],
    clock: &Clock,
) -> AppResult<(i32, usize)> {
    let unit = crate::org::models::get_scoped(conn, user, new.unit_id)?;
    let since = agenda::since(conn, unit.id, new.kind, new.day, None, clock)?;
    let id = insert(
        conn,
        &NewMeeting {
            unit_id: unit.id,
            scope_path: unit.path.clone(),
            kind: new.kind.code().into(),
            day: new.day,
            start_time: new.start_time.clone(),
            end_time: new.end_time.clone(),
            place: new.place.clone(),
            chair: new.chair.clone(),
            recorder: new.recorder.clone(),
            since,
            created_by: Some(user.id),
            created_at: clock.now,
            updated_at: clock.now,
        },
    )?;
    let mut people: Vec<NewPerson> = staff
        .iter()
        .filter(|s| new.invite.contains(&s.user_id))
        .map(|s| NewPerson::staff(id, s))
        .collect();
    people.extend(
        new.guests
            .iter()
            .map(|g| NewPerson::guest(id, g, Attendance::Expected)),
    );
    record::add_people(conn, &people)?;
    let m = get(conn, id)?;
    let (_, left) = agenda::draft_into(conn, &m, &unit, clock)?;
    refresh_counts(conn, id)?;
    let summary = format!("{} {} {}", unit.name, new.kind.code(), new.day);
    crate::audit::created(
        conn,
        &user.actor(),
        "meeting",
        id,
        &summary,
        new,
        &unit.path,
    )?;
    Ok((id, left))
}

/// Steps the meeting to `to` if that is its next state and it is still at `version`; None when
/// someone moved it first (or the form was forged). Only those who record it may.
pub fn advance(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    to: &str,
    version: i32,
    now: NaiveDateTime,
) -> AppResult<Option<State>> {
    let m = get_scoped(conn, user, id)?;
    if !super::domain::may_record(user, &m.scope_path) {
        return Err(AppError::Forbidden);
    }
    let Some(next) = m.state().next().filter(|n| n.code() == to) else {
        return Ok(None);
    };
    if version != m.version || !set_state(conn, &m, next, user.id, now)? {
        return Ok(None);
    }
    crate::audit::record(
        conn,
        &user.actor(),
        &format!("meeting_{}", next.code()),
        "meeting",
        Some(id),
        &format!("{} {}", m.kind, m.day),
        Some(&serde_json::json!({"state": m.state})),
        Some(&serde_json::json!({"state": next.code()})),
        &m.scope_path,
    )?;
    Ok(Some(next))
}

/// Filters of the meeting list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A unit in scope: its meetings and those of the units below it.
    pub unit_path: Option<String>,
    pub kind: Option<String>,
    pub state: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A row of the list (and of its export).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct ListRow {
    pub id: i32,
    pub unit_id: i32,
    pub kind: String,
    pub state: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub place: String,
    pub chair: String,
    pub expected: i32,
    pub present: i32,
    pub items: i32,
    pub decided: i32,
    pub corrections: i32,
}

/// The list's filter through the list kit: the unit in the user's scope (outside: 404).
impl Listing for forms::ListQuery {
    type Filter = Filter;
    fn filter(&self, conn: &mut AnyConnection, user: &CurrentUser) -> Resolved<Filter> {
        let (mut f, errors) = self.parse();
        f.unit_path = crate::org::models::unit_filter(conn, user, &self.unit)?;
        Ok((f, errors))
    }
}

/// The list's meetings of `f` in `user`'s scope, unordered.
fn filtered(
    user: &CurrentUser,
    f: &Filter,
) -> meetings::BoxedQuery<'static, crate::db::MultiBackend> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = meetings::table
        .filter(meetings::scope_path.ge(lo))
        .filter(meetings::scope_path.lt(hi))
        .into_boxed();
    if let Some(k) = &f.kind {
        q = q.filter(meetings::kind.eq(k.clone()));
    }
    if let Some(s) = &f.state {
        q = q.filter(meetings::state.eq(s.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(meetings::day.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(meetings::day.le(d));
    }
    q
}

/// The list's meetings, counted up to `cap + 1` (`web::list::Count`).
pub fn count(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter, cap: i64) -> AppResult<i64> {
    Ok(filtered(user, f)
        .select(meetings::id)
        .count_upto(conn, cap)?)
}

pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ListRow>> {
    Ok(filtered(user, f)
        .order((
            meetings::day.desc(),
            meetings::scope_path.desc(),
            meetings::id.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(ListRow::as_select())
        .load(conn)?)
}

/// A meeting that discussed an issue, as the issue's page links to it (`#item-{item_id}`).
#[derive(Debug, Clone, Queryable)]
pub struct IssueMeeting {
    pub id: i32,
    pub kind: String,
    pub day: NaiveDate,
    /// The issue's item on that meeting's agenda.
    pub item_id: i32,
}

/// The held or finalized meetings that had an issue on their agenda, oldest first.
pub fn of_issue(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Vec<IssueMeeting>> {
    Ok(meeting_items::table
        .inner_join(meetings::table)
        .filter(meeting_items::issue_id.eq(issue_id))
        .filter(meeting_items::removed.eq(false))
        .filter(meetings::state.ne(State::Draft.code()))
        .order((meetings::day, meetings::id))
        .select((
            meetings::id,
            meetings::kind,
            meetings::day,
            meeting_items::id,
        ))
        .load(conn)?)
}
