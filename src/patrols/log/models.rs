//! The log form's reads and writes: what the form offers (the grid, its key sites, the
//! categories), a new log with its problems filed as issues, the one-click log, and an edit or a
//! correction under its version — each in one transaction with its audit row.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::domain::Log;
use super::forms::{PatrolForm, SiteInput, VisitInput};
use crate::auth::CurrentUser;
use crate::db::schema::{
    key_sites, patrol_corrections, patrol_issues, patrol_sites, patrol_visits, patrols,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::issues::models::{self as issue_models, CategoryRow};
use crate::issues::workflow::{self, Clock, Report};
use crate::patrols::models::{self as reads, GridName, IssueLink, Patrol};
use crate::web::edit::{Labelled, Saved, labelled_json};

/// Stored photo keys of each problem row.
pub type PhotoKeys = HashMap<usize, Vec<(String, String)>>;

/// What a form page needs besides the form: the grid, its key sites, the categories, and the
/// issues a saved log already reported.
pub struct FormData {
    pub grid: GridName,
    pub grid_path: String,
    pub sites: Vec<KeySite>,
    pub cats: Vec<CategoryRow>,
    pub issues: Vec<IssueLink>,
}

/// The form's data for a grid in the user's scope (else 404), and a saved log's issues.
pub fn form_data(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    patrol: Option<i32>,
) -> AppResult<FormData> {
    let grid = crate::org::models::get_grid(conn, user, grid_id)?;
    Ok(FormData {
        sites: active_sites(conn, grid.id)?,
        cats: issue_models::categories(conn)?,
        issues: match patrol {
            Some(id) => reads::issues_of(conn, id)?,
            None => Vec::new(),
        },
        grid_path: grid.path,
        grid: GridName {
            id: grid.id,
            name: grid.name,
        },
    })
}

/// The grid a new log is for: the one asked for if it is one of mine (else 404), my only grid,
/// or none when I have several to choose from (none at all: 403).
pub fn pick_grid(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    wanted: Option<i32>,
) -> AppResult<Option<i32>> {
    let mine = reads::my_grids(conn, user)?;
    match wanted {
        Some(g) if mine.iter().any(|m| m.id == g) => Ok(Some(g)),
        // Not one of my grids (outside my scope, or one I am not assigned to).
        Some(_) => Err(AppError::NotFound),
        None if mine.len() == 1 => Ok(Some(mine[0].id)),
        None if mine.is_empty() => Err(AppError::Forbidden),
        None => Ok(None),
    }
}

/// The saved log as a form (for the edit page and the conflict comparison).
pub fn saved_form(conn: &mut AnyConnection, p: &Patrol) -> AppResult<PatrolForm> {
    let sites = reads::site_checks(conn, p.id)?
        .into_iter()
        .map(|s| {
            let input = SiteInput {
                finding: s.finding,
                note: s.note,
            };
            (s.site_id, input)
        })
        .collect();
    let visits = reads::visits(conn, p.id)?
        .into_iter()
        .map(|v| VisitInput {
            address: v.address,
            householder: v.householder,
            phone: v.phone,
            learned: v.learned,
            needs: v.needs,
        })
        .collect();
    Ok(PatrolForm {
        grid_id: p.grid_id.to_string(),
        day: p.day.to_string(),
        started_at: p.started_at.clone(),
        ended_at: p.ended_at.clone(),
        route: p.route.clone(),
        notes: p.notes.clone(),
        sites,
        visits,
        version: p.version.to_string(),
        ..Default::default()
    })
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

/// An active key site of a grid, as the form offers it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = key_sites)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct KeySite {
    pub id: i32,
    pub name: String,
    pub kind: String,
    /// Days between checks.
    pub patrol_days: i32,
}

/// Active key sites of a grid, in the order the notice lists them.
pub fn active_sites(conn: &mut AnyConnection, grid_id: i32) -> AppResult<Vec<KeySite>> {
    Ok(key_sites::table
        .filter(key_sites::grid_id.eq(grid_id))
        .filter(key_sites::active.eq(true))
        .order((key_sites::patrol_days, key_sites::id))
        .select(KeySite::as_select())
        .load(conn)?)
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

/// Files each problem as an issue reported from the patrol, with its photos.
fn report_problems(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    patrol_id: i32,
    log: &Log,
    photo_keys: &PhotoKeys,
    clock: &Clock,
) -> AppResult<()> {
    for p in &log.problems {
        let report = Report {
            title: p.title.clone(),
            description: p.description.clone(),
            category_id: p.category_id,
            source: "patrol".into(),
            grid_id: log.grid_id,
            address: p.address.clone(),
            people: String::new(),
            urgency: p.urgency.clone(),
        };
        let (issue, event) = workflow::report(conn, user, &report, clock)?;
        for k in photo_keys.get(&p.row).into_iter().flatten() {
            issue_models::add_photo(conn, issue.id, event, "before", k, user.id)?;
        }
        link_issue(conn, patrol_id, issue.id)?;
    }
    Ok(())
}

/// Writes a new log of the grid at `path`: the row, its problems as issues, its site checks and
/// visits, the audit row. Returns its id.
pub fn create(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    log: &Log,
    path: &str,
    keys: &PhotoKeys,
    clock: &Clock,
) -> AppResult<i32> {
    let id = insert(
        conn,
        &NewPatrol {
            grid_id: log.grid_id,
            scope_path: path.to_string(),
            worker_id: user.id,
            day: log.day,
            started_at: log.started_at.clone(),
            ended_at: log.ended_at.clone(),
            route: log.route.clone(),
            notes: log.notes.clone(),
            quick: false,
            created_at: clock.now,
            updated_at: clock.now,
        },
    )?;
    report_problems(conn, user, id, log, keys, clock)?;
    let patrol = reads::get(conn, id)?;
    set_children(conn, &patrol, log, false)?;
    crate::audit::created(
        conn,
        &user.actor(),
        "patrol",
        id,
        &log.day.to_string(),
        &log.audit_view(),
        path,
    )?;
    Ok(id)
}

/// Today's one-click log of one of my grids (another grid: 404), or the log I already made of
/// it today. Returns its id.
pub fn create_quick(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    today: NaiveDate,
    clock: &Clock,
) -> AppResult<i32> {
    if !reads::my_grids(conn, user)?.iter().any(|g| g.id == grid_id) {
        return Err(AppError::NotFound);
    }
    if let Some(id) = logged(conn, user.id, grid_id, today)? {
        return Ok(id);
    }
    let grid = crate::org::models::get_grid(conn, user, grid_id)?;
    let id = insert(
        conn,
        &NewPatrol {
            grid_id,
            scope_path: grid.path.clone(),
            worker_id: user.id,
            day: today,
            started_at: String::new(),
            ended_at: String::new(),
            route: String::new(),
            notes: String::new(),
            quick: true,
            created_at: clock.now,
            updated_at: clock.now,
        },
    )?;
    crate::audit::created(
        conn,
        &user.actor(),
        "patrol",
        id,
        &format!("{today} quick"),
        &serde_json::json!({"grid_id": grid_id, "day": today, "quick": true}),
        &grid.path,
    )?;
    Ok(id)
}

/// An edit or a correction as checked: the log, its new problems' photo keys, the version the
/// form was opened on, and the log's lines before and after (for the correction's record, as
/// [label, before, after] JSON, and the audit).
pub struct Edit {
    pub log: Log,
    pub keys: PhotoKeys,
    pub seen: i32,
    pub correcting: bool,
    pub before: Labelled,
    pub after: Labelled,
    pub changes_json: String,
}

/// The log as it is now, and as a form, when someone saved first.
pub type Latest = Box<(Patrol, PatrolForm)>;

/// Saves an edit or a correction of log `id` if its version is still the one the form was
/// opened on: the fields, new problems as issues, the site checks and visits, a correction's
/// record, the audit row.
pub fn save(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    e: &Edit,
    clock: &Clock,
) -> AppResult<Saved<Latest>> {
    let (log, correcting) = (&e.log, e.correcting);
    let current = reads::get_scoped(conn, user, id)?;
    let change = PatrolChange {
        started_at: log.started_at.clone(),
        ended_at: log.ended_at.clone(),
        route: log.route.clone(),
        notes: log.notes.clone(),
        // A quick log stays quick while nothing was added to it.
        quick: current.quick
            && log.sites.is_empty()
            && log.visits.is_empty()
            && log.started_at.is_empty(),
        updated_at: clock.now,
    };
    if !update(conn, id, e.seen, &change)? {
        let saved = saved_form(conn, &current)?;
        return Ok(Saved::Stale(Box::new((current, saved))));
    }
    report_problems(conn, user, id, log, &e.keys, clock)?;
    set_children(conn, &current, log, correcting)?;
    if correcting {
        add_correction(conn, id, user.id, &log.reason, &e.changes_json)?;
    }
    let summary = if correcting {
        format!("{} correction: {}", current.day, log.reason)
    } else {
        current.day.to_string()
    };
    crate::audit::updated(
        conn,
        &user.actor(),
        "patrol",
        id,
        &summary,
        &labelled_json(&e.before),
        &labelled_json(&e.after),
        &current.scope_path,
    )?;
    Ok(Saved::Done)
}
