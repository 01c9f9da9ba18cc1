//! Reading patrol logs: the grids a user logs for, a log in scope with its site checks, visits,
//! issues and corrections, and the list in scope. The log form's writes are in `log::models`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::CountUpto;
use crate::db::schema::{
    grid_people, issues, key_sites, org_units, patrol_corrections, patrol_issues, patrol_sites,
    patrol_visits, patrols, users,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::org::models::UnitGroup;
use crate::web::crumbs::Crumb;
use crate::web::forms::Choice;
use crate::web::list::{Listing, Resolved};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = patrols)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Patrol {
    pub id: i32,
    pub grid_id: i32,
    pub scope_path: String,
    pub worker_id: i32,
    pub day: NaiveDate,
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    pub quick: bool,
    pub sites_checked: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
    pub corrections: i32,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A key-site check as shown.
#[derive(Debug, Clone, Queryable)]
pub struct SiteCheckRow {
    pub site_id: i32,
    pub name: String,
    pub kind: String,
    pub finding: String,
    pub note: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = patrol_visits)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct VisitRow {
    pub id: i32,
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

/// An issue reported from a patrol.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = issues)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct IssueLink {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
}

/// A correction: who (gone: none), why, what changed ([label key, before, after] triples as
/// JSON) and when.
#[derive(Debug, Clone, Queryable)]
pub struct CorrectionRow {
    pub id: i32,
    pub who: Option<String>,
    pub reason: String,
    pub changes: String,
    pub created_at: NaiveDateTime,
}

/// A grid (or any unit) by name.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = org_units)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct GridName {
    pub id: i32,
    pub name: String,
}

/// The grids this user logs patrols for: the grid their account belongs to and the grids where
/// they are a responsible person (office staff sent down), inside their scope.
pub fn my_grids(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<GridName>> {
    let (lo, hi) = user.scope();
    let assigned: Vec<i32> = grid_people::table
        .filter(grid_people::user_id.eq(user.id))
        .select(grid_people::grid_id)
        .load(conn)?;
    Ok(org_units::table
        .filter(org_units::kind.eq("grid"))
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(
            org_units::id
                .eq(user.org_unit_id)
                .or(org_units::id.eq_any(assigned)),
        )
        .order(org_units::path)
        .select(GridName::as_select())
        .load(conn)?)
}

/// A log by id, if it lies in the user's scope.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Patrol> {
    let (lo, hi) = user.scope();
    Ok(patrols::table
        .find(id)
        .filter(patrols::scope_path.ge(lo))
        .filter(patrols::scope_path.lt(hi))
        .select(Patrol::as_select())
        .first_row(conn)?)
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Patrol> {
    Ok(patrols::table
        .find(id)
        .select(Patrol::as_select())
        .first_row(conn)?)
}

/// A worker's log of a grid on a day.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrols)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct DayLog {
    pub grid_id: i32,
    pub id: i32,
    pub quick: bool,
}

/// This worker's logs of a day (the list's and home page's "my grids today").
pub fn logged_today(
    conn: &mut AnyConnection,
    worker_id: i32,
    day: NaiveDate,
) -> AppResult<Vec<DayLog>> {
    Ok(patrols::table
        .filter(patrols::worker_id.eq(worker_id))
        .filter(patrols::day.eq(day))
        .order(patrols::id)
        .select(DayLog::as_select())
        .load(conn)?)
}

pub fn site_checks(conn: &mut AnyConnection, patrol_id: i32) -> AppResult<Vec<SiteCheckRow>> {
    Ok(patrol_sites::table
        .inner_join(key_sites::table)
        .filter(patrol_sites::patrol_id.eq(patrol_id))
        .order(patrol_sites::id)
        .select((
            key_sites::id,
            key_sites::name,
            key_sites::kind,
            patrol_sites::finding,
            patrol_sites::note,
        ))
        .load(conn)?)
}

pub fn visits(conn: &mut AnyConnection, patrol_id: i32) -> AppResult<Vec<VisitRow>> {
    Ok(patrol_visits::table
        .filter(patrol_visits::patrol_id.eq(patrol_id))
        .order(patrol_visits::id)
        .select(VisitRow::as_select())
        .load(conn)?)
}

