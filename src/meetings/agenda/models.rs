//! The SQL of the agenda: its lines (`meeting_items`), the self-drafting (mission-anchors §c.1,
//! §c.3) from the issue register for one unit and kind of meeting — issues a leader urged (领导督办,
//! weekly and supervision meetings), issues carried over from
//! earlier meetings until closed, escalated to this unit, sent back after a failed verification,
//! overdue, and new since the last meeting — and the edits (add by number or as a topic,
//! remove, put back, reorder). Each drafted line carries how many meetings discussed it before
//! and its age in working days, both frozen on the item so a filed sheet reads the same later.

use std::collections::{BTreeMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::domain::{self, Line};
use crate::db::schema::{issue_events, issues, meeting_items, meetings};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::issues::domain::clock_states;
use crate::issues::urge::models as issues_urge;
use crate::issues::workflow::Clock;
use crate::meetings::domain::{Kind, Reason, join_reasons, split_reasons};
use crate::org::models::OrgUnit;

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

/// An issue as an agenda line reads it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issues)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct LineIssue {
    pub id: i32,
    pub title: String,
    pub grid_id: i32,
    pub reported_at: NaiveDateTime,
}

/// The drafted agenda of `unit`'s meeting of `kind` on `day`: issues in the unit's subtree, each
/// once with every reason it is there for, in the order urged, carried, escalated, reworked, overdue,
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
    let ended = domain::ended();
    let urged = match kind {
        Kind::Huddle => Vec::new(),
        Kind::Weekly | Kind::Supervision => issues_urge::open_urged_ids(conn, &unit.path)?,
    };
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
        .filter(meetings::state.ne(crate::meetings::domain::State::Draft.code()))
        .filter(meeting_items::removed.eq(false))
        .filter(issues::state.ne_all(&ended))
        .select(issues::id)
        .distinct()
        .into_boxed();
    if let Some(m) = meeting {
        carried = carried.filter(meetings::id.ne(m));
    }
    add(urged, Reason::Urged);
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
    let mut rows: Vec<LineIssue> = Vec::new();
    for chunk in ids.chunks(500) {
        rows.extend(
            issues::table
                .filter(issues::id.eq_any(chunk))
                .select(LineIssue::as_select())
                .load(conn)?,
        );
    }
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|i| Line {
            reasons: split_reasons(&join_reasons(&reasons[&i.id])),
            issue_id: i.id,
            title: i.title,
            grid_id: i.grid_id,
            reported_at: i.reported_at,
        })
        .collect();
    Ok(domain::order(lines))
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
            .filter(meetings::state.ne(crate::meetings::domain::State::Draft.code()))
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
            reasons: join_reasons(&l.reasons),
            title: l.title.clone(),
            grid_id: Some(l.grid_id),
            discussed_before: counts.get(&l.issue_id).copied().unwrap_or(0),
            age_days: cal
                .working_days_between(clock.local(l.reported_at).date(), day)
                .max(0),
        })
        .collect())
}

/// The next free position at the end of the agenda.
pub fn next_position(conn: &mut AnyConnection, meeting_id: i32) -> AppResult<i32> {
    let max: Option<i32> = meeting_items::table
        .filter(meeting_items::meeting_id.eq(meeting_id))
        .select(diesel::dsl::max(meeting_items::position))
        .first_row(conn)?;
    Ok(max.unwrap_or(0) + 1)
}

/// An issue by its number, if it lies in the subtree at `path`.
pub fn issue_by_number(
    conn: &mut AnyConnection,
    number: &str,
    path: &str,
) -> AppResult<Option<LineIssue>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(issues::table
        .filter(issues::number.eq(number))
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select(LineIssue::as_select())
        .first_row(conn)
        .optional()?)
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

/// Drafts the agenda of meeting `id` (of `unit`, `kind`, on `day`) and appends the lines not on
/// it yet from position `first`; returns how many were added and how many the cap left out.
pub fn draft_into(
    conn: &mut AnyConnection,
    m: &crate::meetings::models::Meeting,
    unit: &OrgUnit,
    clock: &Clock,
) -> AppResult<(usize, usize)> {
    let kind = Kind::parse(&m.kind).unwrap_or(Kind::Weekly);
    let (lines, left) = draft(conn, unit, kind, m.since, Some(m.id), clock)?;
    let on: Vec<i32> = items(conn, m.id)?
        .into_iter()
        .filter_map(|i| i.issue_id)
        .collect();
    let fresh: Vec<Line> = lines
        .into_iter()
        .filter(|l| !on.contains(&l.issue_id))
        .collect();
    let first = next_position(conn, m.id)?;
    let rows = items_of(conn, m.id, m.day, &fresh, first, clock)?;
    add_items(conn, &rows)?;
    Ok((rows.len(), left))
}

/// Adds an issue by its number (in the meeting's subtree; a removed line is put back) or a free
/// topic. Refused: the field and the message for it.
pub fn add_line(
    conn: &mut AnyConnection,
    m: &crate::meetings::models::Meeting,
    number: &str,
    topic: &str,
    clock: &Clock,
) -> AppResult<Result<serde_json::Value, (&'static str, &'static str)>> {
    if number.is_empty() && topic.is_empty() {
        return Ok(Err(("number", "meetings.number_or_topic")));
    }
    if topic.chars().count() > 200 {
        return Ok(Err(("topic", "meetings.topic_too_long")));
    }
    let position = next_position(conn, m.id)?;
    if number.is_empty() {
        let topic_row = NewItem {
            meeting_id: m.id,
            position,
            issue_id: None,
            reasons: Reason::Topic.code().into(),
            title: topic.to_string(),
            grid_id: None,
            discussed_before: 0,
            age_days: 0,
        };
        add_items(conn, &[topic_row])?;
        return Ok(Ok(serde_json::json!({"topic": topic})));
    }
    let Some(issue) = issue_by_number(conn, number, &m.scope_path)? else {
        return Ok(Err(("number", "meetings.no_such_issue")));
    };
    match items(conn, m.id)?
        .into_iter()
        .find(|i| i.issue_id == Some(issue.id))
    {
        Some(it) if !it.removed => return Ok(Err(("number", "meetings.already_on_agenda"))),
        Some(it) => set_removed(conn, it.id, false)?,
        None => {
            let line = Line {
                issue_id: issue.id,
                title: issue.title,
                grid_id: issue.grid_id,
                reported_at: issue.reported_at,
                reasons: vec![Reason::Added],
            };
            let rows = items_of(conn, m.id, m.day, &[line], position, clock)?;
            add_items(conn, &rows)?;
        }
    }
    Ok(Ok(serde_json::json!({"added": number})))
}

/// Moves a line up or down among the lines not removed.
pub fn move_line(
    conn: &mut AnyConnection,
    meeting_id: i32,
    item_id: i32,
    up: bool,
) -> AppResult<()> {
    let mut order: Vec<i32> = items(conn, meeting_id)?
        .into_iter()
        .filter(|i| !i.removed)
        .map(|i| i.id)
        .collect();
    if let Some(at) = order.iter().position(|x| *x == item_id) {
        let to = if up {
            at.checked_sub(1)
        } else {
            Some(at + 1).filter(|t| *t < order.len())
        };
        if let Some(to) = to {
            order.swap(at, to);
            reorder(conn, &order)?;
        }
    }
    Ok(())
}
