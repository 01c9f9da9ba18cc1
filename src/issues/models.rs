//! Issue rows: reading in scope, the filtered list, the timeline and photos, numbering, and the
//! writes of a report and of each transition (with the summary kept in step).

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::domain::{State, clock_states};
use crate::auth::{CurrentUser, Role};
use crate::db::schema::{issue_categories, issue_events, issue_photos, issues, org_units, users};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

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

#[derive(Debug, Clone, Queryable)]
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
        .select((
            issue_photos::id,
            issue_photos::event_id,
            issue_photos::stage,
            issue_photos::file_key,
            issue_photos::thumb_key,
        ))
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

/// A user's name by id (for the "handled by" line and dispatch targets).
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, String)>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)?)
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

/// The list's filters, parsed. Empty strings and None mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: String,
    pub category_ids: Vec<i32>,
    /// The path of a unit in scope to narrow to.
    pub unit_path: Option<String>,
    pub source: String,
    pub overdue: bool,
    /// Inclusive UTC bounds on the report time.
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    pub q: String,
    pub todo: Option<Todo>,
    pub sort: String,
}

/// A street or more (district and street paths have fewer than three ids): thousands of issues a
/// year, where scanning by report time beats sorting the whole scope. A community's or a grid's
/// few hundred to a thousand sort faster than a scan that may find nothing.
pub fn is_wide(path: &str) -> bool {
    path.split('/').filter(|s| !s.is_empty()).count() < 3
}

