//! Activity rows: an activity in scope with its attendance, links and photos, writing them, the
//! list with its filters, what the activity form is shown with, and the branch's kept last
//! activity day.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::domain::Activity as Parsed;
use super::forms::{ActivityForm, AttendanceInput, FormData};
use crate::auth::CurrentUser;
use crate::db::CountUpto;
use crate::db::schema::{
    issues, org_units, party_activities, party_activity_links, party_attendance, party_branches,
    party_members,
};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;
use crate::org::domain::Kind;
use crate::org::models::{UnitName, units_of_kind};
use crate::party::branches::models::{self as branch_models, Branch};
use crate::web::list::{Listing, Resolved};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_activities)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Activity {
    pub id: i32,
    pub branch_id: i32,
    pub scope_path: String,
    pub kind: String,
    pub title: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    pub expected: i32,
    pub present: i32,
    pub visited: String,
    pub visited_member_id: Option<i32>,
    pub difficulty: String,
    pub given: String,
    pub pairing_id: Option<i32>,
    pub photos: i32,
    pub created_by: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The columns the form sets.
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = party_activities)]
#[diesel(treat_none_as_null = true)]
pub struct ActivityFields {
    pub kind: String,
    pub title: String,
    pub day: NaiveDate,
    pub start_time: String,
    pub end_time: String,
    pub place: String,
    pub host: String,
    pub recorder: String,
    pub content: String,
    pub outcomes: String,
    pub expected: i32,
    pub present: i32,
    pub visited: String,
    pub visited_member_id: Option<i32>,
    pub difficulty: String,
    pub given: String,
    pub pairing_id: Option<i32>,
}

impl ActivityFields {
    pub fn of(a: &Parsed) -> ActivityFields {
        ActivityFields {
            kind: a.kind.clone(),
            title: a.title.clone(),
            day: a.day,
            start_time: a.start_time.clone(),
            end_time: a.end_time.clone(),
            place: a.place.clone(),
            host: a.host.clone(),
            recorder: a.recorder.clone(),
            content: a.content.clone(),
            outcomes: a.outcomes.clone(),
            expected: a.expected(),
            present: a.present(),
            visited: a.visited.clone(),
            visited_member_id: a.visited_member_id,
            difficulty: a.difficulty.clone(),
            given: a.given.clone(),
            pairing_id: a.pairing_id,
        }
    }
}

/// An activity and its branch, if the branch is in the user's scope (or is theirs).
pub fn get_scoped(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Activity, Branch)> {
    let a: Activity = party_activities::table
        .find(id)
        .select(Activity::as_select())
        .first_row(conn)?;
    let b = branch_models::get_scoped(conn, user, a.branch_id)?;
    Ok((a, b))
}

pub fn insert(
    conn: &mut AnyConnection,
    b: &Branch,
    f: &ActivityFields,
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(party_activities::table)
        .values((
            f,
            party_activities::branch_id.eq(b.id),
            party_activities::scope_path.eq(&b.scope_path),
            party_activities::created_by.eq(user_id),
            party_activities::created_at.eq(now),
            party_activities::updated_at.eq(now),
        ))
        .returning(party_activities::id)
        .get_result(conn)?)
}

