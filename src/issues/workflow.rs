//! Carrying out a report and each step of the life cycle in one write transaction: check the
//! action against the state machine and the user's standing, change the row (optimistic lock on
//! `version`), write the timeline entry and photos, keep the summary in step, audit.

use chrono::{Datelike, NaiveDateTime, TimeZone};
use serde::Serialize;

use super::domain::{self, Action, Pending, Refusal, Standing, State};
use super::figures;
use super::models::{self, Issue, IssueChange, NewEvent, NewIssue};
use crate::audit;
use crate::auth::CurrentUser;
use crate::calendar::{self, Limit};
use crate::db::AnyConnection;
use crate::error::{AppError, AppResult};
use crate::org::models::{self as org_models, OrgUnit};

/// The office's clock: UTC in the database, local time for deadlines and months.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    pub now: NaiveDateTime,
    pub tz: chrono_tz::Tz,
}

impl Clock {
    /// Now, in the office's time zone.
    pub fn at(tz: chrono_tz::Tz) -> Clock {
        Clock {
            now: crate::db::now(),
            tz,
        }
    }

    pub fn local(&self, utc: NaiveDateTime) -> NaiveDateTime {
        utc.and_utc().with_timezone(&self.tz).naive_local()
    }

    pub fn utc(&self, local: NaiveDateTime) -> NaiveDateTime {
        self.tz
            .from_local_datetime(&local)
            .earliest()
            .map(|t| t.naive_utc())
            .unwrap_or(local)
    }
}

/// A category's handling time limit; major categories and unset limits get five working days.
pub fn limit_of(value: i32, unit: &str) -> Limit {
    match (value, unit) {
        (v, "hour") if v > 0 => Limit::Hours(v),
        (v, _) if v > 0 => Limit::Days(v),
        _ => Limit::Days(5),
    }
}

/// The deadline (UTC) for `limit` counted from `start` (UTC) on the work calendar.
pub fn deadline(
    conn: &mut AnyConnection,
    clock: &Clock,
    start: NaiveDateTime,
    limit: Limit,
) -> AppResult<NaiveDateTime> {
    let local = clock.local(start);
    // Limits are weeks at most; a year ahead covers any run of holidays.
    let cal = calendar::models::load(
        conn,
        local.date() - chrono::Duration::days(1),
        local.date() + chrono::Duration::days(400),
    )?;
    Ok(clock.utc(cal.deadline(local, limit)))
}

/// The deadline of a handling period starting now, by the category's time limit.
fn fresh_deadline(
    conn: &mut AnyConnection,
    clock: &Clock,
    category_id: i32,
) -> AppResult<NaiveDateTime> {
    let cats = models::categories(conn)?;
    let cat = cats
        .iter()
        .find(|c| c.id == category_id)
        .ok_or(AppError::NotFound)?;
    deadline(
        conn,
        clock,
        clock.now,
        limit_of(cat.limit_value, &cat.limit_unit),
    )
}

/// Who `user` is to `issue`.
pub fn standing(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    issue: &Issue,
) -> AppResult<(Standing, OrgUnit)> {
    let owner = org_models::get(conn, issue.owner_unit_id)?;
    let coordinator = models::coordinates(user.role) && user.sees(&owner.path);
    let handler = issue.handler_user_id == Some(user.id)
        || (issue.handler_unit_id == Some(user.org_unit_id) && models::coordinates(user.role))
        || (!issue.handler_party.is_empty() && coordinator);
    Ok((
        Standing {
            coordinator,
            handler,
            verifier: user.role != crate::auth::Role::BranchSecretary
                && user.sees(&issue.scope_path)
                && issue.handled_by != Some(user.id),
            requested_pending: issue.pending_by == Some(user.id),
            can_escalate: owner.parent_id.is_some(),
        },
        owner,
    ))
}

/// Whom an issue is dispatched to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Target {
    User(i32),
    Unit(i32),
    /// An office department or partner unit without accounts (名称).
    Party(String),
}

/// What an action form carries beyond the action itself, already validated by the form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub note: String,
    /// Register: a corrected category.
    pub category_id: Option<i32>,
    pub target: Option<Target>,
    /// Extension request: working days.
    pub days: i32,
}

/// The outcome of a refused step.
#[derive(Debug)]
pub enum StepError {
    Refused(Refusal),
    /// Someone changed the issue since the form was shown.
    Stale,
    /// A dispatch target outside the coordinating unit.
    BadTarget,
    App(AppError),
}

impl From<AppError> for StepError {
    fn from(e: AppError) -> Self {
        StepError::App(e)
    }
}

impl From<diesel::result::Error> for StepError {
    fn from(e: diesel::result::Error) -> Self {
        StepError::App(e.into())
    }
}

