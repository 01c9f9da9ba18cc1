//! The demo's agendas, drafted in memory by the rules of `crate::meetings::agenda` (carried,
//! escalated, reworked, overdue, new) as they stood when each meeting began. Running the real
//! drafting queries once per meeting would take minutes for a district-year; the generated
//! issues are read once instead, and each issue's state at a past moment is told from its
//! timestamps (the timeline itself is not read back).

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::db::schema::issues;
use crate::error::AppResult;
use crate::issues::domain::State;
use crate::meetings::domain::{REASONS, Reason};

/// A generated issue as the agenda reads it. Times are UTC.
pub(super) struct Issue {
    pub id: i32,
    pub grid_id: i32,
    pub owner: i32,
    pub category_id: i32,
    pub title: String,
    pub reported: NaiveDateTime,
    /// The state now; before `ended` (or while open) it is told from the timestamps.
    state: State,
    registered: Option<NaiveDateTime>,
    dispatched: Option<NaiveDateTime>,
    handled: Option<NaiveDateTime>,
    deadline: Option<NaiveDateTime>,
    /// Closed, rejected or cancelled at; None while open.
    ended: Option<NaiveDateTime>,
    /// Put on hold at (the demo's holds are never lifted).
    hung: Option<NaiveDateTime>,
    reworked: bool,
    /// Coordinated above its community (escalated to the street).
    pub escalated: bool,
}

/// id, grid, owner, category, title, state, reported, registered, dispatched, handled, closed,
/// deadline, rework count, updated.
type IssueRow = (
    i32,
    i32,
    i32,
    i32,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    i32,
    NaiveDateTime,
);

impl Issue {
    fn from_row(r: IssueRow, community_of: &HashMap<i32, i32>) -> Issue {
        let (id, grid_id, owner, category_id, title, state, reported) =
            (r.0, r.1, r.2, r.3, r.4, r.5, r.6);
        let state = State::parse(&state).unwrap_or(State::Reported);
        let (closed, updated) = (r.10, r.13);
        // The demo writes no closing time for rejections and cancellations: their last change is.
        let ended = match state {
            State::Closed => closed.or(Some(updated)),
            State::Rejected | State::Cancelled => Some(updated),
            _ => None,
        };
        Issue {
            id,
            grid_id,
            owner,
            category_id,
            title,
            reported,
            state,
            registered: r.7,
            dispatched: r.8,
            handled: r.9,
            deadline: r.11,
            ended,
            hung: (state == State::Hung).then_some(updated),
            reworked: r.12 > 0,
            escalated: community_of.get(&grid_id).is_some_and(|c| *c != owner),
        }
    }

    pub fn open_at(&self, t: NaiveDateTime) -> bool {
        self.reported <= t && !self.ended_by(t)
    }

    fn ended_by(&self, t: NaiveDateTime) -> bool {
        self.ended.is_some_and(|e| e <= t)
    }

    /// The state at `t`, from the timestamps. A reworked issue's first handling is not kept
    /// (its dispatch time is the rework's), so before the rework it reads as registered.
    pub fn state_at(&self, t: NaiveDateTime) -> State {
        let by = |x: Option<NaiveDateTime>| x.is_some_and(|x| x <= t);
        if self.ended_by(t) {
            self.state
        } else if by(self.hung) {
            State::Hung
        } else if by(self.handled) {
            State::Handled
        } else if by(self.dispatched) {
            State::Handling
        } else if by(self.registered) {
            State::Registered
        } else {
            State::Reported
        }
    }

    fn overdue_at(&self, t: NaiveDateTime) -> bool {
        self.deadline.is_some_and(|d| d < t) && self.open_at(t) && self.state_at(t).clock_runs()
    }

