//! A branch's record over the window: 三会一课 by the rhythm (`party::domain::rhythm_months`)
//! with some months missed, so completion is not always full; themed party days, study
//! sessions, volunteer service (some linked to a grid and one of its issues), visits to members
//! in difficulty and veterans around 春节, 七一 and 重阳节, and pairing visits. Meeting-type
//! activities and volunteer service carry attendance rows; their expected and present counts
//! are those rows.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::branches::Branch;
use super::texts::{self, pick};
use super::{Ids, Tree};
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts};
use crate::error::AppResult;

/// Chance a monthly or quarterly meeting due is held (the rest are the gaps the summary shows).
const COMMITTEE: f64 = 0.92;
const GROUP: f64 = 0.88;
const QUARTERLY: f64 = 0.9;
/// Branches holding a monthly themed party day, and the chance of each month's.
const THEMED_BRANCHES: f64 = 0.85;
const THEMED: f64 = 0.95;
const STUDY: f64 = 0.5;
/// Volunteer services in a month: weights of 0, 1 and 2.
const VOLUNTEER_WEIGHTS: [u32; 3] = [1, 2, 1];
/// Chance a pairing is visited in a month.
const PAIRING: f64 = 0.5;
/// Share of volunteer services linked to a grid and an issue they helped with.
const LINKED: f64 = 0.15;
/// Share of those not present who asked for leave (the others are absent, reason noted).
const ON_LEAVE: f64 = 0.6;

/// 春节 and 重阳节 (lunar dates) of the years the demo may cover.
const SPRING: [(i32, u32, u32); 6] = [
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
];
const DOUBLE_NINTH: [(i32, u32, u32); 6] = [
    (2023, 10, 23),
    (2024, 10, 11),
    (2025, 10, 29),
    (2026, 10, 18),
    (2027, 10, 8),
    (2028, 10, 26),
];

/// The window: local days `start..=today`, and now (UTC).
pub(super) struct Window {
    pub(super) start: NaiveDate,
    pub(super) today: NaiveDate,
    pub(super) now: NaiveDateTime,
}

