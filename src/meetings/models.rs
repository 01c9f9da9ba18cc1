//! Meeting rows: a meeting in scope with its attendees, agenda items and corrections; writing
//! them; the kept counts; and the list in scope.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{
    issues, meeting_corrections, meeting_items, meeting_people, meetings, org_units, users,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

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
    pub fn state(&self) -> super::domain::State {
        super::domain::State::parse(&self.state)
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

/// What the meeting's edit form sets.
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
    pub position: i32,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = meeting_items)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Item {
    pub id: i32,
    pub meeting_id: i32,
    pub position: i32,
    pub issue_id: Option<i32>,
    pub reasons: String,
    pub title: String,
    pub grid_id: Option<i32>,
    pub discussed_before: i32,
    pub age_days: i32,
    pub removed: bool,
    pub discussion: String,
    pub solution: String,
    pub resp_user_id: Option<i32>,
    pub resp_unit_id: Option<i32>,
    pub resp_party: String,
    pub resp_name: String,
    pub deadline: Option<NaiveDate>,
    pub decided_at: Option<NaiveDateTime>,
    pub version: i32,
}

impl Item {
    pub fn decided(&self) -> bool {
        self.decided_at.is_some()
    }
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = meeting_items)]
pub struct NewItem {
    pub meeting_id: i32,
    pub position: i32,
    pub issue_id: Option<i32>,
    pub reasons: String,
    pub title: String,
    pub grid_id: Option<i32>,
    pub discussed_before: i32,
    pub age_days: i32,
}

/// What an item's decision form sets.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = meeting_items)]
#[diesel(treat_none_as_null = true)]
pub struct Decision {
    pub discussion: String,
    pub solution: String,
    pub resp_user_id: Option<i32>,
    pub resp_unit_id: Option<i32>,
    pub resp_party: String,
    pub resp_name: String,
    pub deadline: Option<NaiveDate>,
    pub decided_at: Option<NaiveDateTime>,
}

/// A correction: who, when, why and what changed ([label, before, after] triples as JSON).
pub type CorrectionRow = (i32, Option<String>, String, String, NaiveDateTime);

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
    to: super::domain::State,
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    use super::domain::State;
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
    diesel::update(meetings::table.find(id))
        .set((
            meetings::expected.eq(people.len() as i32),
            meetings::present.eq(people.iter().filter(|a| *a == "present").count() as i32),
            meetings::items.eq(items.len() as i32),
            meetings::decided.eq(items.iter().filter(|d| d.is_some()).count() as i32),
        ))
        .execute(conn)?;
    Ok(())
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

pub fn remove_person(conn: &mut AnyConnection, meeting_id: i32, person_id: i32) -> AppResult<()> {
    diesel::delete(
        meeting_people::table
            .filter(meeting_people::meeting_id.eq(meeting_id))
            .filter(meeting_people::id.eq(person_id)),
    )
    .execute(conn)?;
    Ok(())
}

