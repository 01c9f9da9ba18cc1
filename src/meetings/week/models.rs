//! The SQL of the leader's week: every street and community in a subtree with its weekly
//! meetings of the week, and the decisions past their deadline whose issue is still open; the
//! assembled week kept until something it reads changes.

use std::sync::Arc;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{issues, meeting_items, meetings, org_units};
use crate::db::stamped::StampedCache;
use crate::error::AppResult;
use crate::issues::domain::State as IssueState;
use crate::meetings::domain::{Kind, State};
use crate::web::forms::Choice;

use super::domain::{IssueDue, late};

/// Overdue decisions listed at most (oldest deadline first).
const MAX_OVERDUE: usize = 300;

/// A unit's weekly meeting(s) of the week.
#[derive(Clone)]
pub struct UnitWeek {
    pub id: i32,
    pub name: String,
    pub street: bool,
    pub meetings: Vec<WeekMeeting>,
}

/// A weekly meeting of the week.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = meetings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct WeekMeeting {
    pub id: i32,
    pub unit_id: i32,
    pub day: NaiveDate,
    pub state: String,
    pub items: i32,
    pub decided: i32,
}

impl UnitWeek {
    /// Held (or finalized) this week.
    pub fn held(&self) -> bool {
        self.meetings.iter().any(|m| m.state != State::Draft.code())
    }
}

/// A decided line as read, before the latest per issue is kept.
#[derive(Debug, Clone, Queryable)]
struct LateRow {
    meeting_id: i32,
    item_id: i32,
    kind: String,
    day: NaiveDate,
    unit: String,
    issue_id: Option<i32>,
    number: String,
    responsible: String,
    deadline: Option<NaiveDate>,
    title: String,
    issue_state: String,
    issue_deadline: Option<NaiveDateTime>,
}

/// A decision past its deadline whose issue is still open.
#[derive(Clone)]
pub struct OverdueDecision {
    pub meeting_id: i32,
    pub unit: String,
    pub kind: String,
    pub day: NaiveDate,
    pub item_id: i32,
    pub title: String,
    pub issue_id: Option<i32>,
    pub number: String,
    pub responsible: String,
    pub deadline: NaiveDate,
    pub days_late: i64,
}

/// The week's page data: the units to choose from, and the week.
pub struct Data {
    pub units: Vec<Choice>,
    pub week: Arc<Week>,
}

/// A subtree's week: its units' weekly meetings and the overdue decisions.
pub struct Week {
    pub rows: Vec<UnitWeek>,
    /// The overdue decisions, oldest deadline first, at most `MAX_OVERDUE`.
    pub overdue: Vec<OverdueDecision>,
    /// How many there are in all (the list may be cut).
    pub overdue_total: usize,
}

impl Week {
    /// Units that held (or finalized) their weekly meeting this week.
    pub fn held(&self) -> usize {
        self.rows.iter().filter(|r| r.held()).count()
    }
}

/// The moment the overdue decisions are judged at: now (an issue's own deadline is a moment)
/// and today in the office's time zone (a decision's deadline is a day).
#[derive(Clone, Copy)]
pub struct At {
    pub now: NaiveDateTime,
    pub today: NaiveDate,
    pub tz: chrono_tz::Tz,
}

/// Weeks by (subtree path, Monday, today) until a meeting, an agenda line, an issue event or an
/// audited change is written (see `crate::db::stamped`): a district's week reads the latest
/// decision of every open issue, and leaders reopen it far more often than it changes.
#[derive(Default)]
pub struct WeekCache(StampedCache<(String, NaiveDate, NaiveDate), Vec<Option<i32>>, Week>);

pub fn load(
    conn: &mut AnyConnection,
    cache: &WeekCache,
    user: &CurrentUser,
    unit: Option<i32>,
    monday: NaiveDate,
    at: At,
) -> AppResult<Data> {
    let path = match unit {
        Some(id) => crate::org::models::get_scoped(conn, user, id)?.path,
        None => user.org_path.clone(),
    };
    let week = week(conn, cache, &path, monday, at)?;
    let units = crate::meetings::models::meeting_units(conn, user)?
        .iter()
        .map(crate::org::models::UnitOption::choice)
        .collect();
    Ok(Data { units, week })
}

/// The week of the subtree at `path` from the cache, read again once a meeting, an agenda line,
/// an issue event or an audited change is written (the cockpit reads it too).
pub fn week(
    conn: &mut AnyConnection,
    cache: &WeekCache,
    path: &str,
    monday: NaiveDate,
    at: At,
) -> AppResult<Arc<Week>> {
    let stamp = crate::db::stamped::max_ids(
        conn,
        &["meetings", "meeting_items", "issue_events", "audit_log"],
    )?;
    cache
        .0
        .get_or_load((path.to_string(), monday, at.today), stamp, || {
            read_week(conn, path, monday, at)
        })
}

