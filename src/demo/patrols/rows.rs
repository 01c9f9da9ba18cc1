//! Writing one day's log of a grid: the patrol row, and for a full log its times, route, key-site
//! checks, household visits and links to the issues reported on the patrol.

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::grids::Grid;
use super::texts::{LEARNED, NEEDS, NOTES, PLACES, SITE_PROBLEMS, pick};
use super::{EXTRA_CHECK, SITE_PROBLEM, VISIT_WEIGHTS, utc};
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, q, ts};
use crate::error::AppResult;

pub(super) const PATROL_COLUMNS: &str = "id, grid_id, scope_path, worker_id, day, started_at, ended_at, \
    route, notes, quick, sites_checked, site_problems, visits, problems, corrections, version, \
    created_at, updated_at";
pub(super) const SITE_COLUMNS: &str = "patrol_id, site_id, day, finding, note";
pub(super) const VISIT_COLUMNS: &str =
    "patrol_id, grid_id, day, household, address, householder, phone, learned, needs";

pub(super) struct Writers {
    pub(super) patrols: Bulk,
    pub(super) sites: Bulk,
    pub(super) visits: Bulk,
    pub(super) links: Bulk,
}

/// Local time-of-day `h:m` plus `minutes`.
pub(super) fn at(h: u32, m: u32, minutes: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN) + Duration::minutes(minutes.into())
}

/// A patrol's values up to its timestamps (the caller closes the row). `counts`: sites checked,
/// site problems, visits, problems reported.
#[expect(clippy::too_many_arguments, reason = "the columns of one row")]
pub(super) fn patrol_row(
    id: i32,
    g: &Grid,
    worker: i32,
    day: NaiveDate,
    (start, end): (&str, &str),
    route: &str,
    notes: &str,
    quick: bool,
    counts: [usize; 4],
) -> String {
    format!(
        "({id}, {}, {}, {worker}, '{day}', {}, {}, {}, {}, {}, {}, {}, {}, {}, 0, 1",
        g.id,
        q(&g.path),
        q(start),
        q(end),
        q(route),
        q(notes),
        if quick { "TRUE" } else { "FALSE" },
        counts[0],
        counts[1],
        counts[2],
        counts[3],
    )
}

/// A log with times, route, site checks and visits; false when it lies later than now.
#[expect(clippy::too_many_arguments, reason = "the generator's state")]
pub(super) fn full_log(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    w: &mut Writers,
    g: &mut Grid,
    worker: i32,
    day: NaiveDate,
    issues: &[i32],
    id: i32,
    now_local: NaiveDateTime,
) -> AppResult<bool> {
    // Mornings 08:30–11:30 or afternoons 14:30–17:00, typed to five minutes.
    let (start, end) = if rng.random_bool(0.6) {
        let s = at(8, 30, 5 * rng.random_range(0..=15));
        (
            s,
            (s + Duration::minutes(5 * rng.random_range(12..=30))).min(at(11, 30, 0)),
        )
    } else {
        let s = at(14, 30, 5 * rng.random_range(0..=9));
        (
            s,
            (s + Duration::minutes(5 * rng.random_range(10..=24))).min(at(17, 0, 0)),
        )
    };
    let logged = day.and_time(end) + Duration::minutes(rng.random_range(0..30));
    if logged > now_local {
        return Ok(false);
    }
    // Sites due by their interval, and now and then one that is not.
    let mut checks = Vec::new();
    for (site_id, name, interval, last) in g.sites.iter_mut() {
        let due = last.is_none_or(|l| (day - l).num_days() >= i64::from(*interval));
        if due || rng.random_bool(EXTRA_CHECK) {
            *last = Some(day);
            let problem = rng
                .random_bool(SITE_PROBLEM)
                .then(|| pick(rng, SITE_PROBLEMS));
            checks.push((*site_id, name.clone(), problem));
        }
    }
    let mut n = rng.random_range(0..VISIT_WEIGHTS.iter().sum::<u32>());
    let mut visits = 0;
    for (k, weight) in VISIT_WEIGHTS.iter().enumerate() {
        if n < *weight {
            visits = k;
            break;
        }
        n -= weight;
    }
    let mut chosen: Vec<usize> = Vec::with_capacity(visits);
    while chosen.len() < visits {
        let h = rng.random_range(0..g.households.len());
        if !chosen.contains(&h) {
            chosen.push(h);
        }
    }
    // The route: from a compound past the sites checked and a place or two to a road.
    let mut stops: Vec<String> = Vec::new();
    stops.push(match chosen.first() {
        Some(h) => {
            let a = &g.households[*h].address;
            a[..a.find("院").map_or(a.len(), |i| i + "院".len())].to_string()
        }
        None => format!("{}{}号院", pick(rng, &g.roads), rng.random_range(1..=220)),
    });
    stops.extend(checks.iter().map(|c| c.1.clone()));
    stops.push(pick(rng, PLACES).to_string());
    stops.push(pick(rng, &g.roads).to_string());
    let route = stops.join("—");
    let notes = pick(rng, NOTES);
    let problems = checks.iter().filter(|c| c.2.is_some()).count();
    let start_s = start.format("%H:%M").to_string();
    let end_s = end.format("%H:%M").to_string();
    let row = patrol_row(
        id,
        g,
        worker,
        day,
        (&start_s, &end_s),
        &route,
        notes,
        false,
        [checks.len(), problems, visits, issues.len()],
    );
    w.patrols.push(
        conn,
        format!("{row}, {}, {})", ts(utc(logged)), ts(utc(logged))),
    )?;
    for (site_id, _, problem) in &checks {
        let (finding, note) = match problem {
            Some(note) => ("problem", *note),
            None => ("normal", ""),
        };
        let row = format!("({id}, {site_id}, '{day}', {}, {})", q(finding), q(note));
        w.sites.push_after(conn, row, &mut w.patrols)?;
    }
    for h in chosen {
        let hh = &g.households[h];
        let row = format!(
            "({id}, {}, '{day}', {}, {}, {}, {}, {}, {})",
            g.id,
            q(&hh.key),
            q(&hh.address),
            q(&hh.householder),
            q(&hh.phone),
            q(pick(rng, LEARNED)),
            q(pick(rng, NEEDS)),
        );
        w.visits.push_after(conn, row, &mut w.patrols)?;
    }
    for issue in issues {
        w.links
            .push_after(conn, format!("({id}, {issue})"), &mut w.patrols)?;
    }
    Ok(true)
}