    /// Whether it is ever on an agenda for more than being new: past its deadline before it was
    /// handled, reworked, or escalated. Only these are scanned meeting by meeting.
    fn watched(&self) -> bool {
        let settled = self.handled.or(self.ended).or(self.hung);
        self.reworked
            || self.escalated
            || self.deadline.is_some_and(|d| settled.is_none_or(|s| d < s))
    }
}

/// Every issue, by id. `community_of`: a grid's community.
pub(super) fn load_issues(
    conn: &mut AnyConnection,
    community_of: &HashMap<i32, i32>,
) -> AppResult<Vec<Issue>> {
    let rows: Vec<IssueRow> = issues::table
        .order(issues::id)
        .select((
            issues::id,
            issues::grid_id,
            issues::owner_unit_id,
            issues::category_id,
            issues::title,
            issues::state,
            issues::reported_at,
            issues::registered_at,
            issues::dispatched_at,
            issues::handled_at,
            issues::closed_at,
            issues::deadline,
            issues::rework_count,
            issues::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| Issue::from_row(r, community_of))
        .collect())
}

/// A unit's issues as its agendas need them (indexes into the issue list).
#[derive(Default)]
pub(super) struct Book {
    /// Coordinated by the unit, oldest report first: the "new since" window is a slice of it.
    owned: Vec<usize>,
    /// Of the unit's subtree and [`Issue::watched`], not yet ended by the last meeting.
    watch: Vec<usize>,
}

impl Book {
    /// Files issue `i` (of the unit's subtree; the caller adds them oldest report first).
    pub fn add(&mut self, unit: i32, i: usize, issue: &Issue) {
        if issue.owner == unit {
            self.owned.push(i);
        }
        if issue.watched() {
            self.watch.push(i);
        }
    }
}

/// What the earlier held meetings of one unit and kind left behind.
#[derive(Default)]
pub(super) struct History {
    /// When the last one was held: the next one's "since".
    pub last_held: Option<NaiveDateTime>,
    /// Issues that were on one of them and were open then.
    carried: Vec<usize>,
    seen: HashSet<usize>,
}

impl History {
    /// A meeting held at `at` discussed `issues`.
    pub fn held(&mut self, at: NaiveDateTime, issues: impl IntoIterator<Item = usize>) {
        self.last_held = Some(at);
        for i in issues {
            if self.seen.insert(i) {
                self.carried.push(i);
            }
        }
    }
}

/// One drafted line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Line {
    pub issue: usize,
    pub reported: NaiveDateTime,
    pub reasons: Vec<Reason>,
}

/// The agenda of `unit`'s meeting beginning at `t`, "new" counted from `since`, at most `max`
/// lines (see [`cap`]).
pub(super) fn draft(
    issues: &[Issue],
    unit: i32,
    book: &mut Book,
    hist: &mut History,
    (since, t): (NaiveDateTime, NaiveDateTime),
    max: usize,
) -> Vec<Line> {
    let mut reasons: BTreeMap<usize, Vec<Reason>> = BTreeMap::new();
    // Ended issues never come back: both lists shrink as the year goes on.
    hist.carried.retain(|i| !issues[*i].ended_by(t));
    book.watch.retain(|i| !issues[*i].ended_by(t));
    for i in &hist.carried {
        reasons.entry(*i).or_default().push(Reason::Carried);
    }
    for i in &book.watch {
        let is = &issues[*i];
        if !is.open_at(t) {
            continue;
        }
        if is.escalated && is.owner == unit {
            reasons.entry(*i).or_default().push(Reason::Escalated);
        }
        if is.reworked && is.dispatched.is_some_and(|d| d >= since && d < t) {
            reasons.entry(*i).or_default().push(Reason::Reworked);
        }
        if is.overdue_at(t) {
            reasons.entry(*i).or_default().push(Reason::Overdue);
        }
    }
    let from = book.owned.partition_point(|i| issues[*i].reported < since);
    let to = book.owned.partition_point(|i| issues[*i].reported < t);
    for i in &book.owned[from..to.max(from)] {
        if issues[*i].open_at(t) {
            reasons.entry(*i).or_default().push(Reason::New);
        }
    }
    let lines = reasons
        .into_iter()
        .map(|(issue, mut r)| {
            r.sort_by_key(|x| rank(*x));
            Line {
                issue,
                reported: issues[issue].reported,
                reasons: r,
            }
        })
        .collect();
    cap(lines, max)
}

