//! The self-drafting agenda (mission-anchors §c.1, §c.3): from the issue register, for one unit
//! and kind of meeting — issues carried over from earlier meetings until closed, escalated to
//! this unit, sent back after a failed verification, overdue, and new since the last meeting.
//! Each line carries how many meetings discussed it before and its age in working days, both
//! frozen on the item so a filed sheet reads the same later.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::{self, Kind, Reason};
use super::models::NewItem;
use crate::db::schema::{issue_events, issues, meeting_items, meetings};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::issues::domain::{State as IssueState, clock_states};
use crate::issues::workflow::Clock;
use crate::org::models::OrgUnit;

/// More than this many drafted lines is no agenda; the oldest of each group are kept and the
/// page says how many were left for the issue list.
pub const MAX_DRAFTED: usize = 80;

/// Issue states that are over: not on any agenda.
fn ended() -> Vec<&'static str> {
    [
        IssueState::Closed,
        IssueState::Rejected,
        IssueState::Cancelled,
    ]
    .into_iter()
    .map(IssueState::code)
    .collect()
}

/// Where "new since the last meeting" starts (UTC): when the unit's previous meeting of this
/// kind was held (or its day, if it was never marked held); without one, the kind's window
/// before the meeting's day.
pub fn since(
    conn: &mut AnyConnection,
    unit_id: i32,
    kind: Kind,
    day: NaiveDate,
    exclude: Option<i32>,
    clock: &Clock,
) -> AppResult<NaiveDateTime> {
    let mut q = meetings::table
        .filter(meetings::unit_id.eq(unit_id))
        .filter(meetings::kind.eq(kind.code()))
        .filter(meetings::day.le(day))
        .into_boxed();
    if let Some(id) = exclude {
        q = q.filter(meetings::id.ne(id));
    }
    let prev: Option<(NaiveDate, Option<NaiveDateTime>)> = q
        .order((meetings::day.desc(), meetings::id.desc()))
        .select((meetings::day, meetings::held_at))
        .first_row(conn)
        .optional()?;
    Ok(match prev {
        Some((_, Some(held))) => held,
        Some((d, None)) => clock.utc(d.and_time(chrono::NaiveTime::MIN)),
        None => clock.utc(day.and_time(chrono::NaiveTime::MIN) - kind.first_window()),
    })
}

/// One drafted line before it is numbered.
#[derive(Debug, Clone)]
pub struct Line {
    pub issue_id: i32,
    pub title: String,
    pub grid_id: i32,
    pub reported_at: NaiveDateTime,
    pub reasons: Vec<Reason>,
}

/// The drafted agenda of `unit`'s meeting of `kind` on `day`: issues in the unit's subtree, each
/// once with every reason it is there for, in the order carried, escalated, reworked, overdue,
/// new (oldest first within each). `meeting` is the meeting being drafted (left out of
/// "earlier meetings"). Returns the lines and how many more were left out past [`MAX_DRAFTED`].
pub fn draft(
    conn: &mut AnyConnection,
    unit: &OrgUnit,
    kind: Kind,
    since: NaiveDateTime,
    meeting: Option<i32>,
    clock: &Clock,
) -> AppResult<(Vec<Line>, usize)> {
    let (lo, hi) = crate::db::subtree_range(&unit.path);
    let ended = ended();
    let mut reasons: BTreeMap<i32, Vec<Reason>> = BTreeMap::new();
    let mut add = |ids: Vec<i32>, r: Reason| {
        for id in ids {
            reasons.entry(id).or_default().push(r);
        }
    };

    // Carried over: on an earlier held or finalized meeting of this unit and kind, still open.
    let mut carried = meeting_items::table
        .inner_join(meetings::table)
        .inner_join(issues::table)
        .filter(meetings::unit_id.eq(unit.id))
        .filter(meetings::kind.eq(kind.code()))
        .filter(meetings::state.ne(domain::State::Draft.code()))
        .filter(meeting_items::removed.eq(false))
        .filter(issues::state.ne_all(&ended))
        .select(issues::id)
        .distinct()
        .into_boxed();
    if let Some(m) = meeting {
        carried = carried.filter(meetings::id.ne(m));
    }
    add(carried.load(conn)?, Reason::Carried);

    // Escalated to this unit and still open here.
    let owned: Vec<i32> = issues::table
        .filter(issues::scope_path.ge(&lo))
        .filter(issues::scope_path.lt(&hi))
        .filter(issues::owner_unit_id.eq(unit.id))
        .filter(issues::state.ne_all(&ended))
        .select(issues::id)
        .load(conn)?;
    add(
        with_event(conn, &owned, "escalate", None)?,
        Reason::Escalated,
    );

    // Sent back after a failed verification since the last meeting.
    let reworked: Vec<i32> = issues::table
        .filter(issues::scope_path.ge(&lo))
        .filter(issues::scope_path.lt(&hi))
        .filter(issues::rework_count.gt(0))
        .filter(issues::state.ne_all(&ended))
        .select(issues::id)
        .load(conn)?;
    add(
        with_event(conn, &reworked, "rework", Some(since))?,
        Reason::Reworked,
    );

    // Overdue now.
    add(
        issues::table
            .filter(issues::scope_path.ge(&lo))
            .filter(issues::scope_path.lt(&hi))
            .filter(issues::state.eq_any(clock_states()))
            .filter(issues::deadline.lt(clock.now))
            .select(issues::id)
            .load(conn)?,
        Reason::Overdue,
    );

    // New since the last meeting, coordinated by this unit.
    add(
        issues::table
            .filter(issues::scope_path.ge(&lo))
            .filter(issues::scope_path.lt(&hi))
            .filter(issues::owner_unit_id.eq(unit.id))
            .filter(issues::reported_at.ge(since))
            .filter(issues::state.ne_all(&ended))
            .select(issues::id)
            .load(conn)?,
        Reason::New,
    );

    let ids: Vec<i32> = reasons.keys().copied().collect();
    let mut rows: Vec<(i32, String, i32, NaiveDateTime)> = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            issues::table
                .filter(issues::id.eq_any(chunk))
                .select((
                    issues::id,
                    issues::title,
                    issues::grid_id,
                    issues::reported_at,
                ))
                .load::<(i32, String, i32, NaiveDateTime)>(conn)?,
        );
    }
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(id, title, grid_id, reported_at)| Line {
            reasons: domain::split_reasons(&domain::join_reasons(&reasons[&id])),
            issue_id: id,
            title,
            grid_id,
            reported_at,
        })
        .collect();
    lines.sort_by_key(|l| (group(&l.reasons), l.reported_at, l.issue_id));
    let left = lines.len().saturating_sub(MAX_DRAFTED);
    lines.truncate(MAX_DRAFTED);
    Ok((lines, left))
}

