//! Notice rows (整改通知书): issuing one with its number, reading one in scope with its
//! findings and answers, the list, and the steps that change it (签收, answer, extension).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::domain::{self, Progress};
use crate::auth::CurrentUser;
use crate::db::schema::inspection_answers as answers;
use crate::db::schema::inspection_findings as findings;
use crate::db::schema::inspection_notice_findings as links;
use crate::db::schema::inspection_notices as notices;
use crate::db::schema::inspection_reinspections as reins;
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::inspections::visits::models::Finding;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = notices)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Notice {
    pub id: i32,
    pub round_id: i32,
    pub issuer_path: String,
    pub unit_id: i32,
    pub unit_path: String,
    pub unit_name: String,
    pub year: i32,
    pub number: i32,
    pub issued_on: NaiveDate,
    pub working_days: i32,
    pub first_deadline: NaiveDate,
    pub deadline: NaiveDate,
    pub requirements: String,
    pub issued_by: i32,
    pub signed_name: String,
    pub signed_by: Option<i32>,
    pub signed_at: Option<NaiveDateTime>,
    pub ext_state: String,
    pub ext_days: i32,
    pub ext_reason: String,
    pub ext_asked_by: Option<i32>,
    pub ext_decided_by: Option<i32>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Notice {
    pub fn signed(&self) -> bool {
        self.signed_at.is_some()
    }
}

/// An answer to one finding.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Answer {
    pub finding_id: i32,
    pub body: String,
    pub answered_name: String,
    pub created_at: NaiveDateTime,
}

/// A notice as issued (its number is assigned on insert).
#[derive(Debug, Clone, Serialize)]
pub struct NewNotice {
    pub round_id: i32,
    pub issuer_path: String,
    pub unit_id: i32,
    pub unit_path: String,
    pub unit_name: String,
    pub issued_on: NaiveDate,
    pub working_days: i32,
    pub deadline: NaiveDate,
    pub requirements: String,
    pub finding_ids: Vec<i32>,
}

/// The open findings of a unit in a round that no notice holds (a finding that failed its
/// re-inspection under a notice may be issued again).
pub fn offered(conn: &mut AnyConnection, round: i32, unit: i32) -> AppResult<Vec<Finding>> {
    let open: Vec<Finding> = findings::table
        .filter(findings::round_id.eq(round))
        .filter(findings::unit_id.eq(unit))
        .filter(findings::state.eq("open"))
        .order(findings::id)
        .select(Finding::as_select())
        .load(conn)?;
    let ids: Vec<i32> = open.iter().map(|f| f.id).collect();
    let held: Vec<(i32, i32)> = links::table
        .filter(links::finding_id.eq_any(&ids))
        .select((links::finding_id, links::notice_id))
        .load(conn)?;
    let failed: Vec<(i32, Option<i32>)> = reins::table
        .filter(reins::finding_id.eq_any(&ids))
        .filter(reins::result.eq("fail"))
        .select((reins::finding_id, reins::notice_id))
        .load(conn)?;
    Ok(open
        .into_iter()
        .filter(|f| {
            held.iter()
                .filter(|(fid, _)| *fid == f.id)
                .all(|(fid, nid)| failed.contains(&(*fid, Some(*nid))))
        })
        .collect())
}

/// Inserts the notice with the next number of its office's year (inside the caller's write
/// transaction, so two notices never share a number and none is skipped); answers its id and
/// number.
pub fn insert(
    conn: &mut AnyConnection,
    n: &NewNotice,
    by: i32,
    now: NaiveDateTime,
) -> AppResult<(i32, i32)> {
    use chrono::Datelike;
    let year = n.issued_on.year();
    let highest: Option<i32> = notices::table
        .filter(notices::issuer_path.eq(&n.issuer_path))
        .filter(notices::year.eq(year))
        .select(diesel::dsl::max(notices::number))
        .first_row(conn)?;
    let number = domain::next_number(highest);
    let id = diesel::insert_into(notices::table)
        .values((
            notices::round_id.eq(n.round_id),
            notices::issuer_path.eq(&n.issuer_path),
            notices::unit_id.eq(n.unit_id),
            notices::unit_path.eq(&n.unit_path),
            notices::unit_name.eq(&n.unit_name),
            notices::year.eq(year),
            notices::number.eq(number),
            notices::issued_on.eq(n.issued_on),
            notices::working_days.eq(n.working_days),
            notices::first_deadline.eq(n.deadline),
            notices::deadline.eq(n.deadline),
            notices::requirements.eq(&n.requirements),
            notices::issued_by.eq(by),
            notices::version.eq(1),
            notices::created_at.eq(now),
            notices::updated_at.eq(now),
        ))
        .returning(notices::id)
        .get_result(conn)?;
    for (i, f) in n.finding_ids.iter().enumerate() {
        diesel::insert_into(links::table)
            .values((
                links::notice_id.eq(id),
                links::finding_id.eq(f),
                links::position.eq(i as i32 + 1),
            ))
            .execute(conn)?;
    }
    Ok((id, number))
}