/// Resolves a dispatch target to (user, unit, party, display name), checked against the
/// coordinating unit's subtree.
pub(super) fn resolve_target(
    conn: &mut AnyConnection,
    owner: &OrgUnit,
    target: &Target,
) -> Result<(Option<i32>, Option<i32>, String, String), StepError> {
    match target {
        Target::User(id) => {
            let u = models::dispatch_staff(conn, &owner.path)?
                .into_iter()
                .find(|u| u.id == *id)
                .ok_or(StepError::BadTarget)?;
            Ok((
                Some(*id),
                None,
                String::new(),
                format!("{}（{}）", u.name, u.unit),
            ))
        }
        Target::Unit(id) => {
            let unit = org_models::get(conn, *id).map_err(|_| StepError::BadTarget)?;
            if !unit.path.starts_with(&owner.path) {
                return Err(StepError::BadTarget);
            }
            Ok((None, Some(unit.id), String::new(), unit.name))
        }
        Target::Party(name) if !name.trim().is_empty() => {
            Ok((None, None, name.trim().to_string(), name.trim().to_string()))
        }
        Target::Party(_) => Err(StepError::BadTarget),
    }
}

/// Takes `action` on issue `id` as `user`, expecting `version`. Returns the new timeline
/// entry's id (photos attach to it).
pub fn step(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    version: i32,
    action: Action,
    input: &ActionInput,
    clock: &Clock,
) -> Result<(Issue, i32), StepError> {
    let before = models::get_scoped(conn, user, id)?;
    if before.version != version {
        return Err(StepError::Stale);
    }
    let (standing, owner) = standing(conn, user, &before)?;
    let from = before.state();
    let pending = Pending::parse(&before.pending);
    let to = domain::check(action, from, pending, &standing).map_err(StepError::Refused)?;
    let now = clock.now;
    let mut c = IssueChange::from_issue(&before);
    c.state = to.code().to_string();
    c.updated_at = now;
    let detail = change(conn, user, &before, &owner, action, input, clock, &mut c)?;
    if !models::update(conn, id, version, &c)? {
        return Err(StepError::Stale);
    }
    let after = models::get(conn, id)?;
    figures::apply_change(conn, Some(&before), &after, clock.tz)?;
    let event = models::add_event(
        conn,
        &NewEvent {
            issue_id: id,
            actor_id: Some(user.id),
            action: action.code().into(),
            from_state: from.code().into(),
            to_state: to.code().into(),
            note: input.note.clone(),
            detail,
            created_at: now,
        },
    )?;
    audit::record(
        conn,
        &user.actor(),
        &format!("issue_{}", action.code()),
        "issue",
        Some(id),
        &after.number,
        Some(&Snapshot::of(&before)),
        Some(&Snapshot::of(&after)),
        &after.scope_path,
    )?;
    Ok((after, event))
}

/// Sets in `c` what `action` changes beyond the state; returns the timeline entry's detail (a
/// corrected category, the dispatch target, the unit escalated to, extension days).
#[expect(
    clippy::too_many_arguments,
    reason = "one step's whole context, passed down once"
)]
fn change(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    before: &Issue,
    owner: &OrgUnit,
    action: Action,
    input: &ActionInput,
    clock: &Clock,
    c: &mut IssueChange,
) -> Result<String, StepError> {
    let now = clock.now;
    let mut detail = String::new();
    match action {
        Action::Register => {
            c.registered_at = Some(now);
            if let Some(cat) = input.category_id.filter(|c| *c != before.category_id) {
                c.category_id = cat;
                detail = models::categories(conn)?
                    .into_iter()
                    .find(|c| c.id == cat)
                    .map(|c| c.name)
                    .unwrap_or_default();
            }
        }
        Action::Reject | Action::Cancel => {}
        Action::Dispatch => {
            let target = input.target.as_ref().ok_or(StepError::BadTarget)?;
            let (u, unit, party, name) = resolve_target(conn, owner, target)?;
            c.handler_user_id = u;
            c.handler_unit_id = unit;
            c.handler_party = party;
            c.dispatcher_id = Some(user.id);
            c.dispatched_at = Some(now);
            c.deadline = Some(fresh_deadline(conn, clock, before.category_id)?);
            detail = name;
        }
        Action::Escalate => {
            let parent = owner
                .parent_id
                .ok_or(StepError::Refused(Refusal::WrongState))?;
            let up = org_models::get(conn, parent)?;
            c.owner_unit_id = up.id;
            c.handler_user_id = None;
            c.handler_unit_id = None;
            c.handler_party = String::new();
            detail = up.name;
        }
        Action::Accept | Action::Progress => {}
        Action::Return => {
            c.handler_user_id = None;
            c.handler_unit_id = None;
            c.handler_party = String::new();
        }
        Action::RequestExtension => {
            c.pending = Pending::Extension.code().into();
            c.pending_days = input.days;
            c.pending_by = Some(user.id);
            detail = input.days.to_string();
        }
        Action::RequestHang => {
            c.pending = Pending::Hang.code().into();
            c.pending_by = Some(user.id);
        }
        Action::ApproveExtension => {
            let days = before.pending_days;
            let base = before.deadline.unwrap_or(now);
            c.deadline = Some(deadline(conn, clock, base, Limit::Days(days))?);
            c.extension_days += days;
            detail = days.to_string();
            clear_pending(c);
        }
        Action::DenyExtension | Action::DenyHang | Action::ApproveHang => clear_pending(c),
        Action::Resume => {
            // The clock stopped while hung: a fresh handling time limit from today.
            c.deadline = Some(fresh_deadline(conn, clock, before.category_id)?);
        }
        Action::Handle => {
            c.handled_by = Some(user.id);
            c.handled_at = Some(now);
        }
        Action::Close => c.closed_at = Some(now),
        Action::Rework => {
            c.rework_count += 1;
            c.handled_at = None;
            c.dispatched_at = Some(now);
            c.deadline = Some(fresh_deadline(conn, clock, before.category_id)?);
        }
    }
    Ok(detail)
}

