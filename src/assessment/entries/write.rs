//! The writes of entries inside their transaction: a manual bonus or deduction, a reversal, each
//! moving the result's version on, re-totalling and re-ranking its group, and audited.

use diesel::prelude::*;

use crate::assessment::domain::pts;
use crate::assessment::forms::NewManual;
use crate::assessment::models::{
    self, AssessResult, Entry, Indicator, NewEntry, Scheme, result_by_id,
};
use crate::audit::Actor;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};

/// A manual entry on a draft result seen at `seen`: answers where the result's page is.
#[allow(clippy::too_many_arguments)]
pub fn add(
    conn: &mut AnyConnection,
    actor: &Actor,
    uid: i32,
    r: &AssessResult,
    scheme: &Scheme,
    inds: &[Indicator],
    new: &NewManual,
    seen: i32,
) -> AppResult<String> {
    if !models::bump(conn, r.id, seen)? {
        return Err(AppError::Conflict);
    }
    let (eid, formula, total) = insert_manual(conn, r, scheme, inds, new, Some(uid))?;
    crate::audit::created(
        conn,
        actor,
        "assess_entry",
        eid,
        &format!("{} {} {formula}", r.object_name, r.period),
        &serde_json::json!({
            "result": r.id,
            "indicator": new.indicator_id,
            "points": formula,
            "reason": new.reason,
            "evidence": new.evidence,
            "total": pts(total),
        }),
        &r.scope_path,
    )?;
    Ok(format!("/assessment/results/{}", r.id))
}

/// Inserts a manual entry and re-totals and re-ranks: answers (entry id, formula, new total).
pub fn insert_manual(
    conn: &mut AnyConnection,
    r: &AssessResult,
    scheme: &Scheme,
    inds: &[Indicator],
    new: &NewManual,
    by: Option<i32>,
) -> AppResult<(i32, String, i32)> {
    let formula = if new.points > 0 {
        format!("+{}", pts(new.points))
    } else {
        pts(new.points)
    };
    let eid = models::insert_entry(
        conn,
        &NewEntry {
            result_id: r.id,
            indicator_id: new.indicator_id,
            points: new.points,
            figure: "",
            formula: &formula,
            source_url: "",
            manual: true,
            reason: &new.reason,
            evidence: &new.evidence,
            entered_by: by,
            created_at: db::now(),
            reverses: None,
        },
    )?;
    let total = models::retotal(conn, r.id, scheme, inds)?;
    models::rerank(conn, r.scheme_id, &r.period, &r.group_path)?;
    Ok((eid, formula, total))
}

/// For other features (inspection findings): a manual entry on a draft result by id, on a
/// manual indicator of its scheme. `Conflict` when the result is published, `BadRequest` when
/// the indicator is not a manual one of the scheme. Answers the entry's id; the caller audits.
pub fn add_manual(
    conn: &mut AnyConnection,
    result_id: i32,
    new: &NewManual,
    by: Option<i32>,
) -> AppResult<i32> {
    let r = result_by_id(conn, result_id)?;
    if r.is_published() {
        return Err(AppError::Conflict);
    }
    let scheme = models::scheme(conn, r.scheme_id)?;
    let inds = models::indicators(conn, r.scheme_id)?;
    if !inds
        .iter()
        .any(|i| i.id == new.indicator_id && i.is_leaf() && i.is_manual())
    {
        return Err(AppError::BadRequest);
    }
    let (eid, _, _) = insert_manual(conn, &r, &scheme, &inds, new, by)?;
    diesel::update(crate::db::schema::assess_results::table.find(r.id))
        .set(
            crate::db::schema::assess_results::version
                .eq(crate::db::schema::assess_results::version + 1),
        )
        .execute(conn)?;
    Ok(eid)
}

/// Takes a manual entry back with a reversing entry: answers where the result's page is.
#[allow(clippy::too_many_arguments)]
pub fn reverse(
    conn: &mut AnyConnection,
    actor: &Actor,
    uid: i32,
    r: &AssessResult,
    scheme: &Scheme,
    inds: &[Indicator],
    e: &Entry,
    reason: &str,
    seen: i32,
) -> AppResult<String> {
    if !models::bump(conn, r.id, seen)? {
        return Err(AppError::Conflict);
    }
    let formula = format!("−({}) #{}", pts(e.points), e.id);
    let rid = models::insert_entry(
        conn,
        &NewEntry {
            result_id: r.id,
            indicator_id: e.indicator_id,
            points: -e.points,
            figure: "",
            formula: &formula,
            source_url: "",
            manual: true,
            reason,
            evidence: &e.evidence,
            entered_by: Some(uid),
            created_at: db::now(),
            reverses: Some(e.id),
        },
    )?;
    if !models::mark_reversed(conn, e.id, rid)? {
        return Err(AppError::Conflict);
    }
    let total = models::retotal(conn, r.id, scheme, inds)?;
    models::rerank(conn, r.scheme_id, &r.period, &r.group_path)?;
    crate::audit::record(
        conn,
        actor,
        "assess_reverse",
        "assess_entry",
        Some(e.id),
        &format!("{} {} {}", r.object_name, r.period, pts(e.points)),
        Some(&serde_json::json!({"points": pts(e.points), "reason": e.reason})),
        Some(&serde_json::json!({"reversed_by": rid, "reason": reason, "total": pts(total)})),
        &r.scope_path,
    )?;
    Ok(format!("/assessment/results/{}", r.id))
}
