//! The grids issues are reported in, with their community, street and the staff who report,
//! register and handle there.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{org_units, users};
use crate::error::AppResult;

/// A grid with what the generator needs of it.
pub(super) struct Grid {
    pub(super) id: i32,
    pub(super) path: String,
    pub(super) community: i32,
    pub(super) community_name: String,
    pub(super) street_code: String,
    /// Who reports and handles here: the grid's worker account if it has one, else the
    /// community's clerk.
    pub(super) worker: i32,
    pub(super) clerk: i32,
}

/// An org unit as the generator reads it: id, parent, kind, name, code, path.
pub(super) type UnitRow = (i32, Option<i32>, String, String, String, String);

pub(super) fn load_grids(conn: &mut AnyConnection) -> AppResult<Vec<Grid>> {
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
