//! What the issue page reads, in one blocking call: the issue in scope, the actions the user may
//! take on it (with the dispatch targets when dispatch is one), the names it shows, the timeline
//! with its photos and the records of other features that point at it.

use std::collections::HashMap;

use diesel::prelude::*;

use super::lookups::{DispatchUser, UnitName};
use super::{CategoryRow, EventRow, Issue, PhotoRow};
use crate::auth::CurrentUser;
use crate::db::schema::issue_photos;
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::issues::domain::{self, Action};
use crate::issues::urge::domain as urge;
use crate::issues::workflow;

/// The issue page's data.
pub struct IssueDetail {
    pub issue: Issue,
    pub cats: Vec<CategoryRow>,
    /// Names of the reporter, the handler and who handled it, by user id.
    pub names: HashMap<i32, String>,
    /// Names of the units on the grid's path, the owner unit and the handling unit, by id.
    pub units: HashMap<i32, String>,
    pub events: Vec<EventRow>,
    pub photos: Vec<PhotoRow>,
    pub actions: Vec<Action>,
    /// Whom the user may dispatch to (empty unless dispatch is one of `actions`).
    pub target_users: Vec<DispatchUser>,
    pub target_units: Vec<UnitName>,
    /// The patrol log it was reported from.
    pub patrol: Option<i32>,
    /// The meetings that discussed it.
    pub meetings: Vec<crate::meetings::models::IssueMeeting>,
    /// The opinion-box entry it was turned from.
    pub opinion: Option<i32>,
    pub party_activities: Vec<crate::party::activities::models::LinkedActivity>,
    /// How many times it was urged (督办), and whether the user may urge it now.
    pub urges: i64,
    pub may_urge: bool,
}

/// Reads issue `id` for `user` (404 outside their scope).
pub fn detail(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<IssueDetail> {
    let issue = super::get_scoped(conn, user, id)?;
    let (standing, owner) = workflow::standing(conn, user, &issue)?;
    let pending = domain::Pending::parse(&issue.pending);
    let actions = domain::allowed(issue.state(), pending, &standing);
    let (target_users, target_units) = if actions.contains(&Action::Dispatch) {
        (
            super::dispatch_staff(conn, &owner.path)?,
            super::dispatch_units(conn, &owner.path, owner.depth)?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let user_ids: Vec<i32> = [
        Some(issue.reporter_id),
        issue.handler_user_id,
        issue.handled_by,
    ]
    .into_iter()
    .flatten()
    .collect();
    // The grid's path (street › community › grid: the page's breadcrumbs), the owner and the
    // handling unit, named in one query.
    let path_ids = issue.scope_path.split('/').filter_map(|s| s.parse().ok());
    let unit_ids = [Some(issue.owner_unit_id), issue.handler_unit_id]
        .into_iter()
        .flatten()
        .chain(path_ids);
    Ok(IssueDetail {
        names: super::user_names(conn, &user_ids)?.into_iter().collect(),
        units: super::unit_names(conn, unit_ids)?,
        patrol: crate::patrols::models::patrol_of_issue(conn, issue.id)?,
        meetings: crate::meetings::models::of_issue(conn, issue.id)?,
        opinion: crate::party::opinions::models::of_issue(conn, issue.id)?,
        party_activities: crate::party::activities::models::linked_to_issue(conn, issue.id)?,
        urges: crate::issues::urge::models::count_of(conn, issue.id)?,
        may_urge: urge::may_urge(user.role) && urge::urgeable(issue.state()),
        events: super::events(conn, issue.id)?,
        photos: super::photos(conn, issue.id)?,
        cats: super::categories(conn)?,
        issue,
        actions,
        target_users,
        target_units,
    })
}

/// The stored photo `pid` of issue `id`, if the issue is in the user's scope.
pub fn photo(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    pid: i32,
) -> AppResult<PhotoRow> {
    let issue = super::get_scoped(conn, user, id)?;
    issue_photos::table
        .filter(issue_photos::issue_id.eq(issue.id))
        .filter(issue_photos::id.eq(pid))
        .select(PhotoRow::as_select())
        .first_row(conn)
        .optional()?
        .ok_or(AppError::NotFound)
}
