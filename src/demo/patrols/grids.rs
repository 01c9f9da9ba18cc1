//! What the patrol generator reads before it writes: every grid with its workers, its key sites
//! and a made-up pool of households, and the demo issues reported from patrols by grid and day.

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::texts::{ROADS, pick};
use super::{HOUSEHOLDS, IDLE};
use crate::db::AnyConnection;
use crate::db::schema::{grid_people, issues, key_sites, org_units, users};
use crate::demo::names;
use crate::error::AppResult;

/// A household of a grid's pool.
pub(super) struct Household {
    pub(super) key: String,
    pub(super) address: String,
    pub(super) householder: String,
    pub(super) phone: String,
}

/// An active key site: id, name, interval in days, last checked.
pub(super) type Site = (i32, String, i32, Option<NaiveDate>);

/// A grid with what the generator needs of it.
pub(super) struct Grid {
    pub(super) id: i32,
    pub(super) path: String,
    pub(super) workers: Vec<i32>,
    pub(super) sites: Vec<Site>,
    pub(super) roads: Vec<&'static str>,
    pub(super) households: Vec<Household>,
    /// A worker who stopped logging, and from which day on.
    pub(super) idle: Option<(i32, NaiveDate)>,
}

pub(super) fn households(rng: &mut StdRng, roads: &[&'static str]) -> Vec<Household> {
    // A handful of compounds (楼院), then flats in them.
    let compounds: Vec<(&str, u32)> = (0..rng.random_range(4..=8))
        .map(|_| {
            (
                roads[rng.random_range(0..roads.len())],
                rng.random_range(1..=220),
            )
        })
        .collect();
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(HOUSEHOLDS);
    while out.len() < HOUSEHOLDS {
        let (road, no) = compounds[rng.random_range(0..compounds.len())];
        let address = format!(
            "{road}{no}号院{}号楼{}单元{}0{}",
            rng.random_range(1..=12),
            rng.random_range(1..=4),
            rng.random_range(1..=7),
            rng.random_range(1..=3)
        );
        let key: String = address.chars().filter(|c| !c.is_whitespace()).collect();
        if !seen.insert(key.clone()) {
            continue;
        }
        out.push(Household {
            key,
            address,
            householder: names::person_name(rng),
            phone: names::mobile(rng),
        });
    }
    out
}

pub(super) fn load_grids(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
) -> AppResult<Vec<Grid>> {
    let units: Vec<(i32, String)> = org_units::table
        .filter(org_units::kind.eq("grid"))
        .order(org_units::id)
        .select((org_units::id, org_units::path))
        .load(conn)?;
    // A grid's workers: accounts of the grid itself, and staff named among its people (office
    // staff sent down keep their own unit).
    let mut workers: HashMap<i32, Vec<i32>> = HashMap::new();
    let own: Vec<(i32, i32)> = users::table
        .inner_join(org_units::table)
        .filter(org_units::kind.eq("grid"))
        .filter(users::active.eq(true))
        .select((users::org_unit_id, users::id))
        .load(conn)?;
    let named: Vec<(i32, Option<i32>)> = grid_people::table
        .inner_join(users::table.on(grid_people::user_id.eq(users::id.nullable())))
        .filter(users::active.eq(true))
        .select((grid_people::grid_id, grid_people::user_id))
        .load(conn)?;
    for (grid, user) in own
        .into_iter()
        .chain(named.into_iter().filter_map(|(g, u)| Some((g, u?))))
    {
        workers.entry(grid).or_default().push(user);
    }
    let mut sites: HashMap<i32, Vec<Site>> = HashMap::new();
    let rows: Vec<(i32, i32, String, i32)> = key_sites::table
        .filter(key_sites::active.eq(true))
        .order(key_sites::id)
        .select((
            key_sites::id,
            key_sites::grid_id,
            key_sites::name,
            key_sites::patrol_days,
        ))
        .load(conn)?;
    for (id, grid, name, days) in rows {
        sites
            .entry(grid)
            .or_default()
            .push((id, name, days.max(1), None));
    }
    let mut grids = Vec::with_capacity(units.len());
    for (id, path) in units {
        let mut ws = workers.remove(&id).unwrap_or_default();
        ws.sort_unstable();
        ws.dedup();
        if ws.is_empty() {
            continue;
        }
        let mut roads: Vec<&'static str> = (0..3).map(|_| pick(rng, ROADS)).collect();
        roads.dedup();
        let households = households(rng, &roads);
        let idle = if rng.random_bool(IDLE) {
            let who = ws[rng.random_range(0..ws.len())];
            Some((who, today - Duration::days(rng.random_range(2..=5))))
        } else {
            None
        };
        grids.push(Grid {
            id,
            path,
            workers: ws,
            sites: sites.remove(&id).unwrap_or_default(),
            roads,
            households,
            idle,
        });
    }
    Ok(grids)
}

/// The demo's issues reported from patrols, by grid and local day.
pub(super) fn patrol_issues(
    conn: &mut AnyConnection,
    from: NaiveDate,
) -> AppResult<HashMap<(i32, NaiveDate), Vec<i32>>> {
    let since = from.and_time(NaiveTime::MIN) - Duration::hours(8);
    let rows: Vec<(i32, i32, NaiveDateTime)> = issues::table
        .filter(issues::source.eq("patrol"))
        .filter(issues::reported_at.ge(since))
        .order(issues::id)
        .select((issues::id, issues::grid_id, issues::reported_at))
        .load(conn)?;
    let mut out: HashMap<(i32, NaiveDate), Vec<i32>> = HashMap::new();
    for (id, grid, reported) in rows {
        let day = (reported + Duration::hours(8)).date();
        out.entry((grid, day)).or_default().push(id);
    }
    Ok(out)
}
