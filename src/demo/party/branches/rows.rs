//! Writing the planned branches, their members and pairings as multi-row INSERTs.

use chrono::{NaiveDate, NaiveDateTime};

use super::Branch;
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts};
use crate::demo::party::texts;
use crate::error::AppResult;

pub(super) const BRANCH_COLUMNS: &str = "id, unit_id, scope_path, name, kind, secretary, secretary_user_id, \
    phone, first_secretary, first_secretary_post, first_secretary_since, demo_site, \
    demo_criteria, demo_evidence, demo_reviewed_on, demo_review, notes, members, active, \
    version, created_at, updated_at";
pub(super) const MEMBER_COLUMNS: &str = "id, branch_id, scope_path, name, gender, birth_year, joined_on, \
    phone, address, difficulty, volunteer, building_group, notes, active, version, created_at, \
    updated_at";
pub(super) const PAIRING_COLUMNS: &str = "id, branch_id, scope_path, member_id, household, address, \
    situation, since, active, version, created_at, updated_at";

pub(super) fn day_opt(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "NULL".into(), |d| format!("'{d}'"))
}

pub(super) fn bool_sql(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

pub(super) fn branch_row(b: &Branch, now: NaiveDateTime) -> String {
    let secretary = b.members.first();
    let (fs, post, since) = match &b.first_secretary {
        Some((name, post, since)) => (name.as_str(), *post, Some(*since)),
        None => ("", "", None),
    };
    let (criteria, evidence, reviewed, review) = match &b.demo {
        Some((evidence, on, review)) => (texts::CRITERIA, evidence.as_str(), Some(*on), *review),
        None => ("", "", None, ""),
    };
    let active = b.members.iter().filter(|m| m.active).count();
    format!(
        "({}, {}, {}, {}, '{}', {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '', {active}, TRUE, \
         1, {}, {})",
        b.id,
        b.unit_id,
        q(&b.path),
        q(&b.name),
        b.kind,
        q(secretary.map_or("", |m| m.name.as_str())),
        id_opt(b.secretary_user),
        q(secretary.map_or("", |m| m.phone.as_str())),
        q(fs),
        q(post),
        day_opt(since),
        bool_sql(b.demo.is_some()),
        q(criteria),
        q(evidence),
        day_opt(reviewed),
        q(review),
        ts(now),
        ts(now),
    )
}

/// Writes branches, then members and pairings; returns the members written.
pub(in crate::demo::party) fn write(
    conn: &mut AnyConnection,
    branches: &[Branch],
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut w = Bulk::new("party_branches", BRANCH_COLUMNS);
    for b in branches {
        w.push(conn, branch_row(b, now))?;
    }
    w.flush(conn)?;
    let mut m = Bulk::new("party_members", MEMBER_COLUMNS);
    let mut p = Bulk::new("party_pairings", PAIRING_COLUMNS);
    let mut written = 0;
    for b in branches {
        for x in &b.members {
            let group = b.groups.get(x.group).map_or("", String::as_str);
            let notes = if x.active {
                ""
            } else {
                "组织关系已转出"
            };
            m.push(
                conn,
                format!(
                    "({}, {}, {}, {}, '{}', {}, '{}', {}, {}, '{}', {}, {}, {}, {}, 1, {}, {})",
                    x.id,
                    b.id,
                    q(&b.path),
                    q(&x.name),
                    x.gender,
                    x.birth_year,
                    x.joined,
                    q(&x.phone),
                    q(&x.address),
                    x.difficulty,
                    bool_sql(x.volunteer),
                    q(group),
                    q(notes),
                    bool_sql(x.active),
                    ts(now),
                    ts(now),
                ),
            )?;
            written += 1;
        }
    }
    m.flush(conn)?;
    for b in branches {
        for x in &b.pairings {
            let member = b.members[x.member].id;
            p.push(
                conn,
                format!(
                    "({}, {}, {}, {member}, {}, {}, {}, '{}', TRUE, 1, {}, {})",
                    x.id,
                    b.id,
                    q(&b.path),
                    q(&x.household),
                    q(&x.address),
                    q(x.situation),
                    x.since,
                    ts(now),
                    ts(now),
                ),
            )?;
        }
    }
    p.flush(conn)?;
    Ok(written)
}