fn rank(r: Reason) -> usize {
    REASONS
        .iter()
        .position(|x| *x == r)
        .unwrap_or(REASONS.len())
}

/// An agenda's group: its first reason.
fn group(l: &Line) -> usize {
    l.reasons.first().map_or(REASONS.len(), |r| rank(*r))
}

/// At most `max` lines in the agenda's order (group, then oldest first). Where there are more,
/// the groups take turns, oldest first within each: a plain cut would fill a busy unit's agenda
/// with the same long-carried issues every week and never reach the new ones.
pub(super) fn cap(mut lines: Vec<Line>, max: usize) -> Vec<Line> {
    lines.sort_by_key(|l| (group(l), l.reported, l.issue));
    if lines.len() <= max {
        return lines;
    }
    let mut groups: Vec<VecDeque<Line>> = Vec::new();
    for l in lines {
        match groups.last_mut() {
            Some(g) if g.front().is_some_and(|f| group(f) == group(&l)) => g.push_back(l),
            _ => groups.push(VecDeque::from([l])),
        }
    }
    let mut out = Vec::with_capacity(max);
    while out.len() < max {
        for g in groups.iter_mut() {
            if out.len() < max
                && let Some(l) = g.pop_front()
            {
                out.push(l);
            }
        }
    }
    out.sort_by_key(|l| (group(l), l.reported, l.issue));
    out
}

/// Working days between two dates by lookup: `WorkCalendar::working_days_between` walks the
/// days, and a long-carried issue's age is asked for on every meeting.
pub(super) struct WorkDays {
    first: NaiveDate,
    /// Working days in `(first, first + i days]`.
    upto: Vec<i32>,
}

impl WorkDays {
    pub fn new(cal: &WorkCalendar, first: NaiveDate, last: NaiveDate) -> WorkDays {
        let mut upto = Vec::new();
        let mut n = 0;
        for d in first.iter_days().take_while(|d| *d <= last) {
            if d > first && cal.is_workday(d) {
                n += 1;
            }
            upto.push(n);
        }
        WorkDays { first, upto }
    }

    fn at(&self, d: NaiveDate) -> i32 {
        let i = (d - self.first).num_days().max(0) as usize;
        self.upto.get(i).or(self.upto.last()).copied().unwrap_or(0)
    }

    /// As `WorkCalendar::working_days_between(a, b)`, never negative.
    pub fn between(&self, a: NaiveDate, b: NaiveDate) -> i32 {
        (self.at(b) - self.at(a)).max(0)
    }
}