/// The agenda in order; removed items last (they are listed apart, to be put back).
pub fn items(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<Vec<Item>> {
    Ok(meeting_items::table
        .filter(meeting_items::meeting_id.eq(meeting_id))
        .order((
            meeting_items::removed,
            meeting_items::position,
            meeting_items::id,
        ))
        .select(Item::as_select())
        .load(conn)?)
}

pub fn item(conn: &mut AnyConnection, meeting_id: i32, item_id: i32) -> AppResult<Item> {
    Ok(meeting_items::table
        .filter(meeting_items::meeting_id.eq(meeting_id))
        .filter(meeting_items::id.eq(item_id))
        .select(Item::as_select())
        .first_row(conn)?)
}

pub fn add_items(conn: &mut AnyConnection, rows: &[NewItem]) -> AppResult<()> {
    for r in rows {
        diesel::insert_into(meeting_items::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}

/// The next free position at the end of the agenda.
pub fn next_position(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<i32> {
    let max: Option<i32> = meeting_items::table
        .filter(meeting_items::meeting_id.eq(meeting_id))
        .select(diesel::dsl::max(meeting_items::position))
        .first_row(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// Saves an item's decision if the item is still at `version`.
pub fn decide(
    conn: &mut AnyConnection,
    item_id: i32,
    version: i32,
    d: &Decision,
) -> AppResult<bool> {
    let n = diesel::update(
        meeting_items::table
            .filter(meeting_items::id.eq(item_id))
            .filter(meeting_items::version.eq(version)),
    )
    .set((d, meeting_items::version.eq(version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Links a free topic to the issue it became.
pub fn link_issue(conn: &mut AnyConnection, item_id: i32, issue_id: i32) -> AppResult<()> {
    diesel::update(meeting_items::table.find(item_id))
        .set((
            meeting_items::issue_id.eq(Some(issue_id)),
            meeting_items::version.eq(meeting_items::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn set_removed(conn: &mut AnyConnection, item_id: i32, removed: bool) -> AppResult<()> {
    diesel::update(meeting_items::table.find(item_id))
        .set((
            meeting_items::removed.eq(removed),
            meeting_items::version.eq(meeting_items::version + 1),
        ))
        .execute(conn)?;
    Ok(())
}

/// Renumbers the agenda in the given order (item ids), 1, 2, 3, …
pub fn reorder(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<()> {
    for (i, id) in ids.iter().enumerate() {
        diesel::update(meeting_items::table.find(*id))
            .set(meeting_items::position.eq(i as i32 + 1))
            .execute(conn)?;
    }
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

pub fn corrections(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<Vec<CorrectionRow>> {
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

/// An agenda item's issue as shown: id, number, title, state, deadline, handler unit, handler
/// party, handler user, grid id.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct IssueBrief {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
    pub deadline: Option<NaiveDateTime>,
    pub reported_at: NaiveDateTime,
    pub grid_id: i32,
}

pub fn issue_briefs(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<IssueBrief>> {
    Ok(issues::table
        .filter(issues::id.eq_any(ids))
        .select((
            issues::id,
            issues::number,
            issues::title,
            issues::state,
            issues::deadline,
            issues::reported_at,
            issues::grid_id,
        ))
        .load(conn)?)
}

/// The unit's staff invited by default: active accounts of the unit itself and of the grids
/// directly under it (grid workers report at their community's meetings). Id, name, unit name.
pub fn default_people(
    conn: &mut AnyConnection,
    unit_id: i32,
) -> AppResult<Vec<(i32, String, String)>> {
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

/// A row of the list: id, unit id, kind, state, day, start, place, chair, expected, present,
/// items, decided, corrections.
pub type ListRow = (
    i32,
    i32,
    String,
    String,
    NaiveDate,
    String,
    String,
    String,
    i32,
    i32,
    i32,
    i32,
    i32,
);

pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ListRow>> {
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
    Ok(q.order((
        meetings::day.desc(),
        meetings::scope_path.desc(),
        meetings::id.desc(),
    ))
    .offset(offset)
    .limit(limit)
    .select((
        meetings::id,
        meetings::unit_id,
        meetings::kind,
        meetings::state,
        meetings::day,
        meetings::start_time,
        meetings::place,
        meetings::chair,
        meetings::expected,
        meetings::present,
        meetings::items,
        meetings::decided,
        meetings::corrections,
    ))
    .load(conn)?)
}

/// The held or finalized meetings that had an issue on their agenda, oldest first: meeting id,
/// kind, day, item id (the issue page links to them).
pub fn of_issue(
    conn: &mut AnyConnection,
    issue_id: i32,
) -> AppResult<Vec<(i32, String, NaiveDate, i32)>> {
    Ok(meeting_items::table
        .inner_join(meetings::table)
        .filter(meeting_items::issue_id.eq(issue_id))
        .filter(meeting_items::removed.eq(false))
        .filter(meetings::state.ne(super::domain::State::Draft.code()))
        .order((meetings::day, meetings::id))
        .select((
            meetings::id,
            meetings::kind,
            meetings::day,
            meeting_items::id,
        ))
        .load(conn)?)
}
