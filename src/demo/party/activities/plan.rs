//! When a branch meets over the window: 三会一课 by the month's rhythm with gaps (those of the
//! month and quarter the window begins in on its part of them: the record begins there), themed
//! days, study, volunteer service, pairing visits, the festival visits (慰问) and a visit to most
//! members in difficulty, silence and the future left out.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::events::{
    Event, Who, committee, event, general, group_meeting, hm, lecture, pairing, study, themed_day,
};
use super::{
    COMMITTEE, GROUP, PAIRING, QUARTERLY, STUDY, THEMED, THEMED_BRANCHES, VISITED,
    VOLUNTEER_WEIGHTS, Window,
};
use crate::calendar::WorkCalendar;
use crate::demo::party::branches::Branch;
use crate::demo::party::texts::{self, pick};

/// 春节 and 重阳节 (lunar dates) of the years the demo may cover.
pub(super) const SPRING: [(i32, u32, u32); 6] = [
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
    (2027, 2, 6),
    (2028, 1, 26),
];
pub(super) const DOUBLE_NINTH: [(i32, u32, u32); 6] = [
    (2023, 10, 23),
    (2024, 10, 11),
    (2025, 10, 29),
    (2026, 10, 18),
    (2027, 10, 8),
    (2028, 10, 26),
];

/// The months `start..=today` touches, as their first days.
pub(super) fn months(w: &Window) -> Vec<NaiveDate> {
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

/// A working day of the month from `from` (its first day, or the window's start in the
/// window's first month, so the meetings of a month the record begins in are on the record),
/// near `dom` (day of month) when given.
pub(super) fn workday(
    rng: &mut StdRng,
    cal: &WorkCalendar,
    from: NaiveDate,
    dom: Option<u32>,
) -> NaiveDate {
    let month = from.with_day(1).unwrap_or(from);
    let last = month
        .checked_add_months(chrono::Months::new(1))
        .map_or(month, |n| n - Duration::days(1));
    let want = dom.unwrap_or_else(|| rng.random_range(from.day()..=last.day()));
    let mut d = month.with_day(want.min(last.day())).unwrap_or(month);
    for _ in 0..7 {
        if cal.is_workday(d) || d >= last {
            break;
        }
        d = d.succ_opt().unwrap_or(d);
    }
    while !cal.is_workday(d) && d > from.min(d) {
        d = d.pred_opt().unwrap_or(d);
    }
    d
}

/// A branch's events over the window, silence and the future left out.
pub(super) fn plan(rng: &mut StdRng, b: &Branch, cal: &WorkCalendar, w: &Window) -> Vec<Event> {
    let themed = rng.random_bool(THEMED_BRANCHES);
    let themed_dom = rng.random_range(5..=20);
    // Which month of each quarter holds the general meeting and the lecture; in the quarter the
    // window begins in, a month on the record.
    let general_at = rng.random_range(0..3);
    let lecture_at = rng.random_range(0..3);
    let begun = |m: NaiveDate| {
        let quarter = |d: NaiveDate| (d.year(), d.month0() / 3);
        if quarter(m) == quarter(w.start) {
            (w.start.month0() % 3) as usize
        } else {
            0
        }
    };
    let mut events = Vec::new();
    for (n, month) in months(w).into_iter().enumerate() {
        let in_quarter = (month.month0() % 3) as usize;
        let from = month.max(w.start);
        if rng.random_bool(COMMITTEE) {
            let day = workday(rng, cal, from, None);
            events.push(committee(rng, day));
        }
        if rng.random_bool(GROUP) {
            let day = workday(rng, cal, from, None);
            events.push(group_meeting(rng, b, day, n));
        }
        if in_quarter == general_at.max(begun(month)) && rng.random_bool(QUARTERLY) {
            let day = workday(rng, cal, from, None);
            events.push(general(rng, day));
        }
        if in_quarter == lecture_at.max(begun(month)) && rng.random_bool(QUARTERLY) {
            let day = workday(rng, cal, from, None);
            events.push(lecture(rng, b, day));
        }
        if themed && rng.random_bool(THEMED) {
            let day = workday(rng, cal, month, Some(themed_dom));
            events.push(themed_day(rng, day));
        }
        if rng.random_bool(STUDY) {
            let day = workday(rng, cal, from, None);
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
    let looked_in = visited(rng, b);
    visits(rng, b, w, &looked_in, &mut events);
    routine_visits(rng, b, w, &looked_in, &mut events);
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

/// Volunteer service any day of the month, weekends included.
pub(super) fn volunteering(rng: &mut StdRng, month: NaiveDate, events: &mut Vec<Event>) {
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

/// Members in difficulty the branch looks in on in the window: most, not all, so the summary has
/// visits to count and members left to name (the others are not visited at the festivals either).
fn visited(rng: &mut StdRng, b: &Branch) -> Vec<usize> {
    (0..b.members.len())
        .filter(|&i| {
            let m = &b.members[i];
            m.active && !m.difficulty.is_empty()
        })
        .filter(|_| rng.random_bool(VISITED))
        .collect()
}

/// One visit (走访慰问) to each member in difficulty the branch looks in on, on a day of this
/// year's part of the window before today.
pub(super) fn routine_visits(
    rng: &mut StdRng,
    b: &Branch,
    w: &Window,
    looked_in: &[usize],
    events: &mut Vec<Event>,
) {
    let jan1 = w.today.with_ordinal(1).unwrap_or(w.today);
    let from = w.start.max(jan1);
    let span = (w.today - from).num_days();
    for &i in looked_in {
        let m = &b.members[i];
        let on = from + Duration::days(rng.random_range(0..span.max(1)));
        let gift = pick(rng, texts::VISIT_GIFTS);
        events.push(
            event("visit", on, (hm(15, 0), 60), Who::Visit(i, gift)).texts(
                format!("走访慰问困难党员{}", m.name),
                pick(rng, texts::VISIT_CONTENT),
                pick(rng, texts::VISIT_OUTCOMES),
            ),
        );
    }
}

/// Visits (慰问) in the days before 春节 (members in difficulty and veterans), around 七一
/// (veterans and members in great difficulty) and at 重阳节 (veterans and elderly members in
/// difficulty); members in difficulty only among those the branch looks in on.
pub(super) fn visits(
    rng: &mut StdRng,
    b: &Branch,
    w: &Window,
    looked_in: &[usize],
    events: &mut Vec<Event>,
) {
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
            if !due || !m.difficulty.is_empty() && !looked_in.contains(&i) {
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
