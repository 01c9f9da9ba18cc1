//! What an export reads: the households in scope (or of one compound), their persons, their
//! compounds and buildings.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::db::schema::{
    register_buildings as b, register_compounds as c, register_households as h,
    register_persons as p,
};
use crate::error::AppResult;
use crate::register::households::models::{Household, Person};

pub struct Bundle {
    pub households: Vec<Household>,
    /// Persons by household, the householder first.
    pub persons: HashMap<i32, Vec<Person>>,
    pub compounds: HashMap<i32, String>,
    pub buildings: HashMap<i32, String>,
}

/// The households in the user's scope (of `compound` when given, already checked in scope), by
/// compound, building and room, at most `limit`, with what their lines need.
pub fn bundle(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    compound: Option<i32>,
    limit: i64,
) -> AppResult<Bundle> {
    let (lo, hi) = user.scope();
    let mut q = h::table
        .filter(h::scope_path.ge(lo))
        .filter(h::scope_path.lt(hi))
        .into_boxed();
    if let Some(id) = compound {
        q = q.filter(h::compound_id.eq(id));
    }
    let households: Vec<Household> = q
        .order((h::compound_id, h::building_id, h::unit_no, h::room, h::id))
        .limit(limit)
        .select(Household::as_select())
        .load(conn)?;
    let mut out = Bundle {
        households: Vec::new(),
        persons: HashMap::new(),
        compounds: HashMap::new(),
        buildings: HashMap::new(),
    };
    let ids: Vec<i32> = households.iter().map(|x| x.id).collect();
    let mut cids: Vec<i32> = households.iter().map(|x| x.compound_id).collect();
    cids.dedup();
    for chunk in ids.chunks(500) {
        let list: Vec<Person> = p::table
            .filter(p::household_id.eq_any(chunk))
            .order((p::household_id, p::id))
            .select(Person::as_select())
            .load(conn)?;
        for person in list {
            out.persons
                .entry(person.household_id)
                .or_default()
                .push(person);
        }
    }
    for chunk in cids.chunks(500) {
        let names: Vec<(i32, String)> = c::table
            .filter(c::id.eq_any(chunk))
            .select((c::id, c::name))
            .load(conn)?;
        out.compounds.extend(names);
        let names: Vec<(i32, String)> = b::table
            .filter(b::compound_id.eq_any(chunk))
            .select((b::id, b::name))
            .load(conn)?;
        out.buildings.extend(names);
    }
    out.households = households;
    Ok(out)
}