/// A notice by id, if the user's scope holds its unit (404 otherwise).
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Notice> {
    let n = get(conn, id)?;
    if user.sees(&n.unit_path) {
        Ok(n)
    } else {
        Err(AppError::NotFound)
    }
}

pub fn get(conn: &mut AnyConnection, id: i32) -> AppResult<Notice> {
    Ok(notices::table
        .find(id)
        .select(Notice::as_select())
        .first_row(conn)?)
}

/// The findings of a notice, in its order.
pub fn findings_of(conn: &mut AnyConnection, notice: i32) -> AppResult<Vec<Finding>> {
    Ok(links::table
        .inner_join(findings::table.on(findings::id.eq(links::finding_id)))
        .filter(links::notice_id.eq(notice))
        .order(links::position)
        .select(Finding::as_select())
        .load(conn)?)
}

/// The answers of a notice, the earliest first.
pub fn answers_of(conn: &mut AnyConnection, notice: i32) -> AppResult<Vec<Answer>> {
    Ok(answers::table
        .filter(answers::notice_id.eq(notice))
        .order(answers::id)
        .select((
            answers::finding_id,
            answers::body,
            answers::answered_name,
            answers::created_at,
        ))
        .load(conn)?)
}

/// Each notice's progress: (findings, answered findings, closed findings).
pub fn progress(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, Progress)>> {
    let held: Vec<(i32, i32, String)> = links::table
        .inner_join(findings::table.on(findings::id.eq(links::finding_id)))
        .filter(links::notice_id.eq_any(ids))
        .select((links::notice_id, links::finding_id, findings::state))
        .load(conn)?;
    let mut answered: Vec<(i32, i32)> = answers::table
        .filter(answers::notice_id.eq_any(ids))
        .select((answers::notice_id, answers::finding_id))
        .load(conn)?;
    answered.sort_unstable();
    answered.dedup();
    Ok(ids
        .iter()
        .map(|id| {
            let mine = held.iter().filter(|(n, _, _)| n == id);
            let p = Progress {
                findings: mine.clone().count() as i64,
                answered: answered.iter().filter(|(n, _)| n == id).count() as i64,
                closed: mine.filter(|(_, _, s)| s == "closed").count() as i64,
            };
            (*id, p)
        })
        .collect())
}

/// The most notices the list and its export read.
pub const LIST_MAX: i64 = 2000;

/// Notices whose unit the user's scope holds, of `year` when given, the latest first.
pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    year: Option<i32>,
) -> AppResult<Vec<Notice>> {
    let (lo, hi) = user.scope();
    let mut q = notices::table
        .filter(notices::unit_path.ge(lo))
        .filter(notices::unit_path.lt(hi))
        .into_boxed();
    if let Some(y) = year {
        q = q.filter(notices::year.eq(y));
    }
    Ok(q.order((notices::issued_on.desc(), notices::id.desc()))
        .limit(LIST_MAX)
        .select(Notice::as_select())
        .load(conn)?)
}

/// 签收: records who signed for the notice, if still at `version`.
pub fn sign(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    name: &str,
    by: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::version.eq(version)),
    )
    .set((
        notices::signed_name.eq(name),
        notices::signed_by.eq(by),
        notices::signed_at.eq(now),
        notices::version.eq(version + 1),
        notices::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Records an answer to one finding of the notice.
pub fn insert_answer(
    conn: &mut AnyConnection,
    notice: i32,
    finding: i32,
    body: &str,
    by: (i32, &str),
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(answers::table)
        .values((
            answers::notice_id.eq(notice),
            answers::finding_id.eq(finding),
            answers::body.eq(body),
            answers::answered_by.eq(by.0),
            answers::answered_name.eq(by.1),
            answers::created_at.eq(now),
        ))
        .returning(answers::id)
        .get_result(conn)?)
}

/// Asks for an extension of `days` working days, if still at `version`.
pub fn ask_extension(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    (days, reason): (i32, &str),
    by: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::version.eq(version)),
    )
    .set((
        notices::ext_state.eq("asked"),
        notices::ext_days.eq(days),
        notices::ext_reason.eq(reason),
        notices::ext_asked_by.eq(by),
        notices::ext_decided_by.eq(None::<i32>),
        notices::version.eq(version + 1),
        notices::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// Decides the extension asked for: approved moves the deadline to `deadline`.
pub fn decide_extension(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    (state, deadline): (&str, NaiveDate),
    by: i32,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        notices::table
            .filter(notices::id.eq(id))
            .filter(notices::version.eq(version)),
    )
    .set((
        notices::ext_state.eq(state),
        notices::deadline.eq(deadline),
        notices::ext_decided_by.eq(by),
        notices::version.eq(version + 1),
        notices::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}
