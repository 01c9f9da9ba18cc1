//! Compound and building rows (小区/楼院, 楼栋): a compound in scope, the list with its filters,
//! writing a compound, a compound's buildings and adding one.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{register_buildings, register_compounds};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = register_compounds)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Compound {
    pub id: i32,
    pub grid_id: i32,
    pub scope_path: String,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub property_company: String,
    pub property_contact: String,
    pub property_phone: String,
    pub head_name: String,
    pub head_phone: String,
    pub lights_on: Option<NaiveDate>,
    pub roads_on: Option<NaiveDate>,
    pub water_on: Option<NaiveDate>,
    pub safety_on: Option<NaiveDate>,
    pub notes: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Compound {
    /// The days the four checklist items were met, in `domain::CHECKLIST` order.
    pub fn checklist(&self) -> [Option<NaiveDate>; 4] {
        [self.lights_on, self.roads_on, self.water_on, self.safety_on]
    }
}

/// What the compound form sets (the grid's path with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = register_compounds)]
#[diesel(treat_none_as_null = true)]
pub struct CompoundFields {
    pub grid_id: i32,
    pub scope_path: String,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub property_company: String,
    pub property_contact: String,
    pub property_phone: String,
    pub head_name: String,
    pub head_phone: String,
    pub lights_on: Option<NaiveDate>,
    pub roads_on: Option<NaiveDate>,
    pub water_on: Option<NaiveDate>,
    pub safety_on: Option<NaiveDate>,
    pub notes: String,
}

/// A compound by id, if it lies in the user's scope (404 otherwise, telling nothing).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Compound> {
    let (lo, hi) = user.scope();
    Ok(register_compounds::table
        .find(id)
        .filter(register_compounds::scope_path.ge(lo))
        .filter(register_compounds::scope_path.lt(hi))
        .select(Compound::as_select())
        .first_row(conn)?)
}

pub fn insert(conn: &mut AnyConnection, f: &CompoundFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(register_compounds::table)
        .values((
            f,
            register_compounds::created_at.eq(now),
            register_compounds::updated_at.eq(now),
        ))
        .returning(register_compounds::id)
        .get_result(conn)?)
}

/// Saves the compound if still at `version` (its buildings and households follow its grid);
/// false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &CompoundFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        register_compounds::table
            .filter(register_compounds::id.eq(id))
            .filter(register_compounds::version.eq(version)),
    )
    .set((
        f,
        register_compounds::version.eq(version + 1),
        register_compounds::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 1 {
        diesel::update(register_buildings::table.filter(register_buildings::compound_id.eq(id)))
            .set(register_buildings::scope_path.eq(&f.scope_path))
            .execute(conn)?;
        follow_compound(conn, id, &f.scope_path)?;
    }
    Ok(n == 1)
}

/// A compound moved to another grid: its households and their persons follow.
fn follow_compound(conn: &mut AnyConnection, id: i32, scope_path: &str) -> AppResult<()> {
    use crate::db::schema::{register_households as h, register_persons as p};
    diesel::update(h::table.filter(h::compound_id.eq(id)))
        .set(h::scope_path.eq(scope_path))
        .execute(conn)?;
    let households = h::table.filter(h::compound_id.eq(id)).select(h::id);
    diesel::update(p::table.filter(p::household_id.eq_any(households)))
        .set(p::scope_path.eq(scope_path))
        .execute(conn)?;
    Ok(())
}

/// Filters of the compound list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A community's or grid's path inside the user's scope.
    pub unit_path: Option<String>,
    /// Part of the name.
    pub name: Option<String>,
    pub kind: Option<String>,
}

/// Compounds in scope, by grid and name, at most `limit`.
pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    limit: i64,
) -> AppResult<Vec<Compound>> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = register_compounds::table
        .filter(register_compounds::scope_path.ge(lo))
        .filter(register_compounds::scope_path.lt(hi))
        .into_boxed();
    if let Some(name) = &f.name {
        let like = crate::db::like_pattern(name);
        q = q.filter(register_compounds::name.like(like).escape('\\'));
    }
    if let Some(k) = &f.kind {
        q = q.filter(register_compounds::kind.eq(k.clone()));
    }
    Ok(
        q.order((register_compounds::scope_path, register_compounds::name))
            .limit(limit)
            .select(Compound::as_select())
            .load(conn)?,
    )
}

/// Buildings and registered households (living there now) per compound of `ids`.
pub fn totals(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<HashMap<i32, (i64, i64)>> {
    use crate::db::schema::register_households as h;
    use diesel::dsl::count_star;
    let mut out: HashMap<i32, (i64, i64)> = HashMap::new();
    for chunk in ids.chunks(500) {
        let b: Vec<(i32, i64)> = register_buildings::table
            .filter(register_buildings::compound_id.eq_any(chunk))
            .group_by(register_buildings::compound_id)
            .select((register_buildings::compound_id, count_star()))
            .load(conn)?;
        for (id, n) in b {
            out.entry(id).or_default().0 = n;
        }
        let hh: Vec<(i32, i64)> = h::table
            .filter(h::compound_id.eq_any(chunk))
            .filter(h::moved_out.is_null())
            .group_by(h::compound_id)
            .select((h::compound_id, count_star()))
            .load(conn)?;
        for (id, n) in hh {
            out.entry(id).or_default().1 = n;
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = register_buildings)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Building {
    pub id: i32,
    pub compound_id: i32,
    pub scope_path: String,
    pub name: String,
    pub floors: i32,
    pub units: i32,
    pub households: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the building form sets.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = register_buildings)]
pub struct BuildingFields {
    pub compound_id: i32,
    pub scope_path: String,
    pub name: String,
    pub floors: i32,
    pub units: i32,
    pub households: i32,
}

/// A compound's buildings by name.
pub fn buildings(conn: &mut AnyConnection, compound_id: i32) -> AppResult<Vec<Building>> {
    Ok(register_buildings::table
        .filter(register_buildings::compound_id.eq(compound_id))
        .order((register_buildings::name, register_buildings::id))
        .select(Building::as_select())
        .load(conn)?)
}

pub fn insert_building(
    conn: &mut AnyConnection,
    f: &BuildingFields,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(register_buildings::table)
        .values((
            f,
            register_buildings::created_at.eq(now),
            register_buildings::updated_at.eq(now),
        ))
        .returning(register_buildings::id)
        .get_result(conn)?)
}