pub fn issues_of(conn: &mut AnyConnection, patrol_id: i32) -> AppResult<Vec<IssueLink>> {
    Ok(patrol_issues::table
        .inner_join(issues::table.on(issues::id.eq(patrol_issues::issue_id)))
        .filter(patrol_issues::patrol_id.eq(patrol_id))
        .order(issues::id)
        .select(IssueLink::as_select())
        .load(conn)?)
}

/// The patrol an issue was reported from, if any.
pub fn patrol_of_issue(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Option<i32>> {
    Ok(patrol_issues::table
        .filter(patrol_issues::issue_id.eq(issue_id))
        .select(patrol_issues::patrol_id)
        .first_row(conn)
        .optional()?)
}

pub fn corrections(conn: &mut AnyConnection, patrol_id: i32) -> AppResult<Vec<CorrectionRow>> {
    Ok(patrol_corrections::table
        .left_join(users::table.on(users::id.nullable().eq(patrol_corrections::actor_id)))
        .filter(patrol_corrections::patrol_id.eq(patrol_id))
        .order(patrol_corrections::id)
        .select((
            patrol_corrections::id,
            users::display_name.nullable(),
            patrol_corrections::reason,
            patrol_corrections::changes,
            patrol_corrections::created_at,
        ))
        .load(conn)?)
}

/// A log with everything its page shows.
pub struct FullLog {
    pub patrol: Patrol,
    pub grid_name: String,
    pub crumbs: Vec<Crumb>,
    pub worker_name: String,
    pub sites: Vec<SiteCheckRow>,
    pub visits: Vec<VisitRow>,
    pub issues: Vec<IssueLink>,
    pub corrections: Vec<CorrectionRow>,
}

/// A log in the user's scope (else 404) with its names, site checks, visits, issues and
/// corrections.
pub fn full(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<FullLog> {
    let patrol = get_scoped(conn, user, id)?;
    // Where it sits (street › community › grid), in one query with the grid's name.
    let crumbs = crate::org::crumbs_for(conn, user, &patrol.scope_path)?;
    let grid_name = crumbs.last().map(|c| c.label.clone()).unwrap_or_default();
    let worker_name = crate::issues::models::user_names(conn, &[patrol.worker_id])?
        .into_iter()
        .find(|(id, _)| *id == patrol.worker_id)
        .map(|(_, name)| name)
        .unwrap_or_default();
    Ok(FullLog {
        grid_name,
        crumbs,
        worker_name,
        sites: site_checks(conn, patrol.id)?,
        visits: visits(conn, patrol.id)?,
        issues: issues_of(conn, patrol.id)?,
        corrections: corrections(conn, patrol.id)?,
        patrol,
    })
}

/// One of my grids with my log of it today, if any.
pub struct MyGridToday {
    pub grid: GridName,
    pub log: Option<DayLog>,
}

/// My grids (see `my_grids`) with today's log of each.
pub fn my_grids_today(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<Vec<MyGridToday>> {
    let logged = logged_today(conn, user.id, today)?;
    Ok(my_grids(conn, user)?
        .into_iter()
        .map(|grid| MyGridToday {
            log: logged.iter().find(|l| l.grid_id == grid.id).cloned(),
            grid,
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// A unit inside the user's scope (already checked), or the whole scope.
    pub unit_path: Option<String>,
    pub worker_id: Option<i32>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// "problems" or "quick".
    pub kind: String,
}

/// A log as the list and its export show it (counts only: no residents' data).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = patrols)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct ListRow {
    pub id: i32,
    pub grid_id: i32,
    pub worker_id: i32,
    pub day: NaiveDate,
    pub started_at: String,
    pub ended_at: String,
    pub quick: bool,
    pub sites_checked: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
    pub corrections: i32,
}

/// The list's filter through the list kit: the unit in the user's scope (outside: 404).
impl Listing for super::forms::ListQuery {
    type Filter = Filter;
    fn filter(&self, conn: &mut AnyConnection, user: &CurrentUser) -> Resolved<Filter> {
        let unit_path = crate::org::models::unit_filter(conn, user, &self.unit)?;
        Ok(self.filter(unit_path))
    }
}

/// The logs in scope that match, newest day first (then by grid). Two plans: a street or the
/// district walks the `(day, scope_path)` index newest first and stops after a page (the order
/// is that index's, so nothing is sorted); a community or a grid — a handful of grids, where that
/// walk would pass a whole district's days — reads its grids' rows through `(grid_id, day)` and
/// sorts a few hundred.
/// The list's patrols of `f` in `user`'s scope, unordered.
fn filtered(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
) -> AppResult<patrols::BoxedQuery<'static, crate::db::MultiBackend>> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    // A community ("/1/2/8/") or a grid.
    let narrow = path.matches('/').count() > 3;
    let grids: Vec<i32> = if narrow {
        crate::org::models::units_of_kind(conn, &path, crate::org::domain::Kind::Grid)?
            .into_iter()
            .map(|g| g.id)
            .collect()
    } else {
        Vec::new()
    };
    let mut q = patrols::table
        .filter(patrols::scope_path.ge(lo))
        .filter(patrols::scope_path.lt(hi))
        .into_boxed();
    if narrow {
        q = q.filter(patrols::grid_id.eq_any(grids));
    }
    if let Some(w) = f.worker_id {
        q = q.filter(patrols::worker_id.eq(w));
    }
    if let Some(d) = f.from {
        q = q.filter(patrols::day.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(patrols::day.le(d));
    }
    match f.kind.as_str() {
        "problems" => q = q.filter(patrols::problems.gt(0).or(patrols::site_problems.gt(0))),
        "quick" => q = q.filter(patrols::quick.eq(true)),
        "corrected" => q = q.filter(patrols::corrections.gt(0)),
        _ => {}
    }
    Ok(q)
}

/// The list's patrols, counted up to `cap + 1` (`web::list::Count`).
pub fn count(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter, cap: i64) -> AppResult<i64> {
    Ok(filtered(conn, user, f)?
        .select(patrols::id)
        .count_upto(conn, cap)?)
}

pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ListRow>> {
    Ok(filtered(conn, user, f)?
        .order((
            patrols::day.desc(),
            patrols::scope_path.desc(),
            patrols::id.desc(),
        ))
        .offset(offset)
        .limit(limit)
        .select(ListRow::as_select())
        .load(conn)?)
}

/// What the list's unit and worker boxes offer: the units (above the grids), or within a street
/// its grids grouped under their communities (each community offered first).
pub struct FilterChoices {
    pub units: Vec<Choice>,
    pub grids: Vec<UnitGroup>,
    pub workers: Vec<Choice>,
}

/// Grids and workers are offered by name within a street; a district admin narrows by street or
/// community first (the unit box) and then finds them offered.
pub fn filter_choices(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
) -> AppResult<FilterChoices> {
    let within = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (units, grids) = if names_each(&user.org_path) {
        let grids = crate::org::models::grid_groups(conn, &user.org_path, true)?;
        (Vec::new(), grids)
    } else {
        let units = crate::org::models::unit_options(conn, user, false)?;
        let units = units.iter().map(crate::org::models::UnitOption::choice);
        (units.collect(), Vec::new())
    };
    let workers = if names_each(&within) {
        workers(conn, &within)?
    } else {
        Vec::new()
    };
    Ok(FilterChoices {
        units,
        grids,
        workers: workers
            .into_iter()
            .map(|w| Choice::new(w.id, w.name))
            .collect(),
    })
}

/// True for a street or anything below it: few enough grids and workers to offer each by name
/// in a filter (a district has ~760 of each).
pub fn names_each(path: &str) -> bool {
    path.matches('/').count() > 2
}

/// A user by name.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct UserName {
    pub id: i32,
    #[diesel(column_name = display_name)]
    pub name: String,
}

/// Grid workers of the subtree at `path` (already checked to be in scope), for the worker
/// filter.
pub fn workers(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<UserName>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(users::table
        .inner_join(org_units::table)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(users::role.eq("grid_worker"))
        .order((org_units::path, users::display_name))
        .select(UserName::as_select())
        .load(conn)?)
}