/// `%`, `_` and `\` in a search term match themselves.
fn like_pattern(q: &str) -> String {
    let mut s = String::from("%");
    for c in q.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// The issues in the user's scope matching `f`, as a boxed query (one definition for the list,
/// its export and the to-do counts).
macro_rules! filtered {
    ($user:expr, $f:expr, $now:expr, $sqlite:expr) => {{
        let user: &CurrentUser = $user;
        let f: &Filter = $f;
        let sqlite: bool = $sqlite;
        let (lo, hi) = user.scope();
        // The narrowest scope asked for: a unit filter (already found inside the user's scope)
        // or the user's own.
        let path = f.unit_path.as_deref().unwrap_or(&user.org_path);
        let (plo, phi) = crate::db::subtree_range(path);
        let mut q = issues::table.into_boxed();
        // Open states are a few percent of all issues: their (state, path) index finds them
        // directly, where a walk by report time would pass most of the table.
        let rare_state = f.overdue || State::parse(&f.state).is_some_and(State::is_open);
        // PostgreSQL keeps statistics and picks between the path and the report-time index by
        // itself; hiding the path from it made it sort the whole table.
        if sqlite && f.todo.is_none() && !rare_state && super::models::is_wide(path) {
            // Newest first over a street or more: walking the reported_at index backwards and
            // filtering finds 50 rows at once, where the path range made SQLite sort every
            // issue in scope (225,000 for a district-year). `|| ''` keeps the planner off the
            // path and state indexes on both backends; todo lists are small sets that their
            // own indexes find.
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("(issues.scope_path || '') >= ")
                    .bind::<diesel::sql_types::Text, _>(plo)
                    .sql(" AND (issues.scope_path || '') < ")
                    .bind::<diesel::sql_types::Text, _>(phi),
            );
            if !f.state.is_empty() {
                q = q.filter(
                    diesel::dsl::sql::<diesel::sql_types::Bool>("(issues.state || '') = ")
                        .bind::<diesel::sql_types::Text, _>(f.state.clone()),
                );
            }
        } else {
            q = q
                .filter(issues::scope_path.ge(plo))
                .filter(issues::scope_path.lt(phi));
            if !f.state.is_empty() {
                q = q.filter(issues::state.eq(f.state.clone()));
            }
        }
        if !f.category_ids.is_empty() {
            q = q.filter(issues::category_id.eq_any(f.category_ids.clone()));
        }
        if !f.source.is_empty() {
            q = q.filter(issues::source.eq(f.source.clone()));
        }
        if f.overdue {
            q = q
                .filter(issues::state.eq_any(clock_states()))
                .filter(issues::deadline.lt($now));
        }
        if let Some(from) = f.from {
            q = q.filter(issues::reported_at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(issues::reported_at.le(to));
        }
        if !f.q.is_empty() {
            let p = like_pattern(&f.q);
            q = q.filter(
                issues::title
                    .like(p.clone())
                    .escape('\\')
                    .or(issues::description.like(p.clone()).escape('\\'))
                    .or(issues::address.like(p.clone()).escape('\\'))
                    .or(issues::number.like(p).escape('\\')),
            );
        }
        // The units a coordinator coordinates: their own and those below it.
        let coordinated = org_units::table
            .filter(org_units::path.ge(lo))
            .filter(org_units::path.lt(hi))
            .select(org_units::id);
        let coordinator = coordinates(user.role);
        if !coordinator
            && matches!(
                f.todo,
                Some(Todo::Register | Todo::Dispatch | Todo::Approve)
            )
        {
            // Nothing waits for a role that cannot take these actions.
            q = q.filter(issues::id.lt(0));
        }
        match f.todo {
            None => {}
            Some(Todo::Register) => {
                q = q
                    .filter(issues::state.eq(State::Reported.code()))
                    .filter(issues::owner_unit_id.eq_any(coordinated));
            }
            Some(Todo::Dispatch) => {
                q = q
                    .filter(
                        issues::state.eq_any([State::Registered.code(), State::Returned.code()]),
                    )
                    .filter(issues::owner_unit_id.eq_any(coordinated));
            }
            Some(Todo::Approve) => {
                q = q
                    .filter(issues::state.eq(State::Handling.code()))
                    .filter(issues::pending.ne(""))
                    .filter(issues::pending_by.ne(Some(user.id)))
                    .filter(issues::owner_unit_id.eq_any(coordinated));
            }
            Some(Todo::Handle) => {
                let mine = issues::handler_user_id.eq(Some(user.id));
                q = q
                    .filter(
                        issues::state.eq_any([State::Dispatched.code(), State::Handling.code()]),
                    )
                    .filter(issues::pending.eq(""));
                if coordinator {
                    let my_unit = issues::handler_unit_id.eq(Some(user.org_unit_id));
                    let on_behalf = issues::handler_party
                        .ne("")
                        .and(issues::owner_unit_id.eq_any(coordinated));
                    q = q.filter(mine.or(my_unit).or(on_behalf));
                } else {
                    q = q.filter(mine);
                }
            }
            Some(Todo::Verify) => {
                q = q
                    .filter(issues::state.eq(State::Handled.code()))
                    .filter(issues::handled_by.ne(Some(user.id)));
                if user.role == Role::BranchSecretary {
                    q = q.filter(issues::id.lt(0));
                }
            }
        }
        q
    }};
}

/// A row of the issue list.
#[derive(Debug, Clone, Queryable)]
pub struct ListRow {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
    pub urgency: String,
    pub source: String,
    pub pending: String,
    pub category_id: i32,
    pub grid_id: i32,
    pub address: String,
    pub reported_at: NaiveDateTime,
    pub deadline: Option<NaiveDateTime>,
    pub closed_at: Option<NaiveDateTime>,
}

pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    now: NaiveDateTime,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ListRow>> {
    let q = filtered!(user, f, now, matches!(conn, AnyConnection::Sqlite(_)));
    let q = match f.sort.as_str() {
        "oldest" => q.order((issues::reported_at.asc(), issues::id.asc())),
        "deadline" => q.order((issues::deadline.asc(), issues::id.asc())),
        "number" => q.order(issues::number.asc()),
        _ => q.order((issues::reported_at.desc(), issues::id.desc())),
    };
    Ok(q.offset(offset)
        .limit(limit)
        .select((
            issues::id,
            issues::number,
            issues::title,
            issues::state,
            issues::urgency,
            issues::source,
            issues::pending,
            issues::category_id,
            issues::grid_id,
            issues::address,
            issues::reported_at,
            issues::deadline,
            issues::closed_at,
        ))
        .load(conn)?)
}

pub fn count(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    now: NaiveDateTime,
) -> AppResult<i64> {
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    Ok(filtered!(user, f, now, sqlite).count().get_result(conn)?)
}

/// The user's to-do counts, in [`TODOS`] order.
pub fn todo_counts(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    now: NaiveDateTime,
) -> AppResult<Vec<(Todo, i64)>> {
    let mut out = Vec::new();
    for t in TODOS {
        if !coordinates(user.role) && matches!(t, Todo::Register | Todo::Dispatch | Todo::Approve) {
            continue;
        }
        let f = Filter {
            todo: Some(t),
            ..Default::default()
        };
        out.push((t, count(conn, user, &f, now)?));
    }
    Ok(out)
}

/// The to-do counts of each user, kept until an issue changes. Every change to any issue adds a
/// timeline entry, so the newest entry's id is a change stamp that one index lookup reads — on
/// every app server, since it comes from the shared database. Pages then skip the five counts
/// (tens of milliseconds over a district's year for a district admin) until something changes.
/// One per worker, registered as app data by `issues::routes` (read it as
/// `web::Data<TodoCache>`).
#[derive(Default)]
pub struct TodoCache {
    entries: std::sync::Mutex<HashMap<TodoKey, TodoEntry>>,
}

/// (user, org unit, role).
type TodoKey = (i32, i32, &'static str);
/// (change stamp, counts).
type TodoEntry = (Option<i32>, Vec<(Todo, i64)>);

impl TodoCache {
    pub fn counts(
        &self,
        conn: &mut AnyConnection,
        user: &CurrentUser,
        now: NaiveDateTime,
    ) -> AppResult<Vec<(Todo, i64)>> {
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

/// Names of org units by id (grids of a list page, dispatch targets).
pub fn unit_names(
    conn: &mut AnyConnection,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<std::collections::HashMap<i32, String>> {
    // Lists name the same few units on many rows: ask for each once (an export's 100,000 rows
    // would also exceed SQLite's bound-variable limit).
    let ids: std::collections::BTreeSet<i32> = ids.into_iter().collect();
    let rows: Vec<(i32, String)> = org_units::table
        .filter(org_units::id.eq_any(ids))
        .select((org_units::id, org_units::name))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Users a coordinator can dispatch to: active staff in the coordinating unit's subtree.
pub fn dispatch_users(
    conn: &mut AnyConnection,
    owner_path: &str,
) -> AppResult<Vec<(i32, String, String)>> {
    let (lo, hi) = crate::db::subtree_range(owner_path);
    Ok(users::table
        .inner_join(org_units::table)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(users::active.eq(true))
        .filter(users::role.ne("branch_secretary"))
        .order((org_units::path, users::display_name))
        .limit(500)
        .select((users::id, users::display_name, org_units::name))
        .load(conn)?)
}

/// The active minor categories: (id, parent_id, name, limit_value, limit_unit).
pub type CategoryRow = (i32, Option<i32>, String, i32, String, bool);

pub fn categories(conn: &mut AnyConnection) -> AppResult<Vec<CategoryRow>> {
    Ok(issue_categories::table
        .order((issue_categories::sort_order, issue_categories::id))
        .select((
            issue_categories::id,
            issue_categories::parent_id,
            issue_categories::name,
            issue_categories::limit_value,
            issue_categories::limit_unit,
            issue_categories::active,
        ))
        .load(conn)?)
}
