//! The org tree's queries. Every read that takes an id from the URL goes through a scoped query:
//! outside the user's subtree a record does not exist (404).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::FirstRow;
use serde::Serialize;

use super::domain::{Counts, Kind};
use crate::auth::CurrentUser;
use crate::db::schema::{key_sites, org_units, users};
use crate::db::{AnyConnection, now};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = org_units)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct OrgUnit {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: String,
    pub name: String,
    pub code: String,
    pub path: String,
    pub depth: i32,
    pub sort_order: i32,
    pub address: String,
    pub phone: String,
    pub duty_hours: String,
    pub service_items: String,
    pub boundary: String,
    pub verified_on: Option<NaiveDate>,
    pub version: i32,
    #[serde(skip)]
    pub created_at: NaiveDateTime,
    #[serde(skip)]
    pub updated_at: NaiveDateTime,
    #[serde(skip)]
    pub staff_count: i32,
    #[serde(skip)]
    pub site_count: i32,
}

impl OrgUnit {
    pub fn kind(&self) -> Kind {
        Kind::parse(&self.kind).unwrap_or(Kind::Grid)
    }

    /// Ids on the path from the root to this unit, this unit last.
    pub fn ancestor_ids(&self) -> Vec<i32> {
        self.path
            .split('/')
            .filter_map(|s| s.parse().ok())
            .collect()
    }
}

/// The editable fields, parsed and validated.
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = org_units)]
pub struct OrgFields {
    pub name: String,
    pub code: String,
    pub address: String,
    pub phone: String,
    pub duty_hours: String,
    pub service_items: String,
    pub boundary: String,
    pub sort_order: i32,
}

/// A unit by id, if it lies in the user's scope.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<OrgUnit> {
    let (lo, hi) = user.scope();
    Ok(org_units::table
        .find(id)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .select(OrgUnit::as_select())
        .first_row(conn)?)
}

/// Units in the user's scope whose name holds `q` (the search box), in path order.
pub fn named(c: &mut AnyConnection, u: &CurrentUser, q: &str, n: i64) -> AppResult<Vec<OrgUnit>> {
    let (lo, hi) = u.scope();
    let like = crate::db::like_pattern(q);
    Ok(org_units::table
        .filter(org_units::path.ge(lo).and(org_units::path.lt(hi)))
        .filter(org_units::name.like(like).escape('\\'))
        .order(org_units::path)
        .limit(n)
        .select(OrgUnit::as_select())
        .load(c)?)
}

/// A grid (level-3 unit) by id, in scope.
pub fn get_grid(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<OrgUnit> {
    let unit = get_scoped(conn, user, id)?;
    if unit.kind() != Kind::Grid {
        return Err(AppError::NotFound);
    }
    Ok(unit)
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<OrgUnit> {
    Ok(org_units::table
        .find(id)
        .select(OrgUnit::as_select())
        .first_row(conn)?)
}

/// The units with these ids, in path order (for breadcrumbs).
pub fn by_ids(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<OrgUnit>> {
    Ok(org_units::table
        .filter(org_units::id.eq_any(ids))
        .order(org_units::depth)
        .select(OrgUnit::as_select())
        .load(conn)?)
}

/// A light row of the tree, with the unit's own counts.
#[derive(Debug, Clone, Queryable)]
pub struct TreeRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: String,
    pub name: String,
    pub depth: i32,
    pub sort_order: i32,
    pub staff_count: i32,
    pub site_count: i32,
}

/// Every unit in the subtree at `path`, at most `max_depth` deep.
pub fn subtree(conn: &mut AnyConnection, path: &str, max_depth: i32) -> AppResult<Vec<TreeRow>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::depth.le(max_depth))
        .select((
            org_units::id,
            org_units::parent_id,
            org_units::kind,
            org_units::name,
            org_units::depth,
            org_units::sort_order,
            org_units::staff_count,
            org_units::site_count,
        ))
        .load(conn)?)
}

