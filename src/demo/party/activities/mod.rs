//! A branch's record over the window: 三会一课 by the rhythm (`party::domain::rhythm_months`)
//! with some months missed, so completion is not always full; themed party days, study
//! sessions, volunteer service (some linked to a grid and one of its issues), visits to members
//! in difficulty and veterans around 春节, 七一 and 重阳节 and to most (not all) members in
//! difficulty once in the window, and pairing visits. Meeting-type activities and volunteer
//! service carry attendance rows; their expected and present counts are those rows.
//!
//! `plan` decides a branch's events over the window, `events` makes each kind with its texts,
//! and `rows` writes them with their attendance and links.

mod events;
mod plan;
mod rows;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;

use super::branches::Branch;
use super::{Ids, Tree};
use crate::calendar::WorkCalendar;
use crate::db::AnyConnection;
use crate::demo::bulk::Bulk;
use crate::error::AppResult;
use plan::plan;
use rows::{ACTIVITY_COLUMNS, Writers, write};

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
/// Share of the members in difficulty a branch visits in the window besides the festivals.
const VISITED: f64 = 0.85;
/// Chance a pairing is visited in a month.
const PAIRING: f64 = 0.5;
/// Share of volunteer services linked to a grid and an issue they helped with.
const LINKED: f64 = 0.15;
/// Share of those not present who asked for leave (the others are absent, reason noted).
const ON_LEAVE: f64 = 0.6;

/// The window: local days `start..=today`, and now (UTC).
pub(super) struct Window {
    pub(super) start: NaiveDate,
    pub(super) today: NaiveDate,
    pub(super) now: NaiveDateTime,
}

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
