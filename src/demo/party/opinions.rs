//! The opinion box (党情民意箱) of every community over the window: two to six opinions a
//! month by box, visit, phone, meeting or online; older ones mostly answered by the community's
//! clerk, some turned into an issue of the community's grids (one the demo already reported,
//! preferably from the opinion box), recent ones mostly still open.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::texts::{self, pick};
use super::{IssueRef, Tree};
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts, ts_opt};
use crate::demo::names;
use crate::error::AppResult;

/// Channel codes of `party_opinions.channel`.
const CHANNELS: [&str; 5] = ["box", "visit", "phone", "meeting", "online"];
/// Opinions a month per community.
const PER_MONTH: (u32, u32) = (2, 6);
/// Up to this many days old an opinion is recent: mostly open.
const RECENT_DAYS: i64 = 14;
/// (answered, turned into an issue) shares of recent and of older opinions; the rest are open.
const RECENT: (f64, f64) = (0.2, 0.05);
const OLDER: (f64, f64) = (0.66, 0.17);

const COLUMNS: &str = "unit_id, scope_path, channel, received_on, content, contact_name, \
    contact_phone, state, answer, answered_by, answered_at, issue_id, created_by, version, \
    created_at, updated_at";

/// What became of an opinion: state, answer, by, at, issue.
type Outcome = (
    &'static str,
    String,
    Option<i32>,
    Option<NaiveDateTime>,
    Option<i32>,
);

/// Writes the opinions; returns how many.
pub(super) fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    tree: &Tree,
    (start, today): (NaiveDate, NaiveDate),
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut w = Bulk::new("party_opinions", COLUMNS);
    let mut n = 0;
    let span = (today - start).num_days() + 1;
    // A month's worth of opinions per 30 days of the window, spread over its days.
    let per_day = f64::from(PER_MONTH.0 + PER_MONTH.1) / 2.0 / 30.0;
    for (c, com) in tree.communities.iter().enumerate() {
        let count = ((span as f64) * per_day * rng.random_range(0.67..1.5)).round() as i64;
        let clerk = tree.clerk_of(c);
        let mut days: Vec<NaiveDate> = (0..count.max(1))
            .map(|_| start + Duration::days(rng.random_range(0..span)))
            .collect();
        days.sort_unstable();
        for day in days {
            let received = day.and_time(NaiveTime::from_hms_opt(8, 30, 0).unwrap_or_default())
                - Duration::hours(8)
                + Duration::minutes(rng.random_range(0..540));
            let received = received.min(now);
            let (content, answer) = texts::OPINIONS[rng.random_range(0..texts::OPINIONS.len())];
            let channel = pick(rng, &CHANNELS);
            let anonymous = channel == "box" && rng.random_bool(texts::ANONYMOUS_SHARE);
            let (name, phone) = if anonymous {
                (String::new(), String::new())
            } else {
                (names::person_name(rng), names::mobile(rng))
            };
            let (state, answer, by, at, issue) = outcome(
                rng,
                tree.issues.get(&c),
                (day, today, received, now),
                answer,
                clerk,
            );
            w.push(
                conn,
                format!(
                    "({}, {}, '{channel}', '{day}', {}, {}, {}, '{state}', {}, {}, {}, {}, {}, \
                     1, {}, {})",
                    com.id,
                    q(&com.path),
                    q(content),
                    q(&name),
                    q(&phone),
                    q(&answer),
                    id_opt(by),
                    ts_opt(at),
                    id_opt(issue),
                    id_opt(clerk),
                    ts(received),
                    ts(at.unwrap_or(received)),
                ),
            )?;
            n += 1;
        }
    }
    w.flush(conn)?;
    Ok(n)
}

fn outcome(
    rng: &mut StdRng,
    issues: Option<&Vec<IssueRef>>,
    (day, today, received, now): (NaiveDate, NaiveDate, NaiveDateTime, NaiveDateTime),
    answer: &str,
    clerk: Option<i32>,
) -> Outcome {
    let (answered, turned) = if (today - day).num_days() <= RECENT_DAYS {
        RECENT
    } else {
        OLDER
    };
    let roll: f64 = rng.random();
    if roll < turned
        && let Some(i) = issue_after(rng, issues, day)
    {
        let text = format!("已转为矛盾问题{}，由网格跟进办理。", i.number);
        return (
            "issue",
            text,
            clerk,
            Some(i.reported.max(received)),
            Some(i.id),
        );
    }
    if roll < answered + turned {
        let at = (received + Duration::hours(rng.random_range(4..=120))).min(now);
        return ("answered", answer.to_string(), clerk, Some(at), None);
    }
    ("open", String::new(), None, None, None)
}

/// An issue of the community reported within five days after the opinion came in, one from
/// the opinion box when there is one.
fn issue_after<'a>(
    rng: &mut StdRng,
    issues: Option<&'a Vec<IssueRef>>,
    day: NaiveDate,
) -> Option<&'a IssueRef> {
    let near: Vec<&IssueRef> = issues?
        .iter()
        .filter(|i| i.day() >= day && i.day() <= day + Duration::days(5))
        .collect();
    let boxed: Vec<&IssueRef> = near.iter().copied().filter(|i| i.from_box).collect();
    let from = if boxed.is_empty() { &near } else { &boxed };
    from.get(rng.random_range(0..from.len().max(1))).copied()
}
