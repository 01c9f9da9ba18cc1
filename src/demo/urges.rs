//! A few 督办 on the demo's overdue issues in 林山寨: the street leader chased the oldest overdue
//! ones (the first of them twice), so the issue page, the list's 督办中 filter, the to-do badges
//! and the next weekly meeting's 领导督办 lines have something to show. Deterministic: the
//! issues are the oldest overdue by deadline, the times fixed offsets before now.

use chrono::Duration;
use diesel::prelude::*;

use crate::db::schema::{issues, users};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::issues::domain::clock_states;
use crate::issues::models::{Issue, add_event};
use crate::issues::urge::models::{event, insert};
use crate::org::models::OrgUnit;

const NOTES: [&str; 4] = [
    "已超期，请承办单位说明原因，本周内办结并报告结果。",
    "群众反映强烈，请加快处置，街道将在周例会上听取进展。",
    "请主要负责同志亲自过问，明确责任人和完成时限。",
    "再次督办：仍未办结，请于三个工作日内书面说明。",
];

/// Urges the oldest overdue issues under `street` as the demo's `leader`; returns how many urges.
pub fn generate(conn: &mut AnyConnection, street: &OrgUnit) -> AppResult<usize> {
    let Some(leader) = users::table
        .filter(users::username.eq("leader"))
        .select(users::id)
        .first_row::<i32>(conn)
        .optional()?
    else {
        return Ok(0);
    };
    let now = crate::db::now();
    let (lo, hi) = crate::db::subtree_range(&street.path);
    let overdue: Vec<Issue> = issues::table
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .filter(issues::state.eq_any(clock_states()))
        .filter(issues::deadline.lt(now))
        .order((issues::deadline.asc(), issues::id.asc()))
        .limit(5)
        .select(Issue::as_select())
        .load(conn)?;
    let mut made = 0;
    for (i, issue) in overdue.iter().enumerate() {
        // The first one twice: yesterday, then again this morning.
        let times: &[i64] = if i == 0 { &[26, 3] } else { &[4 + i as i64] };
        for (k, hours) in times.iter().enumerate() {
            let at = now - Duration::hours(*hours);
            let note = NOTES[if k > 0 { 3 } else { i % 3 }];
            insert(conn, issue.id, leader, note, None, at)?;
            add_event(conn, &event(issue, leader, note, String::new(), at))?;
            made += 1;
        }
    }
    Ok(made)
}
