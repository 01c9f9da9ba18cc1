//! The SQL of 督办: the urge rows (`issue_urges`), their counts, the open urged issues under a
//! path (the agenda's 领导督办 lines, the cockpit's count) and the write of one urge with its
//! timeline entry, the deadline it moves and its audit row.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;

use super::domain;
use super::forms::Urge;
use crate::audit;
use crate::auth::CurrentUser;
use crate::db::schema::{issue_urges, issues};
use crate::db::{AnyConnection, MultiBackend};
use crate::error::{AppError, AppResult};
use crate::issues::domain::open_states;
use crate::issues::models::{self as issue_models, Issue, IssueChange, NewEvent};
use crate::issues::workflow::Clock;

/// How many times issue `id` was urged.
pub fn count_of(conn: &mut AnyConnection, issue_id: i32) -> AppResult<i64> {
    Ok(issue_urges::table
        .filter(issue_urges::issue_id.eq(issue_id))
        .count()
        .get_result(conn)?)
}

/// How many times each of `ids` was urged (those never urged are absent).
pub fn counts(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<HashMap<i32, i64>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i32, i64)> = issue_urges::table
            .filter(issue_urges::issue_id.eq_any(chunk))
            .group_by(issue_urges::issue_id)
            .select((issue_urges::issue_id, diesel::dsl::count_star()))
            .load(conn)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The open issues under `path` urged at least once (督办中).
fn open_urged<'a>(path: &str) -> issues::BoxedQuery<'a, MultiBackend> {
    let (lo, hi) = crate::db::subtree_range(path);
    issues::table
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .filter(issues::state.eq_any(open_states()))
        .filter(issues::id.eq_any(issue_urges::table.select(issue_urges::issue_id)))
        .into_boxed()
}

/// The ids of the open urged issues under `path` (the agenda drafts them in as 领导督办).
pub fn open_urged_ids(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<i32>> {
    Ok(open_urged(path).select(issues::id).load(conn)?)
}

/// How many open issues under `org_path` are urged (督办中): the cockpit's tile, written once.
pub fn open_urged_count(conn: &mut AnyConnection, org_path: &str) -> AppResult<i64> {
    Ok(open_urged(org_path).count().get_result(conn)?)
}

/// How many urges were sent in `[from, to)` (stored times) on issues under `path`: the
/// cockpit's 督办 tile, this week against last.
pub fn sent_between(
    conn: &mut AnyConnection,
    path: &str,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> AppResult<i64> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(issue_urges::table
        .inner_join(issues::table)
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .filter(issue_urges::created_at.ge(from))
        .filter(issue_urges::created_at.lt(to))
        .count()
        .get_result(conn)?)
}

/// How many of the open urged issues under `path` were urged more than once (督办 repeated).
pub fn open_urged_repeatedly(conn: &mut AnyConnection, path: &str) -> AppResult<i64> {
    let ids = open_urged_ids(conn, path)?;
    Ok(counts(conn, &ids)?.values().filter(|n| **n > 1).count() as i64)
}

/// The end of the agreed local day as a stored (UTC) deadline: a limit in days ends there too.
fn end_of(day: NaiveDate, clock: &Clock) -> NaiveDateTime {
    clock.utc(day.succ_opt().unwrap_or(day).and_time(NaiveTime::MIN))
}

/// A deadline as the timeline keeps it: the local day it closes, or the local time.
fn deadline_words(deadline: Option<NaiveDateTime>, clock: &Clock) -> String {
    match deadline.map(|d| clock.local(d)) {
        Some(local) => match crate::calendar::domain::due_day(local) {
            Some(day) => day.to_string(),
            None => local.format("%Y-%m-%d %H:%M").to_string(),
        },
        None => crate::web::i18n::mark("urge.no_deadline"),
    }
}

/// Stores one urge row (the demo writes its urges through this and [`event`] too).
pub fn insert(
    conn: &mut AnyConnection,
    issue_id: i32,
    user_id: i32,
    note: &str,
    new_deadline: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(issue_urges::table)
        .values((
            issue_urges::issue_id.eq(issue_id),
            issue_urges::urged_by.eq(user_id),
            issue_urges::note.eq(note),
            issue_urges::new_deadline.eq(new_deadline),
            issue_urges::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The timeline entry of an urge on `issue` (its state unchanged; `detail`: the deadline moved).
pub fn event(
    issue: &Issue,
    user_id: i32,
    note: &str,
    detail: String,
    at: NaiveDateTime,
) -> NewEvent {
    NewEvent {
        issue_id: issue.id,
        actor_id: Some(user_id),
        action: "urge".into(),
        from_state: issue.state.clone(),
        to_state: issue.state.clone(),
        note: note.to_string(),
        detail,
        created_at: at,
    }
}

/// Sends one 督办 on issue `id` as `user`: the urge row, the deadline it moves (if one was
/// agreed), the timeline entry and the audit row. 404 outside the user's scope, 403 for a role
/// that may not urge, 409 on an issue that has ended. Answers the issue's page.
pub fn send(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    urge: &Urge,
    clock: &Clock,
) -> AppResult<String> {
    let before = issue_models::get_scoped(conn, user, id)?;
    if !domain::may_urge(user.role) {
        return Err(AppError::Forbidden);
    }
    if !domain::urgeable(before.state()) {
        return Err(AppError::Conflict);
    }
    let now = clock.now;
    let new_deadline = urge.new_deadline.map(|d| end_of(d, clock));
    let nth = count_of(conn, id)? + 1;
    insert(conn, id, user.id, &urge.note, new_deadline, now)?;
    let mut detail = String::new();
    let mut after = before.clone();
    if let Some(d) = new_deadline.filter(|d| Some(*d) != before.deadline) {
        let mut c = IssueChange::from_issue(&before);
        c.deadline = Some(d);
        c.updated_at = now;
        if !issue_models::update(conn, id, before.version, &c)? {
            return Err(AppError::Conflict);
        }
        after = issue_models::get(conn, id)?;
        crate::issues::figures::apply_change(conn, Some(&before), &after, clock.tz)?;
        let (old, new) = (
            deadline_words(before.deadline, clock),
            deadline_words(after.deadline, clock),
        );
        detail = format!("{old} → {new}");
    }
    issue_models::add_event(conn, &event(&before, user.id, &urge.note, detail, now))?;
    audit::record(
        conn,
        &user.actor(),
        "urge",
        "issue",
        Some(id),
        &before.number,
        Some(&serde_json::json!({ "deadline": before.deadline })),
        Some(&serde_json::json!({
            "nth": nth,
            "note": urge.note,
            "deadline": after.deadline,
        })),
        &before.scope_path,
    )?;
    Ok(format!("/issues/{id}"))
}
