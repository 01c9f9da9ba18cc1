//! Demo issues at the report's rates: about 15,000 a year per street (林山寨: 15,882 found by the
//! end of April 2013, 99.22% closed), each with its full timeline, deadlines on the real work
//! calendar, some rework, extensions, holds, rejections and cancellations, and the last days'
//! issues still in progress. The summary table is filled from the same rows.
//!
//! Rows are written with multi-row INSERTs of literal values (our own generated text, quoted):
//! a district-year is ~225,000 issues and 1.4 million timeline entries, which row-at-a-time
//! inserts would take many minutes to write.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::bulk::{Bulk, id_opt, q, ts, ts_opt};
use crate::calendar::{Limit, WorkCalendar};
use crate::db::AnyConnection;
use crate::db::schema::{org_units, users};
use crate::error::AppResult;
use crate::issues::domain::{self, State};
use crate::issues::figures::domain::{self as stats, Cell, Tally};
use crate::issues::models::Issue;
use crate::issues::workflow::limit_of;

/// Issues a street reports on an average day (≈15,000 a year).
const PER_DAY: f64 = 15_000.0 / 365.0;

/// A grid with what the generator needs of it.
struct Grid {
    id: i32,
    path: String,
    community: i32,
    community_name: String,
    street_code: String,
    /// Who reports and handles here: the grid's worker account if it has one, else the
    /// community's clerk.
    worker: i32,
    clerk: i32,
}

const ISSUE_COLUMNS: &str = "id, number, grid_id, scope_path, owner_unit_id, category_id, source, \
    urgency, title, description, address, people, state, reporter_id, dispatcher_id, \
    handler_user_id, handler_unit_id, handler_party, handled_by, pending, pending_days, pending_by, \
    reported_at, registered_at, dispatched_at, handled_at, closed_at, deadline, extension_days, \
    rework_count, version, updated_at";

const EVENT_COLUMNS: &str =
    "issue_id, actor_id, action, from_state, to_state, note, detail, created_at";

/// Local office time → UTC (Asia/Shanghai has no daylight saving: a fixed 8 hours).
fn utc(t: NaiveDateTime) -> NaiveDateTime {
    t - Duration::hours(8)
}

fn local(t: NaiveDateTime) -> NaiveDateTime {
    t + Duration::hours(8)
}

/// A random time between `from` and `from + hours`, inside office hours when possible.
fn later(
    rng: &mut StdRng,
    from: NaiveDateTime,
    min_minutes: i64,
    max_minutes: i64,
) -> NaiveDateTime {
    let t = from + Duration::minutes(rng.random_range(min_minutes..=max_minutes.max(min_minutes)));
    // Work done after 19:00 is recorded the next morning.
    let l = local(t);
    if l.hour() >= 19 {
        utc(l
            .date()
            .succ_opt()
            .unwrap_or(l.date())
            .and_hms_opt(8, 30, 0)
            .unwrap_or(l)
            + Duration::minutes(rng.random_range(0..90)))
    } else {
        t
    }
}

/// An org unit as the generator reads it: id, parent, kind, name, code, path.
type UnitRow = (i32, Option<i32>, String, String, String, String);

fn load_grids(conn: &mut AnyConnection) -> AppResult<Vec<Grid>> {
    let units: Vec<UnitRow> = org_units::table
        .select((
            org_units::id,
            org_units::parent_id,
            org_units::kind,
            org_units::name,
            org_units::code,
            org_units::path,
        ))
        .load(conn)?;
    let by_id: HashMap<i32, &UnitRow> = units.iter().map(|u| (u.0, u)).collect();
    let staff: Vec<(i32, i32, String)> = users::table
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::org_unit_id, users::role))
        .load(conn)?;
    let mut clerk_of: HashMap<i32, i32> = HashMap::new();
    let mut worker_of: HashMap<i32, i32> = HashMap::new();
    for (id, unit, role) in &staff {
        match role.as_str() {
            "clerk" => {
                clerk_of.entry(*unit).or_insert(*id);
            }
            "grid_worker" => {
                worker_of.entry(*unit).or_insert(*id);
            }
            _ => {}
        }
    }
    let mut grids = Vec::new();
    for u in units.iter().filter(|u| u.2 == "grid") {
        let Some(community) = u.1.and_then(|p| by_id.get(&p)) else {
            continue;
        };
        let Some(street) = community.1.and_then(|p| by_id.get(&p)) else {
            continue;
        };
        let Some(clerk) = clerk_of
            .get(&community.0)
            .or_else(|| clerk_of.get(&street.0))
            .copied()
        else {
            continue;
        };
        grids.push(Grid {
            id: u.0,
            path: u.5.clone(),
            community: community.0,
            community_name: community.3.clone(),
            street_code: street.4.clone(),
            worker: worker_of.get(&u.0).copied().unwrap_or(clerk),
            clerk,
        });
    }
    Ok(grids)
}