/// Those of `ids` with a timeline entry of `action` (since `since`), read through the
/// timeline's per-issue index.
fn with_event(
    conn: &mut AnyConnection,
    ids: &[i32],
    action: &str,
    since: Option<NaiveDateTime>,
) -> AppResult<Vec<i32>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let mut q = issue_events::table
            .filter(issue_events::issue_id.eq_any(chunk))
            .filter(issue_events::action.eq(action))
            .select(issue_events::issue_id)
            .distinct()
            .into_boxed();
        if let Some(t) = since {
            q = q.filter(issue_events::created_at.ge(t));
        }
        out.extend(q.load::<i32>(conn)?);
    }
    Ok(out)
}

fn group(reasons: &[Reason]) -> usize {
    reasons
        .first()
        .and_then(|r| domain::REASONS.iter().position(|x| x == r))
        .unwrap_or(domain::REASONS.len())
}

/// How many held or finalized meetings discussed each issue before `meeting`.
pub fn discussed_before(
    conn: &mut AnyConnection,
    issue_ids: &[i32],
    meeting: Option<i32>,
) -> AppResult<BTreeMap<i32, i32>> {
    let mut out = BTreeMap::new();
    for chunk in issue_ids.chunks(500) {
        let mut q = meeting_items::table
            .inner_join(meetings::table)
            .filter(meeting_items::issue_id.eq_any(chunk))
            .filter(meeting_items::removed.eq(false))
            .filter(meetings::state.ne(domain::State::Draft.code()))
            .select((meeting_items::issue_id, meetings::id))
            .into_boxed();
        if let Some(m) = meeting {
            q = q.filter(meetings::id.ne(m));
        }
        let pairs: Vec<(Option<i32>, i32)> = q.load(conn)?;
        let distinct: HashSet<(i32, i32)> = pairs
            .into_iter()
            .filter_map(|(i, m)| i.map(|i| (i, m)))
            .collect();
        for (issue, _) in distinct {
            *out.entry(issue).or_insert(0) += 1;
        }
    }
    Ok(out)
}

/// The lines as agenda items of `meeting_id` from position `first`, with their counts and ages
/// (working days from the report's local date to the meeting's day).
pub fn items_of(
    conn: &mut AnyConnection,
    meeting_id: i32,
    day: NaiveDate,
    lines: &[Line],
    first: i32,
    clock: &Clock,
) -> AppResult<Vec<NewItem>> {
    let ids: Vec<i32> = lines.iter().map(|l| l.issue_id).collect();
    let counts = discussed_before(conn, &ids, Some(meeting_id))?;
    let oldest = lines
        .iter()
        .map(|l| clock.local(l.reported_at).date())
        .min()
        .unwrap_or(day);
    let cal = crate::calendar::models::load(conn, oldest.min(day), oldest.max(day))?;
    Ok(lines
        .iter()
        .enumerate()
        .map(|(i, l)| NewItem {
            meeting_id,
            position: first + i as i32,
            issue_id: Some(l.issue_id),
            reasons: domain::join_reasons(&l.reasons),
            title: l.title.clone(),
            grid_id: Some(l.grid_id),
            discussed_before: counts.get(&l.issue_id).copied().unwrap_or(0),
            age_days: cal
                .working_days_between(clock.local(l.reported_at).date(), day)
                .max(0),
        })
        .collect())
}
