//! The taxonomy's queries: the whole (small) table in display order, issue counts per category in
//! one GROUP BY, and create, versioned update and delete. Callers wrap changes in `db::write`.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDateTime;
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{issue_categories, issues};
use crate::db::stamped::{StampedCache, max_ids};
use crate::db::{AnyConnection, FirstRow, now};
use crate::error::AppResult;

/// The stored units of a time limit.
pub const DAY: &str = "day";
pub const HOUR: &str = "hour";
pub const UNITS: [&str; 2] = [DAY, HOUR];

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Serialize)]
#[diesel(table_name = issue_categories)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Category {
    pub id: i32,
    /// None for a major category.
    pub parent_id: Option<i32>,
    pub name: String,
    /// Working days or hours (`limit_unit`); 0 for a major category.
    pub limit_value: i32,
    pub limit_unit: String,
    pub sort_order: i32,
    pub active: bool,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Category {
    pub fn is_major(&self) -> bool {
        self.parent_id.is_none()
    }
}

/// What the form sets. `sort_order` None on create: after the last sibling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryFields {
    pub parent_id: Option<i32>,
    pub name: String,
    pub limit_value: i32,
    pub limit_unit: String,
    pub sort_order: Option<i32>,
    pub active: bool,
}

/// Every category, majors and minors, in (sort_order, id) order.
pub fn all(conn: &mut AnyConnection) -> AppResult<Vec<Category>> {
    Ok(issue_categories::table
        .order((issue_categories::sort_order, issue_categories::id))
        .select(Category::as_select())
        .load(conn)?)
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Category> {
    Ok(issue_categories::table
        .find(id)
        .select(Category::as_select())
        .first_row(conn)?)
}

/// Issues per category, kept until an issue is filed or an audited change is made (a
/// reclassification writes its audit row): the GROUP BY reads every issue of the database, a
/// district-year's in ~50 ms, on each view of a page admins reopen while they edit.
#[derive(Default)]
pub struct CountCache(StampedCache<(), Vec<Option<i32>>, HashMap<i32, i64>>);

/// `issue_counts`, from the cache while neither `issues` nor `audit_log` has moved.
pub fn kept_issue_counts(
    conn: &mut AnyConnection,
    cache: &CountCache,
) -> AppResult<Arc<HashMap<i32, i64>>> {
    let stamp = max_ids(conn, &["issues", "audit_log"])?;
    cache.0.get_or_load((), stamp, || issue_counts(conn))
}

/// Issues per (minor) category, every status counted: one GROUP BY over `issues`.
pub fn issue_counts(conn: &mut AnyConnection) -> AppResult<HashMap<i32, i64>> {
    let rows: Vec<(i32, i64)> = issues::table
        .group_by(issues::category_id)
        .select((issues::category_id, count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Issues filed in one category.
pub fn issue_count(conn: &mut AnyConnection, id: i32) -> AppResult<i64> {
    Ok(issues::table
        .filter(issues::category_id.eq(id))
        .count()
        .get_result(conn)?)
}

/// Categories directly under `id`.
pub fn child_count(conn: &mut AnyConnection, id: i32) -> AppResult<i64> {
    Ok(issue_categories::table
        .filter(issue_categories::parent_id.eq(id))
        .count()
        .get_result(conn)?)
}

/// Whether another category under the same parent (or another major) has this name.
pub fn name_taken(
    conn: &mut AnyConnection,
    parent_id: Option<i32>,
    name: &str,
    except: Option<i32>,
) -> AppResult<bool> {
    let mut q = issue_categories::table
        .filter(issue_categories::name.eq(name))
        .filter(issue_categories::id.ne(except.unwrap_or(0)))
        .into_boxed();
    q = match parent_id {
        Some(p) => q.filter(issue_categories::parent_id.eq(p)),
        None => q.filter(issue_categories::parent_id.is_null()),
    };
    Ok(q.count().get_result::<i64>(conn)? > 0)
}

/// The next sort order among the siblings of a new category.
fn next_sort_order(conn: &mut AnyConnection, parent_id: Option<i32>) -> AppResult<i32> {
    let q = issue_categories::table
        .select(diesel::dsl::max(issue_categories::sort_order))
        .into_boxed();
    let q = match parent_id {
        Some(p) => q.filter(issue_categories::parent_id.eq(p)),
        None => q.filter(issue_categories::parent_id.is_null()),
    };
    let max: Option<i32> = q.get_result(conn)?;
    Ok(max.map_or(1, |m| m.saturating_add(1)))
}

pub fn create(conn: &mut AnyConnection, f: &CategoryFields) -> AppResult<i32> {
    let sort_order = match f.sort_order {
        Some(s) => s,
        None => next_sort_order(conn, f.parent_id)?,
    };
    let t = now();
    Ok(diesel::insert_into(issue_categories::table)
        .values((
            issue_categories::parent_id.eq(f.parent_id),
            issue_categories::name.eq(&f.name),
            issue_categories::limit_value.eq(f.limit_value),
            issue_categories::limit_unit.eq(&f.limit_unit),
            issue_categories::sort_order.eq(sort_order),
            issue_categories::active.eq(f.active),
            issue_categories::version.eq(1),
            issue_categories::created_at.eq(t),
            issue_categories::updated_at.eq(t),
        ))
        .returning(issue_categories::id)
        .get_result(conn)?)
}

/// Saves the fields if the record is still at `expected` version; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    expected: i32,
    f: &CategoryFields,
) -> AppResult<bool> {
    let target = issue_categories::table
        .filter(issue_categories::id.eq(id))
        .filter(issue_categories::version.eq(expected));
    let n = match f.sort_order {
        Some(s) => diesel::update(target)
            .set((
                issue_categories::parent_id.eq(f.parent_id),
                issue_categories::name.eq(&f.name),
                issue_categories::limit_value.eq(f.limit_value),
                issue_categories::limit_unit.eq(&f.limit_unit),
                issue_categories::sort_order.eq(s),
                issue_categories::active.eq(f.active),
                issue_categories::version.eq(issue_categories::version + 1),
                issue_categories::updated_at.eq(now()),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((
                issue_categories::parent_id.eq(f.parent_id),
                issue_categories::name.eq(&f.name),
                issue_categories::limit_value.eq(f.limit_value),
                issue_categories::limit_unit.eq(&f.limit_unit),
                issue_categories::active.eq(f.active),
                issue_categories::version.eq(issue_categories::version + 1),
                issue_categories::updated_at.eq(now()),
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

pub fn delete(conn: &mut AnyConnection, id: i32) -> AppResult<()> {
    diesel::delete(issue_categories::table.find(id)).execute(conn)?;
    Ok(())
}