/// Where and what: a title and an address from the community and the category.
fn place(rng: &mut StdRng, community: &str) -> String {
    let road = community
        .trim_end_matches("社区")
        .trim_end_matches('村')
        .chars()
        .take(4)
        .collect::<String>();
    let kind = ["路", "街", "巷", "小区"][rng.random_range(0..4)];
    format!("{road}{kind}{}号", rng.random_range(1..200))
}

const SOURCES: [(&str, u32); 7] = [
    ("patrol", 55),
    ("visit", 15),
    ("resident", 12),
    ("hotline", 8),
    ("opinion_box", 3),
    ("inspection", 5),
    ("superior", 2),
];

fn pick_source(rng: &mut StdRng) -> &'static str {
    let mut n = rng.random_range(0..100);
    for (s, w) in SOURCES {
        if n < w {
            return s;
        }
        n -= w;
    }
    "patrol"
}

/// One generated issue's timeline, in order: (action, from, to, actor, note, detail, at).
type Step = (
    &'static str,
    &'static str,
    &'static str,
    i32,
    &'static str,
    String,
    NaiveDateTime,
);

/// Generates `days` days of issues for every street, up to now; returns how many.
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<usize> {
    if days == 0 {
        return Ok(0);
    }
    let grids = load_grids(conn)?;
    if grids.is_empty() {
        return Ok(0);
    }
    let cats: Vec<(i32, String, i32, String)> = crate::issues::models::categories(conn)?
        .into_iter()
        .filter(|c| c.parent_id.is_some() && c.active)
        .map(|c| (c.id, c.name, c.limit_value, c.limit_unit))
        .collect();
    let start = today - Duration::days(days as i64);
    let cal: WorkCalendar = crate::calendar::models::load(
        conn,
        start - Duration::days(1),
        today + Duration::days(400),
    )?;
    let now = crate::db::now();
    let mut streets: BTreeMap<String, Vec<&Grid>> = BTreeMap::new();
    for g in &grids {
        streets.entry(g.street_code.clone()).or_default().push(g);
    }
    let first_id: i32 = crate::db::schema::issues::table
        .select(diesel::dsl::max(crate::db::schema::issues::id))
        .get_result::<Option<i32>>(conn)?
        .unwrap_or(0)
        + 1;
    let mut next_id = first_id;
    let mut seq: HashMap<(String, i32), i32> = HashMap::new();
    let mut summary: BTreeMap<(i32, Cell), Tally> = BTreeMap::new();
    let mut issues = Bulk::new("issues", ISSUE_COLUMNS);
    let mut events = Bulk::new("issue_events", EVENT_COLUMNS);
    // Today's issues too, as far as the day has got: they wait to be registered and dispatched.
    for back in (0..=days as i64).rev() {
        let day = today - Duration::days(back);
        let weekend = !cal.is_workday(day);
        for (code, street_grids) in &streets {
            let mean = if weekend {
                PER_DAY * 0.5
            } else {
                PER_DAY * 1.2
            };
            let n = rng.random_range((mean * 0.7) as u32..=(mean * 1.3) as u32);
            for _ in 0..n {
                let g = street_grids[rng.random_range(0..street_grids.len())];
                let (cat_id, cat_name, limit_value, limit_unit) =
                    &cats[rng.random_range(0..cats.len())];
                let reported = utc(day.and_time(
                    NaiveTime::from_hms_opt(7, 30, 0).unwrap_or(NaiveTime::MIN)
                        + Duration::minutes(rng.random_range(0..660)),
                ));
                if reported > now {
                    continue;
                }
                let mut issue = build(
                    rng,
                    &cal,
                    now,
                    g,
                    (*cat_id, cat_name, limit_of(*limit_value, limit_unit)),
                    reported,
                    next_id,
                );
                let year = local(reported).date().format("%Y").to_string();
                let year: i32 = year.parse().unwrap_or(2026);
                let s = seq.entry((code.clone(), year)).or_insert(0);
                *s += 1;
                issue.0.number = domain::number(code, year, *s);
                write(conn, &mut issues, &mut events, &issue.0, &issue.1)?;
                for (cell, t) in stats::contributions(&issue.0, chrono_tz::Asia::Shanghai) {
                    for unit in stats::path_ids(&issue.0.scope_path) {
                        summary.entry((unit, cell.clone())).or_default().add(&t);
                    }
                }
                next_id += 1;
            }
        }
    }
    issues.flush(conn)?;
    events.flush(conn)?;
    let mut counters = Bulk::new("issue_counters", "prefix, year, last_value");
    for ((prefix, year), last) in &seq {
        counters.push(conn, format!("({}, {year}, {last})", q(prefix)))?;
    }
    counters.flush(conn)?;
    let mut rows = Bulk::new(
        "issue_stats",
        "unit_id, month, category_id, reported, registered, rejected, cancelled, closed, \
         closed_on_time, reworked, open_due, handle_minutes",
    );
    for ((unit, (month, cat)), t) in &summary {
        rows.push(
            conn,
            format!(
                "({unit}, {}, {cat}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
                q(month),
                t.reported,
                t.registered,
                t.rejected,
                t.cancelled,
                t.closed,
                t.closed_on_time,
                t.reworked,
                t.open_due,
                t.handle_minutes
            ),
        )?;
    }
    rows.flush(conn)?;
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequence; and its planner needs statistics of
        // the freshly loaded tables before autovacuum would get round to them.
        diesel::sql_query("SELECT setval('issues_id_seq', (SELECT MAX(id) FROM issues))")
            .execute(pg)?;
        diesel::sql_query("ANALYZE issues").execute(pg)?;
        diesel::sql_query("ANALYZE issue_events").execute(pg)?;
        diesel::sql_query("ANALYZE issue_stats").execute(pg)?;
    }
    Ok((next_id - first_id) as usize)
}