/// Saves the activity if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &ActivityFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        party_activities::table
            .filter(party_activities::id.eq(id))
            .filter(party_activities::version.eq(version)),
    )
    .set((
        f,
        party_activities::version.eq(version + 1),
        party_activities::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the attendance rows and the links with the parsed form's.
pub fn set_children(conn: &mut AnyConnection, id: i32, a: &Parsed) -> AppResult<()> {
    diesel::delete(party_attendance::table.filter(party_attendance::activity_id.eq(id)))
        .execute(conn)?;
    for (member, (code, reason)) in &a.attendance {
        diesel::insert_into(party_attendance::table)
            .values((
                party_attendance::activity_id.eq(id),
                party_attendance::member_id.eq(member),
                party_attendance::attendance.eq(code),
                party_attendance::reason.eq(reason),
            ))
            .execute(conn)?;
    }
    diesel::delete(party_activity_links::table.filter(party_activity_links::activity_id.eq(id)))
        .execute(conn)?;
    for g in &a.grids {
        diesel::insert_into(party_activity_links::table)
            .values((
                party_activity_links::activity_id.eq(id),
                party_activity_links::grid_id.eq(Some(*g)),
            ))
            .execute(conn)?;
    }
    for i in &a.issues {
        diesel::insert_into(party_activity_links::table)
            .values((
                party_activity_links::activity_id.eq(id),
                party_activity_links::issue_id.eq(Some(*i)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// A member's attendance row on an activity.
#[derive(Debug, Clone, Queryable)]
pub struct AttendanceRow {
    pub member_id: i32,
    pub name: String,
    pub attendance: String,
    pub reason: String,
}

/// The activity's attendance rows, in the member list's order.
pub fn attendance(conn: &mut AnyConnection, id: i32) -> AppResult<Vec<AttendanceRow>> {
    Ok(party_attendance::table
        .inner_join(party_members::table)
        .filter(party_attendance::activity_id.eq(id))
        .order((party_members::joined_on, party_members::id))
        .select((
            party_members::id,
            party_members::name,
            party_attendance::attendance,
            party_attendance::reason,
        ))
        .load(conn)?)
}

/// An issue an activity served.
#[derive(Debug, Clone, Queryable)]
pub struct IssueLink {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
}

/// The grids and issues an activity is linked to.
pub fn links(conn: &mut AnyConnection, id: i32) -> AppResult<(Vec<UnitName>, Vec<IssueLink>)> {
    let grids = party_activity_links::table
        .inner_join(org_units::table.on(party_activity_links::grid_id.eq(org_units::id.nullable())))
        .filter(party_activity_links::activity_id.eq(id))
        .order(org_units::path)
        .select((org_units::id, org_units::name))
        .load(conn)?;
    let issues = party_activity_links::table
        .inner_join(issues::table.on(party_activity_links::issue_id.eq(issues::id.nullable())))
        .filter(party_activity_links::activity_id.eq(id))
        .order(issues::id)
        .select((issues::id, issues::number, issues::title, issues::state))
        .load(conn)?;
    Ok((grids, issues))
}

/// An activity linked to an issue, as the issue's page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct LinkedActivity {
    pub id: i32,
    pub kind: String,
    pub day: NaiveDate,
    pub title: String,
    pub branch: String,
}

/// The activities linked to an issue.
pub fn linked_to_issue(conn: &mut AnyConnection, issue_id: i32) -> AppResult<Vec<LinkedActivity>> {
    Ok(party_activity_links::table
        .inner_join(party_activities::table.inner_join(party_branches::table))
        .filter(party_activity_links::issue_id.eq(issue_id))
        .order((party_activities::day, party_activities::id))
        .select((
            party_activities::id,
            party_activities::kind,
            party_activities::day,
            party_activities::title,
            party_branches::name,
        ))
        .load(conn)?)
}

/// Keeps `party_branches.last_activity` at the day of the branch's latest activity.
pub fn refresh_last_activity(conn: &mut AnyConnection, branch_id: i32) -> AppResult<()> {
    let last: Option<NaiveDate> = party_activities::table
        .filter(party_activities::branch_id.eq(branch_id))
        .select(diesel::dsl::max(party_activities::day))
        .get_result(conn)?;
    diesel::update(party_branches::table.find(branch_id))
        .set(party_branches::last_activity.eq(last))
        .execute(conn)?;
    Ok(())
}

/// Issues with these numbers inside a unit's subtree: number → id.
pub fn issues_by_number(
    conn: &mut AnyConnection,
    path: &str,
    numbers: &[String],
) -> AppResult<BTreeMap<String, i32>> {
    if numbers.is_empty() {
        return Ok(BTreeMap::new());
    }
    let (lo, hi) = crate::db::subtree_range(path);
    Ok(issues::table
        .filter(issues::number.eq_any(numbers))
        .filter(issues::scope_path.ge(lo))
        .filter(issues::scope_path.lt(hi))
        .select((issues::number, issues::id))
        .load::<(String, i32)>(conn)?
        .into_iter()
        .collect())
}

/// Filters of the activity list.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_path: Option<String>,
    pub branch_id: Option<i32>,
    pub kind: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub pairing_id: Option<i32>,
}

/// A list row: the activity and its branch's name.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct ListRow {
    #[diesel(embed)]
    pub activity: Activity,
    #[diesel(select_expression = party_branches::name)]
    #[diesel(select_expression_type = party_branches::name)]
    pub branch: String,
}

/// The list's filter through the list kit: the unit in the user's scope (outside: 404).
impl Listing for super::forms::ListQuery {
    type Filter = Filter;
    fn filter(&self, conn: &mut AnyConnection, user: &CurrentUser) -> Resolved<Filter> {
        let mut e = crate::web::forms::FormErrors::new();
        let period = crate::web::list::period(&mut e, &self.from, &self.to);
        let mut f = Filter {
            from: period.from,
            to: period.to,
            kind: self.kind(),
            unit_path: crate::org::models::unit_filter(conn, user, &self.unit)?,
            ..Default::default()
        };
        if let Ok(branch) = self.branch.trim().parse::<i32>() {
            f.branch_id = Some(branch_models::get_scoped(conn, user, branch)?.id);
        }
        Ok((f, e))
    }
}

/// Activities in scope (and of the user's own branches), newest first.
/// The list's activities (with their branches) of `f` in `user`'s scope, unordered.
fn filtered(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    f: &Filter,
) -> AppResult<
    diesel::dsl::IntoBoxed<
        'static,
        diesel::dsl::InnerJoin<party_activities::table, party_branches::table>,
        crate::db::MultiBackend,
    >,
> {
    let own: Vec<i32> = party_branches::table
        .filter(party_branches::secretary_user_id.eq(user.id))
        .select(party_branches::id)
        .load(conn)?;
    let path = f.unit_path.clone().unwrap_or_else(|| user.org_path.clone());
    let (lo, hi) = crate::db::subtree_range(&path);
    let mut q = party_activities::table
        .inner_join(party_branches::table)
        .into_boxed();
    q = if f.unit_path.is_some() {
        // A unit chosen in the filter lies in the user's scope (checked by the caller).
        q.filter(
            party_activities::scope_path
                .ge(lo)
                .and(party_activities::scope_path.lt(hi)),
        )
    } else {
        q.filter(
            party_activities::scope_path
                .ge(lo)
                .and(party_activities::scope_path.lt(hi))
                .or(party_activities::branch_id.eq_any(own)),
        )
    };
    if let Some(b) = f.branch_id {
        q = q.filter(party_activities::branch_id.eq(b));
    }
    if let Some(k) = &f.kind {
        q = q.filter(party_activities::kind.eq(k.clone()));
    }
    if let Some(d) = f.from {
        q = q.filter(party_activities::day.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(party_activities::day.le(d));
    }
    if let Some(p) = f.pairing_id {
        q = q.filter(party_activities::pairing_id.eq(p));
    }
    Ok(q)
}

/// The list's activities, counted up to `cap + 1` (`web::list::Count`).
pub fn count(conn: &mut AnyConnection, user: &CurrentUser, f: &Filter, cap: i64) -> AppResult<i64> {
    Ok(filtered(conn, user, f)?
        .select(party_activities::id)
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
        .order((party_activities::day.desc(), party_activities::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(ListRow::as_select())
        .load(conn)?)
}

/// What the form is shown and checked with; `pairing`: the pairing a saved visit names, kept on
/// offer if it has ended since (a new visit can only name a pairing that still lasts).
pub fn form_data(
    conn: &mut AnyConnection,
    b: Branch,
    numbers: &[String],
    pairing: Option<i32>,
) -> AppResult<FormData> {
    Ok(FormData {
        members: crate::party::members::models::choices(conn, b.id)?,
        pairings: crate::party::pairings::models::choices(conn, b.id, pairing)?,
        grids: units_of_kind(conn, &b.scope_path, Kind::Grid)?,
        issues: issues_by_number(conn, &b.scope_path, numbers)?,
        b,
    })
}

/// The saved activity as a form: its attendance rows and links read.
pub fn saved_form(conn: &mut AnyConnection, a: &Activity) -> AppResult<ActivityForm> {
    let att = attendance(conn, a.id)?
        .into_iter()
        .map(|r| {
            let input = AttendanceInput {
                attendance: r.attendance,
                reason: r.reason,
            };
            (r.member_id, input)
        })
        .collect();
    let (grids, issues) = links(conn, a.id)?;
    Ok(ActivityForm::from_saved(a, att, &grids, &issues))
}
