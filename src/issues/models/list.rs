//! The issue list's one query: the filters in the user's scope, as a boxed query shared by the
//! list page, its export and the to-do counts, with the SQLite plan chosen in Rust.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{Todo, coordinates};
use crate::auth::{CurrentUser, Role};
use crate::calendar::domain::WorkCalendar;
use crate::db::AnyConnection;
use crate::db::CountUpto;
use crate::db::schema::{issue_urges, issues, org_units};
use crate::error::AppResult;
use crate::issues::domain::{OPEN, State, clock_states, open_states};

/// The list's filters, parsed. Empty strings and None mean "any".
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub state: String,
    pub category_ids: Vec<i32>,
    /// The path of a unit in scope to narrow to.
    pub unit_path: Option<String>,
    pub source: String,
    pub overdue: bool,
    /// 督办中: open and urged at least once.
    pub urged: bool,
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

/// `q` as one FTS5 phrase (quotes doubled): with the trigram tokenizer, the rows holding `q`
/// anywhere, as LIKE '%q%' would find them (any wildcard in `q` is a plain character).
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
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
        let rare_state = f.overdue
            || f.urged
            || f.state == OPEN
            || State::parse(&f.state).is_some_and(State::is_open);
        // PostgreSQL keeps statistics and picks between the path and the report-time index by
        // itself; hiding the path from it made it sort the whole table.
        if sqlite && f.todo.is_none() && !rare_state && is_wide(path) {
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
            if f.state == OPEN {
                q = q.filter(issues::state.eq_any(open_states()));
            } else if !f.state.is_empty() {
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
        if f.urged {
            q = q
                .filter(issues::state.eq_any(open_states()))
                .filter(issues::id.eq_any(issue_urges::table.select(issue_urges::issue_id)));
        }
        if let Some(from) = f.from {
            q = q.filter(issues::reported_at.ge(from));
        }
        if let Some(to) = f.to {
            q = q.filter(issues::reported_at.le(to));
        }
        if sqlite && f.q.chars().count() >= 3 {
            // The trigram index (migration 2026-12-02-000002_search) finds the same rows as
            // the LIKE below without reading every issue in scope.
            q = q.filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>(
                    "issues.id IN (SELECT rowid FROM issue_search WHERE issue_search MATCH ",
                )
                .bind::<diesel::sql_types::Text, _>(fts_phrase(&f.q))
                .sql(")"),
            );
        } else if !f.q.is_empty() {
            // PostgreSQL's trigram index serves this LIKE; on SQLite, a term of one or two
            // characters is shorter than a trigram and is read row by row.
            let p = crate::db::like_pattern(&f.q);
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
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issues)]
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
        .select(ListRow::as_select())
        .load(conn)?)
}

/// The work calendar over the days `rows`' passed deadlines reach, for their lateness in working
/// days (the rows' deadlines to `now`, local; nothing read when none has passed).
pub fn late_calendar(
    conn: &mut AnyConnection,
    rows: &[ListRow],
    tz: chrono_tz::Tz,
    now: NaiveDateTime,
) -> AppResult<WorkCalendar> {
    let local = |t: NaiveDateTime| t.and_utc().with_timezone(&tz).date_naive();
    match rows
        .iter()
        .filter_map(|r| r.deadline)
        .filter(|d| *d < now)
        .min()
    {
        Some(oldest) => crate::calendar::models::load(
            conn,
            local(oldest) - chrono::Duration::days(1),
            local(now),
        ),
        None => Ok(WorkCalendar::default()),
    }
}

/// The list's issues, counted up to `cap + 1` (`web::list::Count`).
pub fn count_upto(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    now: NaiveDateTime,
    cap: i64,
) -> AppResult<i64> {
    // No order to serve: the path index is what a bounded count wants. Kept off it (the list's
    // SQLite hint), the count scanned the table until 1,001 of a street's issues had passed —
    // 10.8 ms against 0.9 ms through the index, for a street of a district-year.
    Ok(filtered!(user, f, now, false)
        .select(issues::id)
        .count_upto(conn, cap)?)
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

/// The paths of the overdue issues in the user's scope (the list's `overdue=1`), for counting
/// them by the unit below (the cockpit).
pub fn overdue_paths(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    now: NaiveDateTime,
) -> AppResult<Vec<String>> {
    let f = Filter {
        overdue: true,
        ..Filter::default()
    };
    let sqlite = matches!(conn, AnyConnection::Sqlite(_));
    Ok(filtered!(user, &f, now, sqlite)
        .select(issues::scope_path)
        .load(conn)?)
}