/// Who is expected.
#[derive(Clone, Copy)]
enum Who {
    All,
    Committee,
    Group(usize),
    Volunteers,
    /// A visit to a member, with what was given.
    Visit(usize, &'static str),
    Pairing(usize),
}

struct Event {
    kind: &'static str,
    day: NaiveDate,
    start: NaiveTime,
    minutes: i64,
    title: String,
    content: String,
    outcomes: String,
    who: Who,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

fn event(kind: &'static str, day: NaiveDate, at: (NaiveTime, i64), who: Who) -> Event {
    Event {
        kind,
        day,
        start: at.0,
        minutes: at.1,
        title: String::new(),
        content: String::new(),
        outcomes: String::new(),
        who,
    }
}

impl Event {
    fn texts(mut self, title: impl Into<String>, content: &str, outcomes: &str) -> Event {
        self.title = title.into();
        self.content = content.into();
        self.outcomes = outcomes.into();
        self
    }
}

struct Writers {
    activities: Bulk,
    attendance: Bulk,
    links: Bulk,
}

const ACTIVITY_COLUMNS: &str = "id, branch_id, scope_path, kind, title, day, start_time, \
    end_time, place, host, recorder, content, outcomes, expected, present, visited, \
    visited_member_id, difficulty, given, pairing_id, photos, created_by, version, created_at, \
    updated_at";

/// Writes every branch's activities; sets each branch's `last_activity`. Returns how many.
pub(super) fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    branches: &[Branch],
    cal: &WorkCalendar,
    w: &Window,
    ids: &mut Ids,
) -> AppResult<usize> {
    let first = ids.activity;
    let mut out = Writers {
        activities: Bulk::new("party_activities", ACTIVITY_COLUMNS),
        attendance: Bulk::new(
            "party_attendance",
            "activity_id, member_id, attendance, reason",
        ),
        links: Bulk::new("party_activity_links", "activity_id, grid_id, issue_id"),
    };
    for b in branches {
        let mut events = plan(rng, b, cal, w);
        events.sort_by_key(|e| (e.day, e.start));
        for e in &events {
            write(conn, rng, tree, b, e, ids.activity, &mut out)?;
            ids.activity += 1;
        }
    }
    out.activities.flush(conn)?;
    out.attendance.flush(conn)?;
    out.links.flush(conn)?;
    // One statement rather than a running maximum per branch: the kept column is exactly what
    // the app's own writes would leave.
    diesel::sql_query(
        "UPDATE party_branches SET last_activity = (SELECT MAX(a.day) FROM party_activities a \
         WHERE a.branch_id = party_branches.id)",
    )
    .execute(conn)?;
    Ok((ids.activity - first) as usize)
}

/// The months `start..=today` touches, as their first days.
fn months(w: &Window) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = w.start.with_day(1).unwrap_or(w.start);
    while m <= w.today {
        out.push(m);
        m = m
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    out
}

/// A working day of the month, near `dom` (day of month) when given.
fn workday(rng: &mut StdRng, cal: &WorkCalendar, month: NaiveDate, dom: Option<u32>) -> NaiveDate {
    let last = month
        .checked_add_months(chrono::Months::new(1))
        .map_or(month, |n| n - Duration::days(1));
    let want = dom.unwrap_or_else(|| rng.random_range(1..=last.day()));
    let mut d = month.with_day(want.min(last.day())).unwrap_or(month);
    for _ in 0..7 {
        if cal.is_workday(d) || d >= last {
            break;
        }
        d = d.succ_opt().unwrap_or(d);
    }
    while !cal.is_workday(d) && d > month {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// A branch's events over the window, silence and the future left out.
fn plan(rng: &mut StdRng, b: &Branch, cal: &WorkCalendar, w: &Window) -> Vec<Event> {
    let themed = rng.random_bool(THEMED_BRANCHES);
    let themed_dom = rng.random_range(5..=20);
    // Which month of each quarter holds the general meeting and the lecture.
    let general_at = rng.random_range(0..3);
    let lecture_at = rng.random_range(0..3);
    let mut events = Vec::new();
    for (n, month) in months(w).into_iter().enumerate() {
        let in_quarter = (month.month0() % 3) as usize;
        if rng.random_bool(COMMITTEE) {
            let day = workday(rng, cal, month, None);
            events.push(committee(rng, day));
        }
        if rng.random_bool(GROUP) {
            let day = workday(rng, cal, month, None);
            events.push(group_meeting(rng, b, day, n));
        }
        if in_quarter == general_at && rng.random_bool(QUARTERLY) {
            let day = workday(rng, cal, month, None);
            events.push(general(rng, day));
        }
        if in_quarter == lecture_at && rng.random_bool(QUARTERLY) {
            let day = workday(rng, cal, month, None);
            events.push(lecture(rng, b, day));
        }
        if themed && rng.random_bool(THEMED) {
            let day = workday(rng, cal, month, Some(themed_dom));
            events.push(themed_day(rng, day));
        }
        if rng.random_bool(STUDY) {
            let day = workday(rng, cal, month, None);
            events.push(study(rng, day));
        }
        volunteering(rng, month, &mut events);
        for (p, _) in b.pairings.iter().enumerate() {
            if rng.random_bool(PAIRING) {
                let last = month
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(month);
                let day = month + Duration::days(rng.random_range(0..(last - month).num_days()));
                events.push(pairing(rng, b, day, p));
            }
        }
    }
    visits(rng, b, w, &mut events);
    let now_local = w.now + Duration::hours(8);
    let quiet_after = b.silent_from.unwrap_or(w.today);
    events.retain(|e| {
        e.day >= w.start
            && e.day <= quiet_after
            && e.day.and_time(e.start) + Duration::minutes(e.minutes) <= now_local
    });
    // A short window (the tests' week) still shows every branch that is not silent at work.
    if events.is_empty() && b.silent_from.is_none() && w.start < w.today {
        let span = (w.today - w.start).num_days();
        let day = w.start + Duration::days(rng.random_range(0..span));
        events.push(study(rng, day));
    }
    events
}

fn committee(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content, outcomes) = *texts::COMMITTEE
        .get(rng.random_range(0..texts::COMMITTEE.len()))
        .unwrap_or(&texts::COMMITTEE[0]);
    let at = if rng.random_bool(0.5) {
        hm(9, 0)
    } else {
        hm(15, 0)
    };
    event("committee", day, (at, 60), Who::Committee).texts(
        format!("支委会：{title}"),
        content,
        outcomes,
    )
}

fn group_meeting(rng: &mut StdRng, b: &Branch, day: NaiveDate, n: usize) -> Event {
    let g = n % b.groups.len().max(1);
    let (topic, content) = texts::STUDY[rng.random_range(0..texts::STUDY.len())];
    let group = match b.groups.get(g).map(String::as_str) {
        Some("") | None => "党小组会".to_string(),
        Some(name) => format!("{name}会"),
    };
    event("group_meeting", day, (hm(15, 0), 90), Who::Group(g)).texts(
        format!("{group}：{topic}"),
        content,
        pick(rng, texts::STUDY_OUTCOMES),
    )
}

fn general(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content, outcomes) = texts::GENERAL[rng.random_range(0..texts::GENERAL.len())];
    event("general_meeting", day, (hm(9, 0), 120), Who::All).texts(
        format!("党员大会：{title}"),
        content,
        outcomes,
    )
}

fn lecture(rng: &mut StdRng, b: &Branch, day: NaiveDate) -> Event {
    // A first secretary's lecture only where the branch has one.
    let offer: Vec<&(&str, &str)> = texts::LECTURES
        .iter()
        .filter(|l| b.first_secretary.is_some() || !l.0.starts_with("第一书记"))
        .collect();
    let (title, content) = *offer[rng.random_range(0..offer.len())];
    event("lecture", day, (hm(14, 30), 120), Who::All).texts(
        title,
        content,
        pick(rng, texts::LECTURE_OUTCOMES),
    )
}

fn themed_day(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content) = texts::THEMED[day.month0() as usize];
    event("themed_day", day, (hm(9, 0), 150), Who::All).texts(
        title,
        content,
        pick(rng, texts::THEMED_OUTCOMES),
    )
}

