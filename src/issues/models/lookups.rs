//! Names and choices around issues: the category taxonomy as the issue forms read it, the names
//! of users and units on a page, and whom a coordinating unit can dispatch an issue to.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::db::schema::{issue_categories, org_units, users};
use crate::error::AppResult;
pub use crate::org::models::UnitName;

/// A category of the taxonomy: a major (no parent, headings only) or a minor under it with its
/// handling time limit. Inactive ones are read too, for the names of existing issues.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = issue_categories)]
pub struct CategoryRow {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub name: String,
    pub limit_value: i32,
    pub limit_unit: String,
    pub active: bool,
}

impl CategoryRow {
    pub fn is_major(&self) -> bool {
        self.parent_id.is_none()
    }
}

/// Every category, in display order.
pub fn categories(conn: &mut AnyConnection) -> AppResult<Vec<CategoryRow>> {
    Ok(issue_categories::table
        .order((issue_categories::sort_order, issue_categories::id))
        .select(CategoryRow::as_select())
        .load(conn)?)
}

/// "Major / minor" names by id (a major's own name for a major).
pub fn category_names(cats: &[CategoryRow]) -> HashMap<i32, String> {
    let majors: HashMap<i32, &str> = cats
        .iter()
        .filter(|c| c.is_major())
        .map(|c| (c.id, c.name.as_str()))
        .collect();
    cats.iter()
        .map(|c| {
            let name = match c.parent_id.and_then(|p| majors.get(&p)) {
                Some(m) => format!("{m} / {}", c.name),
                None => c.name.clone(),
            };
            (c.id, name)
        })
        .collect()
}

/// A user's name by id (for the "handled by" line and dispatch targets).
pub fn user_names(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, String)>> {
    Ok(users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load(conn)?)
}

/// Names of org units by id (grids of a list page, dispatch targets).
pub fn unit_names(
    conn: &mut AnyConnection,
    ids: impl IntoIterator<Item = i32>,
) -> AppResult<HashMap<i32, String>> {
    // Lists name the same few units on many rows: ask for each once (an export's 100,000 rows
    // would also exceed SQLite's bound-variable limit).
    let ids: BTreeSet<i32> = ids.into_iter().collect();
    let rows: Vec<UnitName> = org_units::table
        .filter(org_units::id.eq_any(ids))
        .select(UnitName::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(|u| (u.id, u.name)).collect())
}

/// A member of staff an issue can be dispatched to, with the name of their unit.
#[derive(Debug, Clone, Queryable)]
pub struct DispatchUser {
    pub id: i32,
    pub name: String,
    pub unit: String,
}

/// Users a coordinator can dispatch to: active staff in the coordinating unit's subtree.
pub fn dispatch_staff(conn: &mut AnyConnection, owner_path: &str) -> AppResult<Vec<DispatchUser>> {
    let (lo, hi) = crate::db::subtree_range(owner_path);
    Ok(users::table
        .inner_join(org_units::table)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(users::active.eq(true))
        .filter(users::role.ne("branch_secretary"))
        .order((org_units::path, users::display_name))
        .limit(500)
        .select((users::id, users::display_name, org_units::name))
        .load(conn)?)
}

/// Units a coordinator can dispatch to: the coordinating unit and those one level below it.
pub fn dispatch_units(
    conn: &mut AnyConnection,
    owner_path: &str,
    owner_depth: i32,
) -> AppResult<Vec<UnitName>> {
    let (lo, hi) = crate::db::subtree_range(owner_path);
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::depth.le(owner_depth + 1))
        .order(org_units::path)
        .select(UnitName::as_select())
        .load(conn)?)
}
