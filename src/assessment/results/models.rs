//! The SQL of results: a group's ranking, totals and ranks, publication, the cockpit's standing.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::assessment::domain::{self, DRAFT, PUBLISHED};
use crate::assessment::models::*;
use crate::auth::CurrentUser;
use crate::db::schema::{assess_entries, assess_results};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = assess_results)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct AssessResult {
    pub id: i32,
    pub scheme_id: i32,
    pub period: String,
    pub object_kind: String,
    pub object_id: i32,
    pub object_name: String,
    pub scope_path: String,
    pub group_path: String,
    pub total: i32,
    pub grade: String,
    pub group_rank: i32,
    pub state: String,
    pub version: i32,
    pub computed_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
}

impl AssessResult {
    pub fn is_published(&self) -> bool {
        self.state == PUBLISHED
    }
}

/// A group's results of a period inside the user's scope, by rank.
pub fn results(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<Vec<AssessResult>> {
    let (lo, hi) = user.scope();
    Ok(assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .order((assess_results::group_rank, assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// The results of the given objects (a worker's grids), newest period first.
pub fn results_of_objects(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<AssessResult>> {
    Ok(assess_results::table
        .filter(assess_results::object_kind.eq("grid"))
        .filter(assess_results::object_id.eq_any(ids))
        .order((assess_results::period.desc(), assess_results::object_name))
        .limit(120)
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// A result, if it lies in the user's scope.
pub fn get_scoped(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
) -> AppResult<AssessResult> {
    let (lo, hi) = user.scope();
    Ok(assess_results::table
        .find(id)
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .select(AssessResult::as_select())
        .first_row(conn)?)
}

/// A result by id, unscoped: for other features' writes that reached it through their own scope.
pub fn result_by_id(conn: &mut AnyConnection, id: i32) -> AppResult<AssessResult> {
    Ok(assess_results::table
        .find(id)
        .select(AssessResult::as_select())
        .first_row(conn)?)
}

/// Whether the group's month has a published result (then nothing of it changes).
pub fn is_published(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<bool> {
    let n: i64 = assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .filter(assess_results::state.eq(PUBLISHED))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Writes a result's total and grade from its entries.
pub fn retotal(
    conn: &mut AnyConnection,
    id: i32,
    scheme: &Scheme,
    inds: &[Indicator],
) -> AppResult<i32> {
    let es = entries(conn, id)?;
    let total: i32 = indicator_scores(inds, &es).values().sum();
    diesel::update(assess_results::table.find(id))
        .set((
            assess_results::total.eq(total),
            assess_results::grade.eq(domain::grade(total, &scheme.bands)),
        ))
        .execute(conn)?;
    Ok(total)
}

/// Ranks a group's month by total.
pub fn rerank(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<()> {
    let rows: Vec<(i32, i32, i32)> = assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .select((
            assess_results::id,
            assess_results::total,
            assess_results::group_rank,
        ))
        .load(conn)?;
    let totals: Vec<i32> = rows.iter().map(|r| r.1).collect();
    for ((id, _, old), rank) in rows.iter().zip(domain::ranks(&totals)) {
        if *old != rank {
            diesel::update(assess_results::table.find(*id))
                .set(assess_results::group_rank.eq(rank))
                .execute(conn)?;
        }
    }
    Ok(())
}

/// Moves a draft result's version on from `seen`: false when it moved already or it is published.
pub fn bump(conn: &mut AnyConnection, id: i32, seen: i32) -> AppResult<bool> {
    Ok(diesel::update(
        assess_results::table
            .find(id)
            .filter(assess_results::version.eq(seen))
            .filter(assess_results::state.eq(DRAFT)),
    )
    .set(assess_results::version.eq(assess_results::version + 1))
    .execute(conn)?
        == 1)
}

/// Publishes a group's draft month: answers how many results were published.
pub fn publish(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
    by: i32,
    now: NaiveDateTime,
) -> AppResult<usize> {
    Ok(diesel::update(
        assess_results::table
            .filter(assess_results::group_path.eq(group_path))
            .filter(assess_results::period.eq(period))
            .filter(assess_results::scheme_id.eq(scheme_id))
            .filter(assess_results::state.eq(DRAFT)),
    )
    .set((
        assess_results::state.eq(PUBLISHED),
        assess_results::published_at.eq(Some(now)),
        assess_results::published_by.eq(Some(by)),
        assess_results::version.eq(assess_results::version + 1),
    ))
    .execute(conn)?)
}

/// The month before `today`'s, "2026-10".
pub fn last_month(today: NaiveDate) -> String {
    let d = today
        .with_day(1)
        .unwrap_or(today)
        .pred_opt()
        .unwrap_or(today);
    d.format("%Y-%m").to_string()
}

/// Result id → scored indicator id → points, and result id → (bonus, deductions) of its manual
/// entries, for a page of results (one query).
#[allow(clippy::type_complexity)]
pub fn scored(
    conn: &mut AnyConnection,
    inds: &[Indicator],
    results: &[AssessResult],
) -> AppResult<(HashMap<i32, BTreeMap<i32, i32>>, HashMap<i32, (i32, i32)>)> {
    let ids: Vec<i32> = results.iter().map(|r| r.id).collect();
    let all: Vec<Entry> = assess_entries::table
        .filter(assess_entries::result_id.eq_any(&ids))
        .select(Entry::as_select())
        .load(conn)?;
    let mut by_result: HashMap<i32, Vec<Entry>> = HashMap::new();
    for e in all {
        by_result.entry(e.result_id).or_default().push(e);
    }
    let mut scores = HashMap::new();
    let mut manual = HashMap::new();
    for (rid, es) in &by_result {
        scores.insert(*rid, indicator_scores(inds, es));
        let (mut plus, mut minus) = (0, 0);
        for e in es.iter().filter(|e| e.manual) {
            if e.points > 0 {
                plus += e.points;
            } else {
                minus += e.points;
            }
        }
        manual.insert(*rid, (plus, minus));
    }
    Ok((scores, manual))
}

/// A group's results of a period, by rank (no user scope: the demo and the cockpit's own reads
/// pass a group already in scope).
pub fn group_results(
    conn: &mut AnyConnection,
    scheme_id: i32,
    period: &str,
    group_path: &str,
) -> AppResult<Vec<AssessResult>> {
    Ok(assess_results::table
        .filter(assess_results::group_path.eq(group_path))
        .filter(assess_results::period.eq(period))
        .filter(assess_results::scheme_id.eq(scheme_id))
        .order((assess_results::group_rank, assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?)
}

/// The newest month with results in the user's scope, for the cockpit's tile: its results by
/// total, best first.
pub struct Standing {
    pub period: String,
    pub results: Vec<AssessResult>,
}

pub fn standing(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Option<Standing>> {
    let (lo, hi) = user.scope();
    let period: Option<String> = assess_results::table
        .filter(assess_results::scope_path.ge(&lo))
        .filter(assess_results::scope_path.lt(&hi))
        .select(diesel::dsl::max(assess_results::period))
        .get_result(conn)?;
    let Some(period) = period else {
        return Ok(None);
    };
    let results = assess_results::table
        .filter(assess_results::period.eq(&period))
        .filter(assess_results::scope_path.ge(lo))
        .filter(assess_results::scope_path.lt(hi))
        .order((assess_results::total.desc(), assess_results::object_name))
        .select(AssessResult::as_select())
        .load(conn)?;
    Ok(Some(Standing { period, results }))
}
