//! Patrol rows: the grids a user logs for, reading a log in scope with its site checks, visits,
//! issues and corrections, writing a log (the row and its children in one transaction), and the
//! list in scope.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::forms::Log;
use crate::auth::CurrentUser;
use crate::db::schema::{
    grid_people, issues, key_sites, org_units, patrol_corrections, patrol_issues, patrol_sites,
    patrol_visits, patrols, users,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

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

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = patrols)]
pub struct NewPatrol {
    pub grid_id: i32,
    pub scope_path: String,
    pub worker_id: i32,
    pub day: NaiveDate,
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    pub quick: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The fields an edit or correction sets (the counts are set with the children).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = patrols)]
pub struct PatrolChange {
    pub started_at: String,
    pub ended_at: String,
    pub route: String,
    pub notes: String,
    pub quick: bool,
    pub updated_at: NaiveDateTime,
}

/// A key-site check as shown: site id, name, kind, finding, note.
pub type SiteCheckRow = (i32, String, String, String, String);

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct VisitRow {
    pub id: i32,
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

/// An issue reported from a patrol: id, number, title, state.
pub type IssueLink = (i32, String, String, String);

/// A correction: who, when, why and what changed ([label key, before, after] triples as JSON).
pub type CorrectionRow = (i32, Option<String>, String, String, NaiveDateTime);

/// The grids this user logs patrols for: the grid their account belongs to and the grids where
/// they are a responsible person (office staff sent down), inside their scope.
pub fn my_grids(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<(i32, String)>> {
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
        .select((org_units::id, org_units::name))
        .load(conn)?)
}

/// Active key sites of a grid, in the order the notice lists them: id, name, kind, interval.
pub fn active_sites(
    conn: &mut AnyConnection,
    grid_id: i32,
) -> AppResult<Vec<(i32, String, String, i32)>> {
    Ok(key_sites::table
        .filter(key_sites::grid_id.eq(grid_id))
        .filter(key_sites::active.eq(true))
        .order((key_sites::patrol_days, key_sites::id))
        .select((
            key_sites::id,
            key_sites::name,
            key_sites::kind,
            key_sites::patrol_days,
        ))
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

/// This worker's log of a grid on a day, if any (the one-click log is made once).
pub fn logged(
    conn: &mut AnyConnection,
    worker_id: i32,
    grid_id: i32,
    day: NaiveDate,
) -> AppResult<Option<i32>> {
    Ok(patrols::table
        .filter(patrols::worker_id.eq(worker_id))
        .filter(patrols::day.eq(day))
        .filter(patrols::grid_id.eq(grid_id))
        .select(patrols::id)
        .first_row(conn)
        .optional()?)
}

/// Today's logs of these grids by this worker: (grid id, patrol id, quick).
pub fn logged_today(
    conn: &mut AnyConnection,
    worker_id: i32,
    day: NaiveDate,
) -> AppResult<Vec<(i32, i32, bool)>> {
    Ok(patrols::table
        .filter(patrols::worker_id.eq(worker_id))
        .filter(patrols::day.eq(day))
        .order(patrols::id)
        .select((patrols::grid_id, patrols::id, patrols::quick))
        .load(conn)?)
}

pub fn insert(conn: &mut AnyConnection, new: &NewPatrol) -> AppResult<i32> {
    Ok(diesel::insert_into(patrols::table)
        .values(new)
        .returning(patrols::id)
        .get_result(conn)?)
}

/// Saves the changed fields if the version still matches; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    change: &PatrolChange,
) -> AppResult<bool> {
    let n = diesel::update(
        patrols::table
            .filter(patrols::id.eq(id))
            .filter(patrols::version.eq(version)),
    )
    .set((change, patrols::version.eq(version + 1)))
    .execute(conn)?;
    Ok(n == 1)
}

/// Writes a log's site checks and visits (replacing those it had) and sets its counts.
pub fn set_children(
    conn: &mut AnyConnection,
    patrol: &Patrol,
    log: &Log,
    corrected: bool,
) -> AppResult<()> {
    diesel::delete(patrol_sites::table.filter(patrol_sites::patrol_id.eq(patrol.id)))
        .execute(conn)?;
    diesel::delete(patrol_visits::table.filter(patrol_visits::patrol_id.eq(patrol.id)))
        .execute(conn)?;
    for s in &log.sites {
        diesel::insert_into(patrol_sites::table)
            .values((
                patrol_sites::patrol_id.eq(patrol.id),
                patrol_sites::site_id.eq(s.site_id),
                patrol_sites::day.eq(patrol.day),
                patrol_sites::finding.eq(&s.finding),
                patrol_sites::note.eq(&s.note),
            ))
            .execute(conn)?;
    }
    for v in &log.visits {
        diesel::insert_into(patrol_visits::table)
            .values((
                patrol_visits::patrol_id.eq(patrol.id),
                patrol_visits::grid_id.eq(patrol.grid_id),
                patrol_visits::day.eq(patrol.day),
                patrol_visits::household.eq(v.household()),
                patrol_visits::address.eq(&v.address),
                patrol_visits::householder.eq(&v.householder),
                patrol_visits::phone.eq(&v.phone),
                patrol_visits::learned.eq(&v.learned),
                patrol_visits::needs.eq(&v.needs),
            ))
            .execute(conn)?;
    }
    let problems: i64 = patrol_issues::table
        .filter(patrol_issues::patrol_id.eq(patrol.id))
        .count()
        .get_result(conn)?;
    let site_problems = log.sites.iter().filter(|s| s.finding == "problem").count();
    diesel::update(patrols::table.find(patrol.id))
        .set((
            patrols::sites_checked.eq(log.sites.len() as i32),
            patrols::site_problems.eq(site_problems as i32),
            patrols::visits.eq(log.visits.len() as i32),
            patrols::problems.eq(problems as i32),
            patrols::corrections.eq(patrol.corrections + i32::from(corrected)),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn link_issue(conn: &mut AnyConnection, patrol_id: i32, issue_id: i32) -> AppResult<()> {
    diesel::insert_into(patrol_issues::table)
        .values((
            patrol_issues::patrol_id.eq(patrol_id),
            patrol_issues::issue_id.eq(issue_id),
        ))
        .execute(conn)?;
    Ok(())
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
        .select((
            patrol_visits::id,
            patrol_visits::address,
            patrol_visits::householder,
            patrol_visits::phone,
            patrol_visits::learned,
            patrol_visits::needs,
        ))
        .load(conn)?)
}

pub fn issues_of(conn: &mut AnyConnection, patrol_id: i32) -> AppResult<Vec<IssueLink>> {
    Ok(patrol_issues::table
        .inner_join(issues::table.on(issues::id.eq(patrol_issues::issue_id)))
        .filter(patrol_issues::patrol_id.eq(patrol_id))
        .order(issues::id)
        .select((issues::id, issues::number, issues::title, issues::state))
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

pub fn add_correction(
    conn: &mut AnyConnection,
    patrol_id: i32,
    actor_id: i32,
    reason: &str,
    changes: &str,
) -> AppResult<()> {
    diesel::insert_into(patrol_corrections::table)
        .values((
            patrol_corrections::patrol_id.eq(patrol_id),
            patrol_corrections::actor_id.eq(actor_id),
            patrol_corrections::reason.eq(reason),
            patrol_corrections::changes.eq(changes),
            patrol_corrections::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
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

pub type ListRow = (
    i32,
    i32,
    i32,
    NaiveDate,
    String,
    String,
    bool,
    i32,
    i32,
    i32,
    i32,
    i32,
);

/// The logs in scope that match, newest day first (then by grid). Two plans: a street or the
/// district walks the `(day, scope_path)` index newest first and stops after a page (the order
/// is that index's, so nothing is sorted); a community or a grid — a handful of grids, where that
/// walk would pass a whole district's days — reads its grids' rows through `(grid_id, day)` and
/// sorts a few hundred.
pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<ListRow>> {
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    // A community ("/1/2/8/") or a grid.
    let narrow = path.matches('/').count() > 3;
    let grids: Vec<i32> = if narrow {
        org_units::table
            .filter(org_units::kind.eq("grid"))
            .filter(org_units::path.ge(&lo))
            .filter(org_units::path.lt(&hi))
            .select(org_units::id)
            .load(conn)?
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
    Ok(q.order((
        patrols::day.desc(),
        patrols::scope_path.desc(),
        patrols::id.desc(),
    ))
    .offset(offset)
    .limit(limit)
    .select((
        patrols::id,
        patrols::grid_id,
        patrols::worker_id,
        patrols::day,
        patrols::started_at,
        patrols::ended_at,
        patrols::quick,
        patrols::sites_checked,
        patrols::site_problems,
        patrols::visits,
        patrols::problems,
        patrols::corrections,
    ))
    .load(conn)?)
}

/// True for a street or anything below it: few enough grids and workers to offer each by name
/// in a filter (a district has ~760 of each).
pub fn names_each(path: &str) -> bool {
    path.matches('/').count() > 2
}

/// Grid workers of the subtree at `path` (already checked to be in scope), for the worker
/// filter: id, name.
pub fn workers(conn: &mut AnyConnection, path: &str) -> AppResult<Vec<(i32, String)>> {
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(users::table
        .inner_join(org_units::table)
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(users::role.eq("grid_worker"))
        .order((org_units::path, users::display_name))
        .select((users::id, users::display_name))
        .load(conn)?)
}