fn clear_pending(c: &mut IssueChange) {
    c.pending = String::new();
    c.pending_days = 0;
    c.pending_by = None;
}

/// What the audit log keeps of an issue before and after a step.
#[derive(Serialize)]
struct Snapshot<'a> {
    state: &'a str,
    category_id: i32,
    owner_unit_id: i32,
    handler_user_id: Option<i32>,
    handler_unit_id: Option<i32>,
    handler_party: &'a str,
    pending: &'a str,
    deadline: Option<NaiveDateTime>,
    rework_count: i32,
    version: i32,
}

impl<'a> Snapshot<'a> {
    fn of(i: &'a Issue) -> Self {
        Snapshot {
            state: &i.state,
            category_id: i.category_id,
            owner_unit_id: i.owner_unit_id,
            handler_user_id: i.handler_user_id,
            handler_unit_id: i.handler_unit_id,
            handler_party: &i.handler_party,
            pending: &i.pending,
            deadline: i.deadline,
            rework_count: i.rework_count,
            version: i.version,
        }
    }
}

/// What a report carries, validated.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    pub description: String,
    pub category_id: i32,
    pub source: String,
    pub grid_id: i32,
    pub address: String,
    pub people: String,
    pub urgency: String,
}

/// The grid's community (the first level that coordinates) and street.
fn owner_and_street(conn: &mut AnyConnection, grid: &OrgUnit) -> AppResult<(OrgUnit, OrgUnit)> {
    let ancestors = org_models::by_ids(conn, &grid.ancestor_ids())?;
    let street = ancestors
        .iter()
        .find(|u| u.kind == "street")
        .cloned()
        .ok_or_else(|| AppError::Internal(format!("grid {} has no street", grid.id)))?;
    let owner = ancestors
        .iter()
        .find(|u| u.kind().is_level2())
        .cloned()
        .unwrap_or_else(|| street.clone());
    Ok((owner, street))
}

/// Files a report: numbers it, writes the row, the first timeline entry, the summary and the
/// audit. Returns the issue and its first event's id.
pub fn report(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    r: &Report,
    clock: &Clock,
) -> AppResult<(Issue, i32)> {
    let grid = org_models::get_grid(conn, user, r.grid_id)?;
    let (owner, street) = owner_and_street(conn, &grid)?;
    let year = clock.local(clock.now).year();
    let prefix = if street.code.is_empty() {
        format!("S{}", street.id)
    } else {
        street.code.clone()
    };
    let seq = models::next_seq(conn, &prefix, year)?;
    let new = NewIssue {
        number: domain::number(&prefix, year, seq),
        grid_id: grid.id,
        scope_path: grid.path.clone(),
        owner_unit_id: owner.id,
        category_id: r.category_id,
        source: r.source.clone(),
        urgency: r.urgency.clone(),
        title: r.title.clone(),
        description: r.description.clone(),
        address: r.address.clone(),
        people: r.people.clone(),
        state: State::Reported.code().into(),
        reporter_id: user.id,
        reported_at: clock.now,
        updated_at: clock.now,
    };
    let id = models::insert(conn, &new)?;
    let issue = models::get(conn, id)?;
    figures::apply_change(conn, None, &issue, clock.tz)?;
    let event = models::add_event(
        conn,
        &NewEvent {
            issue_id: id,
            actor_id: Some(user.id),
            action: "report".into(),
            from_state: String::new(),
            to_state: State::Reported.code().into(),
            note: String::new(),
            detail: String::new(),
            created_at: clock.now,
        },
    )?;
    audit::created(
        conn,
        &user.actor(),
        "issue",
        id,
        &issue.number,
        r,
        &issue.scope_path,
    )?;
    Ok((issue, event))
}
