//! All the SQL of issues: rows read in scope, numbering, the writes of a report and of each
//! transition, the timeline and photos, the to-do counts. The list's filtered query
//! (`models/list.rs`), the issue page's reads (`models/detail.rs`) and the names and choices
//! around issues (`models/lookups.rs`: categories, units, dispatch targets) sit below this file.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::domain::State;
use crate::auth::{CurrentUser, Role};
use crate::db::schema::{issue_events, issue_photos, issues, users};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

mod detail;
mod list;
mod lookups;

pub use super::urge::models::open_urged_count;
pub use detail::{IssueDetail, detail, photo};
pub use list::{Filter, ListRow, count, count_upto, is_wide, late_calendar, list, overdue_paths};
pub use lookups::{
    CategoryRow, DispatchUser, UnitName, categories, category_names, dispatch_staff,
    dispatch_units, unit_names, user_names,
};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = issues)]
pub struct Issue {
    pub id: i32,
    pub number: String,
    pub grid_id: i32,
    pub scope_path: String,
    pub owner_unit_id: i32,
    pub category_id: i32,
    pub source: String,
    pub urgency: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub people: String,
    pub state: String,
    pub reporter_id: i32,
    pub dispatcher_id: Option<i32>,
    pub handler_user_id: Option<i32>,
    pub handler_unit_id: Option<i32>,
    pub handler_party: String,
    pub handled_by: Option<i32>,
    pub pending: String,
    pub pending_days: i32,
    pub pending_by: Option<i32>,
    pub reported_at: NaiveDateTime,
    pub registered_at: Option<NaiveDateTime>,
    pub dispatched_at: Option<NaiveDateTime>,
    pub handled_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub deadline: Option<NaiveDateTime>,
    pub extension_days: i32,
    pub rework_count: i32,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

impl Issue {
    pub fn state(&self) -> State {
        State::parse(&self.state).unwrap_or(State::Reported)
    }

