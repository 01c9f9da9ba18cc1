//! The SQL of schemes and their indicator trees.

use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::schema::{assess_indicators, assess_schemes};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_schemes)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Scheme {
    pub id: i32,
    pub name: String,
    pub basis: String,
    pub objects: String,
    pub cycle: String,
    pub bands: String,
    pub scope_path: String,
    pub version: i32,
    pub status: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_indicators)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Indicator {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub depth: i32,
    pub code: String,
    pub name: String,
    pub full_marks: i32,
    pub method: String,
    pub params: String,
    pub source: String,
    pub floor_points: i32,
    pub cap_points: Option<i32>,
}

impl Indicator {
    /// A scored item (三级, or any indicator without children).
    pub fn is_leaf(&self) -> bool {
        self.method != "sum"
    }

    /// Scored by hand: manual entries only.
    pub fn is_manual(&self) -> bool {
        self.source == "manual"
    }

    pub fn cap(&self) -> i32 {
        self.cap_points.unwrap_or(self.full_marks)
    }
}

/// The active schemes that serve `group_path` (their scope lies on its path), newest first.
pub fn schemes_for(conn: &mut AnyConnection, group_path: &str) -> AppResult<Vec<Scheme>> {
    let mut rows: Vec<Scheme> = assess_schemes::table
        .filter(assess_schemes::status.eq("active"))
        .order(assess_schemes::id.desc())
        .select(Scheme::as_select())
        .load(conn)?;
    rows.retain(|s| group_path.starts_with(&s.scope_path));
    Ok(rows)
}

/// Every scheme the user may read (those serving a unit on their path or below it).
pub fn schemes_seen(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Scheme>> {
    let mut rows: Vec<Scheme> = assess_schemes::table
        .order(assess_schemes::id)
        .select(Scheme::as_select())
        .load(conn)?;
    rows.retain(|s| user.org_path.starts_with(&s.scope_path) || user.sees(&s.scope_path));
    Ok(rows)
}

pub fn scheme(conn: &mut AnyConnection, id: i32) -> AppResult<Scheme> {
    Ok(assess_schemes::table
        .find(id)
        .select(Scheme::as_select())
        .first_row(conn)?)
}

/// A scheme's indicators in the tree's order.
pub fn indicators(conn: &mut AnyConnection, scheme_id: i32) -> AppResult<Vec<Indicator>> {
    Ok(assess_indicators::table
        .filter(assess_indicators::scheme_id.eq(scheme_id))
        .order((assess_indicators::sort_order, assess_indicators::id))
        .select(Indicator::as_select())
        .load(conn)?)
}