/// Asia/Shanghai's local time of a UTC time (no daylight saving: a fixed 8 hours).
pub(super) fn local(t: NaiveDateTime) -> NaiveDateTime {
    t + Duration::hours(8)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(day: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .and_then(|d| d.and_hms_opt(h, 0, 0))
            .unwrap()
    }

    fn issue(id: i32, reported: NaiveDateTime) -> Issue {
        Issue {
            id,
            grid_id: 10,
            owner: 5,
            category_id: 1,
            title: format!("问题{id}"),
            reported,
            state: State::Handling,
            registered: Some(reported + Duration::hours(1)),
            dispatched: Some(reported + Duration::hours(2)),
            handled: None,
            deadline: Some(reported + Duration::days(3)),
            ended: None,
            hung: None,
            reworked: false,
            escalated: false,
        }
    }

    fn line(issue: usize, day: u32, r: Reason) -> Line {
        Line {
            issue,
            reported: t(day, 8),
            reasons: vec![r],
        }
    }

    #[test]
    fn state_follows_the_timestamps() {
        let mut i = issue(1, t(2, 8));
        i.handled = Some(t(3, 8));
        i.ended = Some(t(3, 12));
        i.state = State::Closed;
        assert_eq!(i.state_at(t(2, 8)), State::Reported);
        assert_eq!(i.state_at(t(2, 9)), State::Registered);
        assert_eq!(i.state_at(t(2, 11)), State::Handling);
        assert_eq!(i.state_at(t(3, 9)), State::Handled);
        assert_eq!(i.state_at(t(3, 12)), State::Closed);
        assert!(i.open_at(t(3, 11)) && !i.open_at(t(3, 12)) && !i.open_at(t(1, 8)));
    }

    #[test]
    fn overdue_only_while_the_clock_runs() {
        let mut i = issue(1, t(2, 8));
        assert!(!i.overdue_at(t(4, 8)));
        assert!(i.overdue_at(t(6, 8)));
        i.handled = Some(t(5, 9));
        assert!(!i.overdue_at(t(6, 8)));
        assert!(i.watched());
        i.handled = Some(t(3, 9));
        assert!(!i.watched());
    }

    #[test]
    fn draft_carries_open_issues_and_takes_new_ones_since_the_last_meeting() {
        let mut old = issue(1, t(2, 8));
        old.handled = Some(t(2, 15));
        old.deadline = Some(t(9, 8));
        let mut closed = issue(2, t(2, 9));
        closed.ended = Some(t(3, 9));
        closed.state = State::Closed;
        let fresh = issue(3, t(4, 8));
        let issues = vec![old, closed, fresh];
        let mut book = Book::default();
        for (n, i) in issues.iter().enumerate() {
            book.add(5, n, i);
        }
        let mut hist = History::default();
        hist.held(t(2, 20), [0, 1]);
        let lines = draft(&issues, 5, &mut book, &mut hist, (t(2, 20), t(4, 10)), 25);
        assert_eq!(
            lines
                .iter()
                .map(|l| (l.issue, l.reasons.clone()))
                .collect::<Vec<_>>(),
            vec![(0, vec![Reason::Carried]), (2, vec![Reason::New])]
        );
        // The overdue issue of an earlier window is still on the next one, now also overdue.
        let later = draft(&issues, 5, &mut book, &mut hist, (t(4, 10), t(8, 10)), 25);
        assert_eq!(later[0].reasons, vec![Reason::Carried]);
        assert_eq!(later[1].issue, 2);
        assert_eq!(later[1].reasons, vec![Reason::Overdue]);
    }

    #[test]
    fn cap_lets_every_group_in() {
        let mut lines: Vec<Line> = (0..10).map(|i| line(i, 1, Reason::Carried)).collect();
        lines.push(line(10, 5, Reason::New));
        lines.push(line(11, 6, Reason::New));
        let kept = cap(lines, 4);
        assert_eq!(
            kept.iter().map(|l| l.issue).collect::<Vec<_>>(),
            vec![0, 1, 10, 11]
        );
        let few = vec![line(3, 2, Reason::New), line(1, 1, Reason::Carried)];
        assert_eq!(
            cap(few, 8).iter().map(|l| l.issue).collect::<Vec<_>>(),
            vec![1, 3]
        );
    }

    #[test]
    fn working_days_by_lookup_match_the_calendar() {
        let cal = WorkCalendar::new(Vec::<(NaiveDate, bool)>::new());
        let first = t(1, 0).date();
        let w = WorkDays::new(&cal, first, t(31, 0).date());
        for (a, b) in [(2, 9), (6, 7), (1, 31), (5, 5)] {
            assert_eq!(
                w.between(t(a, 0).date(), t(b, 0).date()),
                cal.working_days_between(t(a, 0).date(), t(b, 0).date())
            );
        }
    }
}