    /// 按期: handled (the last time) by the deadline, which includes approved extensions.
    pub fn on_time(&self) -> bool {
        match (self.handled_at, self.deadline) {
            (Some(h), Some(d)) => h <= d,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// Open with its clock running past the deadline.
    pub fn overdue(&self, now: NaiveDateTime) -> bool {
        self.state().clock_runs() && self.deadline.is_some_and(|d| d < now)
    }
}

/// Every column a new issue sets.
#[derive(Debug, Clone, Insertable, Serialize)]
#[diesel(table_name = issues)]
pub struct NewIssue {
    pub number: String,
    pub grid_id: i32,
    pub scope_path: String,
    pub owner_unit_id: i32,
    pub category_id: i32,
    pub source: String,
    pub urgency: String,
    pub title: String,
    pub description: String,
    pub address: String,
    pub people: String,
    pub state: String,
    pub reporter_id: i32,
    pub reported_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns a transition may change.
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = issues, treat_none_as_null = true)]
pub struct IssueChange {
    pub state: String,
    pub category_id: i32,
    pub owner_unit_id: i32,
    pub dispatcher_id: Option<i32>,
    pub handler_user_id: Option<i32>,
    pub handler_unit_id: Option<i32>,
    pub handler_party: String,
    pub handled_by: Option<i32>,
    pub pending: String,
    pub pending_days: i32,
    pub pending_by: Option<i32>,
    pub registered_at: Option<NaiveDateTime>,
    pub dispatched_at: Option<NaiveDateTime>,
    pub handled_at: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
    pub deadline: Option<NaiveDateTime>,
    pub extension_days: i32,
    pub rework_count: i32,
    pub updated_at: NaiveDateTime,
}

impl IssueChange {
    pub fn from_issue(i: &Issue) -> IssueChange {
        IssueChange {
            state: i.state.clone(),
            category_id: i.category_id,
            owner_unit_id: i.owner_unit_id,
            dispatcher_id: i.dispatcher_id,
            handler_user_id: i.handler_user_id,
            handler_unit_id: i.handler_unit_id,
            handler_party: i.handler_party.clone(),
            handled_by: i.handled_by,
            pending: i.pending.clone(),
            pending_days: i.pending_days,
            pending_by: i.pending_by,
            registered_at: i.registered_at,
            dispatched_at: i.dispatched_at,
            handled_at: i.handled_at,
            closed_at: i.closed_at,
            deadline: i.deadline,
            extension_days: i.extension_days,
            rework_count: i.rework_count,
            updated_at: i.updated_at,
        }
    }
}

/// The issue if it lies in the user's scope; 404 otherwise.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Issue> {
    let (lo, hi) = user.scope();
    issues::table
        .find(id)
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select(Issue::as_select())
        .first_row(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}

/// The id of the issue numbered `number` exactly, if it lies in the user's scope.
pub fn scoped_id_by_number(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    number: &str,
) -> AppResult<Option<i32>> {
    let (lo, hi) = user.scope();
    Ok(issues::table
        .filter(issues::number.eq(number))
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select(issues::id)
        .first_row(conn)
        .optional()?)
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Issue> {
    Ok(issues::table
        .find(id)
        .select(Issue::as_select())
        .first_row(conn)?)
}

pub fn all(conn: &mut AnyConnection) -> AppResult<Vec<Issue>> {
    Ok(issues::table.select(Issue::as_select()).load(conn)?)
}

/// Writes a transition's changes if the row still has `version`; false when someone else
/// changed it first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    change: &IssueChange,
) -> AppResult<bool> {
    let n = diesel::update(
        issues::table
            .filter(issues::id.eq(id))
            .filter(issues::version.eq(version)),
    )
    .set((change, issues::version.eq(version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn insert(conn: &mut AnyConnection, new: &NewIssue) -> AppResult<i32> {
    Ok(diesel::insert_into(issues::table)
        .values(new)
        .returning(issues::id)
        .get_result(conn)?)
}

#[derive(QueryableByName)]
struct Seq {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    last_value: i32,
}

/// The next number in a street's yearly sequence, race-free on both backends (one statement).
pub fn next_seq(conn: &mut AnyConnection, prefix: &str, year: i32) -> AppResult<i32> {
    use diesel::sql_types::{Integer, Text};
    let row: Seq = diesel::sql_query(
        "INSERT INTO issue_counters (prefix, year, last_value) VALUES ($1, $2, 1) \
         ON CONFLICT (prefix, year) DO UPDATE SET last_value = issue_counters.last_value + 1 \
         RETURNING last_value",
    )
    .bind::<Text, _>(prefix)
    .bind::<Integer, _>(year)
    .get_result(conn)?;
    Ok(row.last_value)
}

/// One timeline entry to write.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = issue_events)]
pub struct NewEvent {
    pub issue_id: i32,
    pub actor_id: Option<i32>,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
}

pub fn add_event(conn: &mut AnyConnection, e: &NewEvent) -> AppResult<i32> {
    Ok(diesel::insert_into(issue_events::table)
        .values(e)
        .returning(issue_events::id)
        .get_result(conn)?)
}

#[derive(Debug, Clone, Queryable)]
pub struct EventRow {
    pub id: i32,
    pub action: String,
    pub from_state: String,
    pub to_state: String,
    pub note: String,
    pub detail: String,
    pub created_at: NaiveDateTime,
    pub actor: Option<String>,
}

pub fn events(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Vec<EventRow>> {
    Ok(issue_events::table
        .left_join(users::table.on(users::id.nullable().eq(issue_events::actor_id)))
        .filter(issue_events::issue_id.eq(issue_id))
        .order(issue_events::id)
        .select((
            issue_events::id,
            issue_events::action,
            issue_events::from_state,
            issue_events::to_state,
            issue_events::note,
            issue_events::detail,
            issue_events::created_at,
            users::display_name.nullable(),
        ))
        .load(conn)?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issue_photos)]
pub struct PhotoRow {
    pub id: i32,
    pub event_id: Option<i32>,
    pub stage: String,
    pub file_key: String,
    pub thumb_key: String,
}

pub fn photos(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Vec<PhotoRow>> {
    Ok(issue_photos::table
        .filter(issue_photos::issue_id.eq(issue_id))
        .order(issue_photos::id)
        .select(PhotoRow::as_select())
        .load(conn)?)
}

pub fn add_photo(
    conn: &mut AnyConnection,
    issue_id: i32,
    event_id: i32,
    stage: &str,
    keys: &(String, String),
    user_id: i32,
) -> AppResult<()> {
    diesel::insert_into(issue_photos::table)
        .values((
            issue_photos::issue_id.eq(issue_id),
            issue_photos::event_id.eq(Some(event_id)),
            issue_photos::stage.eq(stage),
            issue_photos::file_key.eq(&keys.0),
            issue_photos::thumb_key.eq(&keys.1),
            issue_photos::uploaded_by.eq(Some(user_id)),
            issue_photos::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// What waits for a user (我的待办).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Todo {
    Register,
    Dispatch,
    Handle,
    Approve,
    Verify,
}

pub const TODOS: [Todo; 5] = [
    Todo::Register,
    Todo::Dispatch,
    Todo::Handle,
    Todo::Approve,
    Todo::Verify,
];

impl Todo {
    pub fn code(self) -> &'static str {
        match self {
            Todo::Register => "register",
            Todo::Dispatch => "dispatch",
            Todo::Handle => "handle",
            Todo::Approve => "approve",
            Todo::Verify => "verify",
        }
    }

    pub fn parse(code: &str) -> Option<Todo> {
        TODOS.into_iter().find(|t| t.code() == code)
    }
}

/// Roles that coordinate issues (register, dispatch, approve) at their level.
pub fn coordinates(role: Role) -> bool {
    role.is_office_staff()
}

/// The user's to-do counts, in [`TODOS`] order, each with how many of them are urged (督办).
pub fn todo_counts(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    now: NaiveDateTime,
) -> AppResult<Vec<TodoCount>> {
    let mut out = Vec::new();
    for t in TODOS {
        if !coordinates(user.role) && matches!(t, Todo::Register | Todo::Dispatch | Todo::Approve) {
            continue;
        }
        let mut f = Filter {
            todo: Some(t),
            ..Default::default()
        };
        let n = count(conn, user, &f, now)?;
        f.urged = true;
        let urged = if n > 0 {
            count(conn, user, &f, now)?
        } else {
            0
        };
        out.push((t, n, urged));
    }
    Ok(out)
}

/// The to-do counts of each user, kept until an issue changes. Every change to any issue adds a
/// timeline entry, so the newest entry's id is a change stamp that one index lookup reads — on
/// every app server, since it comes from the shared database. Pages then skip the five counts
/// (tens of milliseconds over a district's year for a district admin) until something changes.
/// One per server, shared by its workers (made in `startup::build`, registered as app data by
/// `issues::routes`: read it as `web::Data<TodoCache>`).
#[derive(Default)]
pub struct TodoCache {
    entries: std::sync::Mutex<HashMap<TodoKey, TodoEntry>>,
}

/// (user, org unit, role).
type TodoKey = (i32, i32, &'static str);
/// A to-do, how many wait, and how many of those are urged (督办).
pub type TodoCount = (Todo, i64, i64);
/// (change stamp, counts).
type TodoEntry = (Option<i32>, Vec<TodoCount>);

impl TodoCache {
    /// The user's to-do counts.
    pub fn counts(
        &self,
        conn: &mut AnyConnection,
        user: &CurrentUser,
        now: NaiveDateTime,
    ) -> AppResult<Vec<(Todo, i64)>> {
        let all = self.with_urged(conn, user, now)?;
        Ok(all.into_iter().map(|(t, n, _)| (t, n)).collect())
    }

    /// The user's to-do counts with their urged counts. A 督办 writes a timeline entry, so it
    /// moves the change stamp like any step.
    pub fn with_urged(
        &self,
        conn: &mut AnyConnection,
        user: &CurrentUser,
        now: NaiveDateTime,
    ) -> AppResult<Vec<TodoCount>> {
        let stamp: Option<i32> = issue_events::table
            .select(diesel::dsl::max(issue_events::id))
            .get_result(conn)?;
        // The unit and role are part of the key: an account moved or given another role counts
        // afresh.
        let key = (user.id, user.org_unit_id, user.role.code());
        if let Ok(map) = self.entries.lock()
            && let Some((s, counts)) = map.get(&key)
            && *s == stamp
        {
            return Ok(counts.clone());
        }
        let counts = todo_counts(conn, user, now)?;
        if let Ok(mut map) = self.entries.lock() {
            map.insert(key, (stamp, counts.clone()));
        }
        Ok(counts)
    }
}

/// The navigation's badge beside "issues": the sum of the user's to-do counts, read through the
/// same cache (registered in `issues::routes`).
impl crate::web::ctx::NavBadge for TodoCache {
    fn href(&self) -> &'static str {
        "/issues"
    }

    fn count(&self, conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<i64> {
        Ok(self
            .counts(conn, user, crate::db::now())?
            .iter()
            .map(|(_, n)| n)
            .sum())
    }
}