fn study(rng: &mut StdRng, day: NaiveDate) -> Event {
    let (title, content) = texts::STUDY[rng.random_range(0..texts::STUDY.len())];
    event("study", day, (hm(15, 0), 90), Who::All).texts(
        title,
        content,
        pick(rng, texts::STUDY_OUTCOMES),
    )
}

/// Volunteer service any day of the month, weekends included.
fn volunteering(rng: &mut StdRng, month: NaiveDate, events: &mut Vec<Event>) {
    let total: u32 = VOLUNTEER_WEIGHTS.iter().sum();
    let mut roll = rng.random_range(0..total);
    let mut n = 0;
    for (k, weight) in VOLUNTEER_WEIGHTS.iter().enumerate() {
        if roll < *weight {
            n = k;
            break;
        }
        roll -= weight;
    }
    let days = month
        .checked_add_months(chrono::Months::new(1))
        .map_or(28, |next| (next - month).num_days());
    for _ in 0..n {
        let day = month + Duration::days(rng.random_range(0..days));
        let (title, content) = texts::VOLUNTEER[rng.random_range(0..texts::VOLUNTEER.len())];
        events.push(
            event("volunteer", day, (hm(8, 30), 150), Who::Volunteers).texts(
                format!("党员志愿者服务队：{title}"),
                content,
                pick(rng, texts::VOLUNTEER_OUTCOMES),
            ),
        );
    }
}

fn pairing(rng: &mut StdRng, b: &Branch, day: NaiveDate, p: usize) -> Event {
    let household = b.pairings.get(p).map_or("", |x| x.household.as_str());
    event("pairing", day, (hm(10, 0), 60), Who::Pairing(p)).texts(
        format!("结对帮扶走访：{household}"),
        pick(rng, texts::PAIRING_CONTENT),
        pick(rng, texts::PAIRING_OUTCOMES),
    )
}