/// One issue and its timeline, up to where `now` has got.
fn build(
    rng: &mut StdRng,
    cal: &WorkCalendar,
    now: NaiveDateTime,
    g: &Grid,
    (cat_id, cat_name, limit): (i32, &str, Limit),
    reported: NaiveDateTime,
    id: i32,
) -> (Issue, Vec<Step>) {
    let address = place(rng, &g.community_name);
    let mut steps: Vec<Step> = Vec::new();
    let reporter = g.worker;
    let mut i = Issue {
        id,
        number: String::new(),
        grid_id: g.id,
        scope_path: g.path.clone(),
        owner_unit_id: g.community,
        category_id: cat_id,
        source: pick_source(rng).into(),
        urgency: if rng.random_bool(0.05) {
            "urgent"
        } else {
            "normal"
        }
        .into(),
        title: format!("{address}{cat_name}"),
        description: format!("{address}发现{cat_name}问题，需按时限处置。"),
        address,
        people: String::new(),
        state: State::Reported.code().into(),
        reporter_id: reporter,
        dispatcher_id: None,
        handler_user_id: None,
        handler_unit_id: None,
        handler_party: String::new(),
        handled_by: None,
        pending: String::new(),
        pending_days: 0,
        pending_by: None,
        reported_at: reported,
        registered_at: None,
        dispatched_at: None,
        handled_at: None,
        closed_at: None,
        deadline: None,
        extension_days: 0,
        rework_count: 0,
        version: 1,
        updated_at: reported,
    };
    steps.push((
        "report",
        "",
        "reported",
        reporter,
        "",
        String::new(),
        reported,
    ));
    let mut step = |i: &mut Issue, s: Step| -> bool {
        if s.6 > now {
            return false;
        }
        i.state = s.2.into();
        i.updated_at = s.6;
        i.version += 1;
        steps.push(s);
        true
    };
    let clerk = g.clerk;
    let registered = later(rng, reported, 20, 240);
    let roll: f64 = rng.random();
    if roll < 0.006 {
        step(
            &mut i,
            (
                "reject",
                "reported",
                "rejected",
                clerk,
                "与已立案问题重复",
                String::new(),
                registered,
            ),
        );
        return (i, steps);
    }
    if !step(
        &mut i,
        (
            "register",
            "reported",
            "registered",
            clerk,
            "",
            String::new(),
            registered,
        ),
    ) {
        return (i, steps);
    }
    i.registered_at = Some(registered);
    if roll < 0.009 {
        let at = later(rng, registered, 10, 120);
        step(
            &mut i,
            (
                "cancel",
                "registered",
                "cancelled",
                clerk,
                "现场核实无此问题",
                String::new(),
                at,
            ),
        );
        return (i, steps);
    }
    let dispatched = later(rng, registered, 5, 120);
    let handler = g.worker;
    if !step(
        &mut i,
        (
            "dispatch",
            "registered",
            "dispatched",
            clerk,
            "",
            String::new(),
            dispatched,
        ),
    ) {
        return (i, steps);
    }
    i.dispatcher_id = Some(clerk);
    i.handler_user_id = Some(handler);
    i.dispatched_at = Some(dispatched);
    let deadline = utc(cal.deadline(local(dispatched), limit));
    i.deadline = Some(deadline);
    let accepted = later(rng, dispatched, 5, 90);
    if !step(
        &mut i,
        (
            "accept",
            "dispatched",
            "handling",
            handler,
            "",
            String::new(),
            accepted,
        ),
    ) {
        return (i, steps);
    }
    // About 1% stay open past their deadline (the overdue the figures show), a few are held.
    if roll > 0.99 {
        return (i, steps);
    }
    if roll > 0.987 {
        let at = later(rng, accepted, 60, 600);
        if step(
            &mut i,
            (
                "request_hang",
                "handling",
                "handling",
                handler,
                "涉及历史遗留问题，暂时无法解决",
                String::new(),
                at,
            ),
        ) {
            let at2 = later(rng, at, 30, 300);
            step(
                &mut i,
                (
                    "approve_hang",
                    "handling",
                    "hung",
                    clerk,
                    "",
                    String::new(),
                    at2,
                ),
            );
        }
        return (i, steps);
    }
    if rng.random_bool(0.02) {
        let at = later(rng, accepted, 60, 600);
        if step(
            &mut i,
            (
                "request_extension",
                "handling",
                "handling",
                handler,
                "需协调相关部门",
                "3".into(),
                at,
            ),
        ) {
            let at2 = later(rng, at, 30, 300);
            if step(
                &mut i,
                (
                    "approve_extension",
                    "handling",
                    "handling",
                    clerk,
                    "",
                    "3".into(),
                    at2,
                ),
            ) {
                i.deadline = Some(utc(cal.deadline(local(deadline), Limit::Days(3))));
                i.extension_days = 3;
            }
        }
    }
    // Handled within the limit nine times in ten.
    let span = (i.deadline.unwrap_or(deadline) - accepted)
        .num_minutes()
        .max(30);
    let mut handled = if rng.random_bool(0.9) {
        accepted + Duration::minutes(rng.random_range(10..span.max(11)))
    } else {
        i.deadline.unwrap_or(deadline) + Duration::minutes(rng.random_range(60..4_000))
    };
    if !step(
        &mut i,
        (
            "handle",
            "handling",
            "handled",
            handler,
            "已按要求处置完毕",
            String::new(),
            handled,
        ),
    ) {
        return (i, steps);
    }
    i.handled_by = Some(handler);
    i.handled_at = Some(handled);
    if rng.random_bool(0.03) {
        let at = later(rng, handled, 60, 600);
        if !step(
            &mut i,
            (
                "rework",
                "handled",
                "dispatched",
                clerk,
                "现场核查未达标",
                String::new(),
                at,
            ),
        ) {
            return (i, steps);
        }
        i.rework_count = 1;
        i.handled_at = None;
        i.dispatched_at = Some(at);
        i.deadline = Some(utc(cal.deadline(local(at), limit)));
        let acc = later(rng, at, 5, 120);
        if !step(
            &mut i,
            (
                "accept",
                "dispatched",
                "handling",
                handler,
                "",
                String::new(),
                acc,
            ),
        ) {
            return (i, steps);
        }
        handled = later(rng, acc, 60, 1_200);
        if !step(
            &mut i,
            (
                "handle",
                "handling",
                "handled",
                handler,
                "已重新处置",
                String::new(),
                handled,
            ),
        ) {
            return (i, steps);
        }
        i.handled_at = Some(handled);
    }
    let closed = later(rng, handled, 30, 1_440);
    if step(
        &mut i,
        (
            "close",
            "handled",
            "closed",
            clerk,
            "",
            String::new(),
            closed,
        ),
    ) {
        i.closed_at = Some(closed);
    }
    (i, steps)
}