fn read_week(conn: &mut AnyConnection, path: &str, monday: NaiveDate, at: At) -> AppResult<Week> {
    let (lo, hi) = crate::db::subtree_range(path);
    let holders: Vec<(i32, String, String)> = org_units::table
        .filter(org_units::path.ge(&lo))
        .filter(org_units::path.lt(&hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((org_units::id, org_units::name, org_units::kind))
        .load(conn)?;
    let week: Vec<WeekMeeting> = meetings::table
        .filter(meetings::day.ge(monday))
        .filter(meetings::day.le(monday + Duration::days(6)))
        .filter(meetings::scope_path.ge(&lo))
        .filter(meetings::scope_path.lt(&hi))
        .filter(meetings::kind.eq(Kind::Weekly.code()))
        .order((meetings::day, meetings::id))
        .select(WeekMeeting::as_select())
        .load(conn)?;
    let rows = holders
        .iter()
        .map(|(id, name, kind)| UnitWeek {
            id: *id,
            name: name.clone(),
            street: kind == "street",
            meetings: week.iter().filter(|w| w.unit_id == *id).cloned().collect(),
        })
        .collect();
    let mut overdue = overdue_decisions(conn, &lo, &hi, at)?;
    let overdue_total = overdue.len();
    overdue.truncate(MAX_OVERDUE);
    Ok(Week {
        rows,
        overdue,
        overdue_total,
    })
}

/// Decisions past their deadline whose issue is still open, for meetings in `[lo, hi)`: per
/// issue only its latest decision counts (a later meeting may have moved the deadline; a latest
/// decision taken above the user's scope supersedes theirs), and it is late once its own
/// deadline or its issue's has passed (`super::domain::late`: a huddle's new decision never
/// resets an overdue issue). Read from the open issues of the
/// subtree (the `(state, scope_path)` index), their latest decided line from the covering
/// `meeting_items_decisions` index, then only those lines by id — a long-open issue is on
/// hundreds of huddles, so reading all its lines made the page take seconds for a district.
fn overdue_decisions(
    conn: &mut AnyConnection,
    lo: &str,
    hi: &str,
    at: At,
) -> AppResult<Vec<OverdueDecision>> {
    let open: Vec<&str> = crate::issues::domain::STATES
        .into_iter()
        .filter(|s| s.is_open())
        .map(IssueState::code)
        .collect();
    let issue_ids: Vec<i32> = issues::table
        .filter(issues::state.eq_any(&open))
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select(issues::id)
        .load(conn)?;
    // Each issue's latest decided line (the highest id: lines are written in the order they are
    // recorded), from the covering index alone; then those lines by primary key.
    let mut latest: Vec<Option<i32>> = Vec::new();
    for chunk in issue_ids.chunks(500) {
        latest.extend(
            meeting_items::table
                .filter(meeting_items::issue_id.eq_any(chunk))
                .filter(meeting_items::removed.eq(false))
                .filter(meeting_items::deadline.is_not_null())
                .group_by(meeting_items::issue_id)
                .select(diesel::dsl::max(meeting_items::id))
                .load::<Option<i32>>(conn)?,
        );
    }
    let item_ids: Vec<i32> = latest.into_iter().flatten().collect();
    let mut rows: Vec<LateRow> = Vec::new();
    for chunk in item_ids.chunks(500) {
        rows.extend(
            meeting_items::table
                .inner_join(meetings::table)
                .inner_join(issues::table)
                .inner_join(org_units::table.on(org_units::id.eq(meetings::unit_id)))
                .filter(meeting_items::id.eq_any(chunk))
                .filter(meetings::state.ne(State::Draft.code()))
                .filter(meetings::scope_path.ge(lo))
                .filter(meetings::scope_path.lt(hi))
                .select((
                    meetings::id,
                    meeting_items::id,
                    meetings::kind,
                    meetings::day,
                    org_units::name,
                    meeting_items::issue_id,
                    issues::number,
                    meeting_items::resp_name,
                    meeting_items::deadline,
                    meeting_items::title,
                    issues::state,
                    issues::deadline,
                ))
                .load::<LateRow>(conn)?,
        );
    }
    // The latest decision per issue (by meeting day, then line), listed if its deadline passed.
    rows.sort_by_key(|r| std::cmp::Reverse((r.day, r.item_id)));
    let mut seen = std::collections::HashSet::new();
    let mut out: Vec<OverdueDecision> = rows
        .into_iter()
        .filter(|r| r.issue_id.is_some_and(|i| seen.insert(i)))
        .filter_map(|r| {
            let clock = IssueState::parse(&r.issue_state).is_some_and(IssueState::clock_runs);
            let issue_due = r.issue_deadline.filter(|_| clock).map(|t| IssueDue {
                day: t.and_utc().with_timezone(&at.tz).date_naive(),
                passed: t < at.now,
            });
            let (deadline, days_late) = late(r.deadline, issue_due, at.today)?;
            Some(OverdueDecision {
                meeting_id: r.meeting_id,
                item_id: r.item_id,
                kind: r.kind,
                day: r.day,
                unit: r.unit,
                title: r.title,
                issue_id: r.issue_id,
                number: r.number,
                responsible: r.responsible,
                deadline,
                days_late,
            })
        })
        .collect();
    out.sort_by_key(|o| (o.deadline, o.item_id));
    Ok(out)
}
