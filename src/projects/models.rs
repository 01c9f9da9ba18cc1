//! Key projects' SQL: a project in scope, the ledger with its filters, writing a project, and
//! the units a project can be kept by.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use crate::projects::reports::models::Report;
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::projects;
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = projects)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Project {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub level: String,
    pub class: String,
    pub owner: String,
    pub place: String,
    pub content: String,
    pub total_cents: i64,
    pub plan_year: i32,
    pub year_plan_cents: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_finish: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_finish: Option<NaiveDate>,
    pub leader: String,
    pub person: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the project form sets (the responsible unit and its scope path with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = projects)]
#[diesel(treat_none_as_null = true)]
pub struct ProjectFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub level: String,
    pub class: String,
    pub owner: String,
    pub place: String,
    pub content: String,
    pub total_cents: i64,
    pub plan_year: i32,
    pub year_plan_cents: i64,
    pub planned_start: Option<NaiveDate>,
    pub planned_finish: Option<NaiveDate>,
    pub actual_start: Option<NaiveDate>,
    pub actual_finish: Option<NaiveDate>,
    pub leader: String,
    pub person: String,
}

/// A project by id if it lies in the user's scope; 404 otherwise, as for a missing one.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Project> {
    let p: Project = projects::table
        .find(id)
        .select(Project::as_select())
        .first_row(conn)?;
    if user.sees(&p.scope_path) {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn insert(conn: &mut AnyConnection, f: &ProjectFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(projects::table)
        .values((
            f,
            projects::created_at.eq(now),
            projects::updated_at.eq(now),
        ))
        .returning(projects::id)
        .get_result(conn)?)
}

/// Saves the project if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &ProjectFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        projects::table
            .filter(projects::id.eq(id))
            .filter(projects::version.eq(version)),
    )
    .set((
        f,
        projects::version.eq(version + 1),
        projects::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The ledger's filters.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_path: Option<String>,
    pub level: Option<String>,
    pub class: Option<String>,
    pub name: Option<String>,
}

/// The most projects a ledger shows (a street keeps dozens; the bench, 200).
pub const LEDGER_MAX: i64 = 2000;

/// Projects in scope, by level (city first) and name.
pub fn list(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter) -> AppResult<Vec<Project>> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = projects::table
        .filter(projects::scope_path.ge(lo))
        .filter(projects::scope_path.lt(hi))
        .into_boxed();
    if let Some(l) = &f.level {
        q = q.filter(projects::level.eq(l.clone()));
    }
    if let Some(c) = &f.class {
        q = q.filter(projects::class.eq(c.clone()));
    }
    if let Some(n) = &f.name {
        q = q.filter(projects::name.like(format!("%{}%", n.replace(['%', '_'], ""))));
    }
    Ok(q.order((projects::id,))
        .limit(LEDGER_MAX)
        .select(Project::as_select())
        .load(conn)?)
}

/// A unit that can keep a project (a street, community or village in scope).
#[derive(Debug, Clone, Queryable)]
pub struct ProjectUnit {
    pub id: i32,
    pub name: String,
    pub depth: i32,
    pub path: String,
}

/// The units a project can be kept by, in tree order.
pub fn project_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<ProjectUnit>> {
    use crate::db::schema::org_units;
    let (lo, hi) = user.scope();
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::path,
        ))
        .load(conn)?)
}

/// What the ledger reads beside the projects: their reports of the year and milestones under way.
pub struct Beside {
    pub names: HashMap<i32, String>,
    pub reports: HashMap<i32, Vec<Report>>,
    pub stages: HashMap<i32, Vec<(String, String)>>,
}

pub fn beside(conn: &mut AnyConnection, ps: &[Project], year: i32) -> AppResult<Beside> {
    let ids: Vec<i32> = ps.iter().map(|p| p.id).collect();
    let names = crate::issues::models::unit_names(conn, ps.iter().map(|p| p.unit_id))?;
    let mut reports: HashMap<i32, Vec<Report>> = HashMap::new();
    for r in crate::projects::reports::models::of_projects(conn, &ids, year)? {
        reports.entry(r.project_id).or_default().push(r);
    }
    let mut stages: HashMap<i32, Vec<(String, String)>> = HashMap::new();
    for (pid, stage, status) in crate::projects::milestones::models::under_way(conn, &ids)? {
        stages.entry(pid).or_default().push((stage, status));
    }
    Ok(Beside {
        names,
        reports,
        stages,
    })
}

/// The projects in the user's scope with what the ledger reads beside them (the cockpit's tile).
pub fn in_scope(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    year: i32,
) -> AppResult<(Vec<Project>, Beside)> {
    let rows = list(conn, user, &Filter::default())?;
    let b = beside(conn, &rows, year)?;
    Ok((rows, b))
}