/// Visits (慰问) in the days before 春节 (members in difficulty and veterans), around 七一
/// (veterans and members in great difficulty) and at 重阳节 (veterans and elderly members in
/// difficulty).
fn visits(rng: &mut StdRng, b: &Branch, w: &Window, events: &mut Vec<Event>) {
    let ymd = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d);
    let mut festivals: Vec<(&str, NaiveDate, i64)> = Vec::new();
    for y in w.start.year()..=w.today.year() {
        if let Some(d) = SPRING.iter().find(|s| s.0 == y).and_then(|s| ymd(*s)) {
            festivals.push(("春节", d, 10));
        }
        if let Some(d) = ymd((y, 7, 1)) {
            festivals.push(("七一", d, 8));
        }
        if let Some(d) = DOUBLE_NINTH.iter().find(|s| s.0 == y).and_then(|s| ymd(*s)) {
            festivals.push(("重阳节", d, 3));
        }
    }
    for (festival, day, before) in festivals {
        for (i, m) in b.members.iter().enumerate() {
            let due = m.active
                && match festival {
                    "春节" => m.veteran() || !m.difficulty.is_empty(),
                    "七一" => m.veteran() || m.difficulty == "very_difficult",
                    _ => m.veteran() || !m.difficulty.is_empty() && m.joined.year() < 1980,
                };
            if !due {
                continue;
            }
            let on = day - Duration::days(rng.random_range(1..=before));
            let gift = pick(rng, texts::VISIT_GIFTS);
            let whom = if m.veteran() {
                "老党员"
            } else {
                "困难党员"
            };
            events.push(
                event("visit", on, (hm(10, 0), 60), Who::Visit(i, gift)).texts(
                    format!("{festival}走访慰问{whom}{}", m.name),
                    pick(rng, texts::VISIT_CONTENT),
                    pick(rng, texts::VISIT_OUTCOMES),
                ),
            );
        }
    }
}

/// One activity with its attendance and links.
fn write(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    b: &Branch,
    e: &Event,
    id: i32,
    out: &mut Writers,
) -> AppResult<()> {
    let expected = expected(rng, b, e.who);
    let mut present = 0;
    let mut rows = Vec::with_capacity(expected.len());
    for &m in &expected {
        // Volunteers sign up for the service they come to.
        let here = matches!(e.who, Who::Volunteers) || rng.random_bool(turnout(b));
        let (attendance, reason) = if here {
            present += 1;
            ("present", "")
        } else if rng.random_bool(ON_LEAVE) {
            ("leave", pick(rng, texts::ABSENCE_REASONS))
        } else {
            ("absent", pick(rng, texts::ABSENCE_REASONS))
        };
        rows.push(format!(
            "({id}, {}, '{attendance}', {})",
            b.members[m].id,
            q(reason)
        ));
    }
    let secretary = b.members.first().map_or("", |m| m.name.as_str());
    let recorder = b.members.get(1).map_or(secretary, |m| m.name.as_str());
    let host = match e.who {
        Who::Group(g) => b
            .members
            .iter()
            .find(|m| m.group == g && m.active)
            .map_or(secretary, |m| m.name.as_str()),
        Who::Pairing(p) => b
            .pairings
            .get(p)
            .and_then(|x| b.members.get(x.member))
            .map_or(secretary, |m| m.name.as_str()),
        _ if e.title.starts_with("第一书记") => b
            .first_secretary
            .as_ref()
            .map_or(secretary, |f| f.0.as_str()),
        _ => secretary,
    };
    let (visited, visited_id, difficulty, given) = match e.who {
        Who::Visit(m, gift) => {
            let x = &b.members[m];
            (x.name.as_str(), Some(x.id), x.difficulty, gift)
        }
        Who::Pairing(p) => (
            b.pairings.get(p).map_or("", |x| x.household.as_str()),
            None,
            "",
            "",
        ),
        _ => ("", None, "", ""),
    };
    let place = match e.who {
        Who::Visit(m, _) => b.members[m].address.clone(),
        Who::Pairing(p) => b
            .pairings
            .get(p)
            .map_or_else(String::new, |x| x.address.clone()),
        Who::Volunteers => match b.community {
            Some(c) => format!("{}辖区楼院", tree.communities[c].name),
            None => "辖区街面".to_string(),
        },
        _ => b.place.clone(),
    };
    let pairing_id = match e.who {
        Who::Pairing(p) => b.pairings.get(p).map(|x| x.id),
        _ => None,
    };
    let end = e.start + Duration::minutes(e.minutes);
    // Typed in the same day after the activity, or the next morning; never after now.
    let typed = (e.day.and_time(end) - Duration::hours(8)
        + Duration::minutes(rng.random_range(20..=960)))
    .min(crate::db::now());
    let row = format!(
        "({id}, {}, {}, '{}', {}, '{}', '{}', '{}', {}, {}, {}, {}, {}, {}, {present}, {}, {}, \
         '{difficulty}', {}, {}, 0, {}, 1, {}, {})",
        b.id,
        q(&b.path),
        e.kind,
        q(&e.title),
        e.day,
        e.start.format("%H:%M"),
        end.format("%H:%M"),
        q(&place),
        q(host),
        q(recorder),
        q(&e.content),
        q(&e.outcomes),
        expected.len(),
        q(visited),
        id_opt(visited_id),
        q(given),
        id_opt(pairing_id),
        id_opt(b.recorder_account),
        ts(typed),
        ts(typed),
    );
    out.activities.push(conn, row)?;
    for r in rows {
        out.attendance.push_after(conn, r, &mut out.activities)?;
    }
    if e.kind == "volunteer" && rng.random_bool(LINKED) {
        link(conn, rng, tree, b, e.day, id, out)?;
    }
    Ok(())
}