/// Recounts the own figures of these units (active staff whose unit it is, active key sites of
/// the grid). Called in the transaction of every change to users or key sites, with the units
/// the change touched (both the old and the new unit when a user moves).
pub fn refresh_counts(conn: &mut AnyConnection, unit_ids: &[i32]) -> AppResult<()> {
    for &id in unit_ids {
        let staff: i64 = users::table
            .filter(users::org_unit_id.eq(id))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)?;
        let sites: i64 = key_sites::table
            .filter(key_sites::grid_id.eq(id))
            .filter(key_sites::active.eq(true))
            .count()
            .get_result(conn)?;
        diesel::update(org_units::table.find(id))
            .set((
                org_units::staff_count.eq(staff as i32),
                org_units::site_count.eq(sites as i32),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Recounts every unit (after bulk loads such as the demo data).
pub fn refresh_all_counts(conn: &mut AnyConnection) -> AppResult<()> {
    let ids: Vec<i32> = org_units::table.select(org_units::id).load(conn)?;
    refresh_counts(conn, &ids)
}

/// Figures of a whole subtree in one aggregate query: level-2 units, grids, staff, key sites.
pub fn subtree_totals(conn: &mut AnyConnection, path: &str) -> AppResult<Counts> {
    use diesel::dsl::{count, sum};
    let (lo, hi) = crate::db::subtree_range(path);
    let in_scope = org_units::path.ge(lo).and(org_units::path.lt(hi));
    let (staff, sites): (Option<i64>, Option<i64>) = org_units::table
        .filter(in_scope.clone())
        .select((sum(org_units::staff_count), sum(org_units::site_count)))
        .first_row(conn)?;
    let communities: i64 = org_units::table
        .filter(in_scope.clone())
        .filter(org_units::kind.eq_any(["community", "village"]))
        .select(count(org_units::id))
        .first_row(conn)?;
    let grids: i64 = org_units::table
        .filter(in_scope)
        .filter(org_units::kind.eq("grid"))
        .select(count(org_units::id))
        .first_row(conn)?;
    Ok(Counts {
        communities,
        grids,
        staff: staff.unwrap_or(0),
        sites: sites.unwrap_or(0),
    })
}

/// Creates a unit under `parent`; its path is the parent's plus its own id.
pub fn create(
    conn: &mut AnyConnection,
    parent: &OrgUnit,
    kind: Kind,
    f: &OrgFields,
) -> AppResult<OrgUnit> {
    let t = now();
    let id: i32 = diesel::insert_into(org_units::table)
        .values((
            f,
            org_units::parent_id.eq(Some(parent.id)),
            org_units::kind.eq(kind.code()),
            org_units::depth.eq(parent.depth + 1),
            org_units::created_at.eq(t),
            org_units::updated_at.eq(t),
        ))
        .returning(org_units::id)
        .get_result(conn)?;
    let path = format!("{}{id}/", parent.path);
    diesel::update(org_units::table.find(id))
        .set(org_units::path.eq(path))
        .execute(conn)?;
    get(conn, id)
}

/// Creates a root unit (the district) — only the command line and demo seeding do this.
pub fn create_root(
    conn: &mut AnyConnection,
    kind: Kind,
    name: &str,
    code: &str,
) -> AppResult<OrgUnit> {
    let t = now();
    let id: i32 = diesel::insert_into(org_units::table)
        .values((
            org_units::kind.eq(kind.code()),
            org_units::name.eq(name),
            org_units::code.eq(code),
            org_units::created_at.eq(t),
            org_units::updated_at.eq(t),
        ))
        .returning(org_units::id)
        .get_result(conn)?;
    diesel::update(org_units::table.find(id))
        .set(org_units::path.eq(format!("/{id}/")))
        .execute(conn)?;
    get(conn, id)
}

/// Updates if `version` is still current; `Ok(false)` when someone else saved first.
pub fn update(conn: &mut AnyConnection, id: i32, version: i32, f: &OrgFields) -> AppResult<bool> {
    let n = diesel::update(
        org_units::table
            .find(id)
            .filter(org_units::version.eq(version)),
    )
    .set((
        org_units::name.eq(&f.name),
        org_units::code.eq(&f.code),
        org_units::address.eq(&f.address),
        org_units::phone.eq(&f.phone),
        org_units::duty_hours.eq(&f.duty_hours),
        org_units::service_items.eq(&f.service_items),
        org_units::boundary.eq(&f.boundary),
        org_units::sort_order.eq(f.sort_order),
        org_units::version.eq(version + 1),
        org_units::updated_at.eq(now()),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records that the grid's public notice was checked against reality today.
pub fn mark_verified(conn: &mut AnyConnection, id: i32, on: NaiveDate) -> AppResult<()> {
    diesel::update(org_units::table.find(id))
        .set((
            org_units::verified_on.eq(Some(on)),
            org_units::version.eq(org_units::version + 1),
            org_units::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A unit offered in a select box: a row of [`unit_options`].
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_units)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct UnitOption {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
    pub depth: i32,
    pub kind: String,
    pub sort_order: i32,
}

impl UnitOption {
    /// As a select box's choice, indented by its depth (see [`indented`]).
    pub fn choice(&self) -> crate::web::forms::Choice {
        indented(self.id, &self.name, self.depth)
    }
}

/// The units in `[lo, hi)` of the paths (all, or with `grids` false all but grids) in the org
/// tree's order: depth first, siblings by sort order, then by name with numbers as numbers
/// (`org::domain::tree_order`). The one order of every select box of units.
fn in_tree_order(
    conn: &mut AnyConnection,
    (lo, hi): (String, String),
    grids: bool,
) -> AppResult<Vec<UnitOption>> {
    let mut q = org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .into_boxed();
    if !grids {
        q = q.filter(org_units::kind.ne("grid"));
    }
    let mut rows: Vec<Option<UnitOption>> = q
        .select(UnitOption::as_select())
        .load(conn)?
        .into_iter()
        .map(Some)
        .collect();
    let keys: Vec<(i32, Option<i32>, i32, &str)> = rows
        .iter()
        .flatten()
        .map(|u| (u.id, u.parent_id, u.sort_order, u.name.as_str()))
        .collect();
    let order = super::domain::tree_order(&keys);
    Ok(order.into_iter().filter_map(|i| rows[i].take()).collect())
}

/// Units in the user's scope, for select boxes, in tree order (a user's org unit; with `grids`
/// false, the list filter, where choosing a community covers its grids).
pub fn unit_options(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grids: bool,
) -> AppResult<Vec<UnitOption>> {
    in_tree_order(conn, user.scope(), grids)
}

/// A unit's id and name: a row of [`units_of_kind`].
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = org_units)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct UnitName {
    pub id: i32,
    pub name: String,
}

impl UnitName {
    /// As a select box's choice (the id is the value).
    pub fn choice(&self) -> crate::web::forms::Choice {
        crate::web::forms::Choice::new(self.id, &self.name)
    }
}

/// The units of `kind` inside the subtree at `scope_path`, in tree order: pass the user's
/// `org_path` for "in my scope", or a unit's `path` for "under this unit" (the grids a meeting's
/// or an opinion's issue can go to).
pub fn units_of_kind(
    conn: &mut AnyConnection,
    scope_path: &str,
    kind: Kind,
) -> AppResult<Vec<UnitName>> {
    let units = in_tree_order(
        conn,
        crate::db::subtree_range(scope_path),
        kind == Kind::Grid,
    )?;
    Ok(units
        .into_iter()
        .filter(|u| u.kind == kind.code())
        .map(|u| UnitName {
            id: u.id,
            name: u.name,
        })
        .collect())
}

/// A group of a select box (`<optgroup label="name">`): a community's grids.
#[derive(Debug, Clone)]
pub struct UnitGroup {
    pub name: String,
    pub options: Vec<crate::web::forms::Choice>,
}

impl UnitGroup {
    /// The unit ids offered across `groups`: what a posted choice must be one of.
    pub fn ids(groups: &[UnitGroup]) -> Vec<i32> {
        groups
            .iter()
            .flat_map(|g| &g.options)
            .filter_map(|o| o.value.parse().ok())
            .collect()
    }
}

/// The grids inside the subtree at `scope_path` grouped by their community (or village), in
/// tree order, for a select box of grids. With `communities`, each group offers its community
/// first (a list filter, where a community covers its grids).
pub fn grid_groups(
    conn: &mut AnyConnection,
    scope_path: &str,
    communities: bool,
) -> AppResult<Vec<UnitGroup>> {
    let units = in_tree_order(conn, crate::db::subtree_range(scope_path), true)?;
    let mut groups: Vec<(Option<i32>, UnitGroup)> = Vec::new();
    for u in units {
        let kind = Kind::parse(&u.kind);
        if kind.is_some_and(Kind::is_level2) {
            let options = if communities {
                vec![crate::web::forms::Choice::new(u.id, &u.name)]
            } else {
                Vec::new()
            };
            let g = UnitGroup {
                name: u.name,
                options,
            };
            groups.push((Some(u.id), g));
        } else if kind == Some(Kind::Grid) {
            if groups.last().is_none_or(|(id, _)| *id != u.parent_id) {
                // A grid's own scope: its community lies above it.
                let name = match u.parent_id {
                    Some(p) => get(conn, p)?.name,
                    None => String::new(),
                };
                let options = Vec::new();
                groups.push((u.parent_id, UnitGroup { name, options }));
            }
            if let Some((_, g)) = groups.last_mut() {
                g.options
                    .push(crate::web::forms::Choice::new(u.id, &u.name));
            }
        }
    }
    Ok(groups
        .into_iter()
        .map(|(_, g)| g)
        .filter(|g| !g.options.is_empty())
        .collect())
}

/// A list's unit filter: the path of the unit whose id is `raw`, in the user's scope (outside
/// it: 404, like any other id); `None` when `raw` is empty or not a number (no unit filter).
pub fn unit_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    raw: &str,
) -> AppResult<Option<String>> {
    match raw.trim().parse::<i32>() {
        Ok(id) => Ok(Some(get_scoped(conn, user, id)?.path)),
        Err(_) => Ok(None),
    }
}

/// A unit as a select box's choice, indented by its depth with full-width spaces (ordinary ones
/// collapse inside `<option>`), so the tree reads in the list.
pub fn indented(id: i32, name: &str, depth: i32) -> crate::web::forms::Choice {
    crate::web::forms::Choice::new(
        id,
        format!("{}{name}", "\u{3000}".repeat(depth.max(0) as usize)),
    )
}

/// True when nothing hangs on the unit: no units below it, no accounts, no responsible people,
/// no key sites. Only such a unit may be deleted (a mistaken entry); anything else is renamed.
pub fn is_removable(conn: &mut AnyConnection, id: i32) -> AppResult<bool> {
    use crate::db::schema::grid_people;
    use diesel::dsl::{exists, select};
    let children = exists(org_units::table.filter(org_units::parent_id.eq(id)));
    let staff = exists(users::table.filter(users::org_unit_id.eq(id)));
    let people = exists(grid_people::table.filter(grid_people::grid_id.eq(id)));
    let sites = exists(key_sites::table.filter(key_sites::grid_id.eq(id)));
    let taken: bool = select(children.or(staff).or(people).or(sites)).get_result(conn)?;
    Ok(!taken)
}

pub fn delete(conn: &mut AnyConnection, id: i32) -> AppResult<()> {
    diesel::delete(org_units::table.find(id)).execute(conn)?;
    Ok(())
}