fn write(
    conn: &mut AnyConnection,
    issues: &mut Bulk,
    events: &mut Bulk,
    i: &Issue,
    steps: &[Step],
) -> AppResult<()> {
    issues.push(
        conn,
        format!(
            "({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})",
            i.id,
            q(&i.number),
            i.grid_id,
            q(&i.scope_path),
            i.owner_unit_id,
            i.category_id,
            q(&i.source),
            q(&i.urgency),
            q(&i.title),
            q(&i.description),
            q(&i.address),
            q(&i.people),
            q(&i.state),
            i.reporter_id,
            id_opt(i.dispatcher_id),
            id_opt(i.handler_user_id),
            id_opt(i.handler_unit_id),
            q(&i.handler_party),
            id_opt(i.handled_by),
            q(&i.pending),
            i.pending_days,
            id_opt(i.pending_by),
            ts(i.reported_at),
            ts_opt(i.registered_at),
            ts_opt(i.dispatched_at),
            ts_opt(i.handled_at),
            ts_opt(i.closed_at),
            ts_opt(i.deadline),
            i.extension_days,
            i.rework_count,
            i.version,
            ts(i.updated_at),
        ),
    )?;
    for (action, from, to, actor, note, detail, at) in steps {
        events.push_after(
            conn,
            format!(
                "({}, {actor}, {}, {}, {}, {}, {}, {})",
                i.id,
                q(action),
                q(from),
                q(to),
                q(note),
                q(detail),
                ts(*at)
            ),
            issues,
        )?;
    }
    Ok(())
}