/// A branch's share present: 85–95%, steady per branch (derived from its id so it needs no
/// state).
fn turnout(b: &Branch) -> f64 {
    0.85 + f64::from(b.id.rem_euclid(11)) / 100.0
}

/// The member indexes expected at an event.
fn expected(rng: &mut StdRng, b: &Branch, who: Who) -> Vec<usize> {
    let active = (0..b.members.len()).filter(|&i| b.members[i].active);
    match who {
        Who::All => active.collect(),
        Who::Committee => active.take(b.committee).collect(),
        Who::Group(g) => active.filter(|&i| b.members[i].group == g).collect(),
        Who::Volunteers => {
            let team: Vec<usize> = active.filter(|&i| b.members[i].volunteer).collect();
            let n = rng.random_range(4..=12).min(team.len());
            let skip = rng.random_range(0..=team.len() - n);
            team[skip..skip + n].to_vec()
        }
        Who::Visit(..) | Who::Pairing(_) => Vec::new(),
    }
}

/// Links a volunteer service to a grid of its community and an issue of that grid reported in
/// the month before (党建引领网格治理): one row for the grid, one for the issue.
fn link(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    b: &Branch,
    day: NaiveDate,
    id: i32,
    out: &mut Writers,
) -> AppResult<()> {
    let Some(c) = b.community else {
        return Ok(());
    };
    let recent: Vec<_> = tree
        .issues
        .get(&c)
        .map(|list| {
            list.iter()
                .filter(|i| i.day() <= day && i.day() > day - Duration::days(30))
                .collect()
        })
        .unwrap_or_default();
    let (grid, issue) = match recent.get(rng.random_range(0..recent.len().max(1))) {
        Some(i) => (Some(i.grid), Some(i.id)),
        None => {
            let grids = &tree.communities[c].grids;
            (
                grids.get(rng.random_range(0..grids.len().max(1))).copied(),
                None,
            )
        }
    };
    if let Some(g) = grid {
        out.links
            .push_after(conn, format!("({id}, {g}, NULL)"), &mut out.activities)?;
    }
    if let Some(i) = issue {
        out.links
            .push_after(conn, format!("({id}, NULL, {i})"), &mut out.activities)?;
    }
    Ok(())
}
