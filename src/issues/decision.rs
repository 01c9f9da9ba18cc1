//! A meeting's decision written back to the issue it is about (SPEC §5): the timeline gets the
//! decision; where the decision names who handles it, the issue is registered and dispatched
//! (or, already dispatched to someone else, dispatched anew); where it sets a deadline, the
//! handling deadline becomes the end of that day. Runs inside the caller's write transaction.

use chrono::{NaiveDate, NaiveTime};

use super::domain::{Action, State};
use super::figures;
use super::models::{self, IssueChange, NewEvent};
use super::workflow::{ActionInput, Clock, StepError, Target, resolve_target, standing, step};
use crate::audit;
use crate::auth::CurrentUser;
use crate::db::AnyConnection;

/// What a meeting decided about an issue.
#[derive(Debug, Clone)]
pub struct MeetingDecision {
    /// The meeting, as the timeline names it ("周例会 2026-11-30 · 林山寨社区").
    pub meeting: String,
    pub solution: String,
    pub target: Option<Target>,
    pub deadline: Option<NaiveDate>,
}

/// Whether the issue's current handler is `target` already.
fn handled_by(i: &models::Issue, target: &Target) -> bool {
    match target {
        Target::User(id) => i.handler_user_id == Some(*id),
        Target::Unit(id) => i.handler_unit_id == Some(*id),
        Target::Party(name) => i.handler_party == name.trim(),
    }
}

/// Why a decision naming `target` cannot be written back to issue `id` by `user`, checked before
/// anything is written: a locale key for the responsible field.
pub fn check(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    target: &Target,
) -> Result<(), &'static str> {
    let Ok(issue) = models::get_scoped(conn, user, id) else {
        return Err("meetings.issue_gone");
    };
    let moves = matches!(
        issue.state(),
        State::Reported | State::Registered | State::Returned
    ) || (matches!(issue.state(), State::Dispatched | State::Handling)
        && !handled_by(&issue, target));
    if !moves {
        return Ok(());
    }
    let Ok((standing, owner)) = standing(conn, user, &issue) else {
        return Err("meetings.issue_gone");
    };
    if !standing.coordinator {
        return Err("meetings.cannot_dispatch");
    }
    resolve_target(conn, &owner, target)
        .map(|_| ())
        .map_err(|_| "meetings.target_outside")
}

/// Applies `d` to issue `id` as `user`. Returns the name of the responsible handler as the
/// timeline shows it (empty when the decision names none).
pub fn apply(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    d: &MeetingDecision,
    clock: &Clock,
) -> Result<String, StepError> {
    let mut issue = models::get_scoped(conn, user, id)?;
    let mut responsible = String::new();
    let open = issue.state().is_open();
    if let (Some(target), true) = (&d.target, open) {
        let note = format!("{}：{}", d.meeting, d.solution);
        let dispatch = ActionInput {
            note: note.clone(),
            target: Some(target.clone()),
            ..Default::default()
        };
        match issue.state() {
            State::Reported => {
                let (registered, _) = step(
                    conn,
                    user,
                    id,
                    issue.version,
                    Action::Register,
                    &ActionInput::default(),
                    clock,
                )?;
                issue = step(
                    conn,
                    user,
                    id,
                    registered.version,
                    Action::Dispatch,
                    &dispatch,
                    clock,
                )?
                .0;
            }
            State::Registered | State::Returned => {
                issue = step(
                    conn,
                    user,
                    id,
                    issue.version,
                    Action::Dispatch,
                    &dispatch,
                    clock,
                )?
                .0;
            }
            State::Dispatched | State::Handling if !handled_by(&issue, target) => {
                issue = redispatch(conn, user, &issue, target, &note, clock)?;
            }
            _ => {}
        }
        let (_, owner) = standing(conn, user, &issue)?;
        responsible = resolve_target(conn, &owner, target)?.3;
    }
    if let (Some(day), true) = (d.deadline, issue.state().clock_runs()) {
        let due = clock.utc(day.and_time(NaiveTime::from_hms_opt(23, 59, 59).unwrap_or_default()));
        if issue.deadline != Some(due) {
            let mut c = IssueChange::from_issue(&issue);
            c.deadline = Some(due);
            c.updated_at = clock.now;
            if !models::update(conn, id, issue.version, &c)? {
                return Err(StepError::Stale);
            }
            let after = models::get(conn, id)?;
            figures::apply_change(conn, Some(&issue), &after, clock.tz)?;
            issue = after;
        }
    }
    let detail = [
        d.meeting.clone(),
        responsible.clone(),
        d.deadline.map(|x| x.to_string()).unwrap_or_default(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect::<Vec<_>>()
    .join(" · ");
    models::add_event(
        conn,
        &NewEvent {
            issue_id: id,
            actor_id: Some(user.id),
            action: "meeting".into(),
            from_state: issue.state.clone(),
            to_state: issue.state.clone(),
            note: d.solution.clone(),
            detail,
            created_at: clock.now,
        },
    )?;
    audit::record(
        conn,
        &user.actor(),
        "issue_meeting_decision",
        "issue",
        Some(id),
        &issue.number,
        None::<&()>,
        Some(&serde_json::json!({
            "meeting": d.meeting,
            "solution": d.solution,
            "responsible": responsible,
            "deadline": d.deadline,
        })),
        &issue.scope_path,
    )?;
    Ok(responsible)
}

/// An issue already dispatched to someone else goes to the handler the meeting named: dispatched
/// anew (the new handler accepts it), with a fresh timeline entry.
fn redispatch(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    before: &models::Issue,
    target: &Target,
    note: &str,
    clock: &Clock,
) -> Result<models::Issue, StepError> {
    let (standing, owner) = standing(conn, user, before)?;
    if !standing.coordinator {
        return Err(StepError::Refused(super::domain::Refusal::NotPermitted));
    }
    let (u, unit, party, name) = resolve_target(conn, &owner, target)?;
    let mut c = IssueChange::from_issue(before);
    c.state = State::Dispatched.code().into();
    c.handler_user_id = u;
    c.handler_unit_id = unit;
    c.handler_party = party;
    c.dispatcher_id = Some(user.id);
    c.dispatched_at = Some(clock.now);
    c.updated_at = clock.now;
    if !models::update(conn, before.id, before.version, &c)? {
        return Err(StepError::Stale);
    }
    let after = models::get(conn, before.id)?;
    figures::apply_change(conn, Some(before), &after, clock.tz)?;
    models::add_event(
        conn,
        &NewEvent {
            issue_id: before.id,
            actor_id: Some(user.id),
            action: Action::Dispatch.code().into(),
            from_state: before.state.clone(),
            to_state: after.state.clone(),
            note: note.into(),
            detail: name,
            created_at: clock.now,
        },
    )?;
    Ok(after)
}
