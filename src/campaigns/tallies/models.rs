//! Tally rows: a campaign's entries (oldest first), one entry, writing one, and the units a user
//! may enter tallies for.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::campaigns::domain::Entry;
use crate::db::schema::campaign_tallies as tl;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = tl)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Tally {
    pub id: i32,
    pub campaign_id: i32,
    pub target_id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub done_on: NaiveDate,
    pub amount: i64,
    pub note: String,
    pub corrects_id: Option<i32>,
    pub reason: String,
    pub entered_by: i32,
    pub created_at: NaiveDateTime,
}

impl Tally {
    pub fn entry(&self) -> Entry {
        Entry {
            id: self.id,
            corrects_id: self.corrects_id,
            target_id: self.target_id,
            unit_id: self.unit_id,
            amount: self.amount,
        }
    }
}

/// What a tally (or a correction) writes.
#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = tl)]
pub struct TallyFields {
    pub campaign_id: i32,
    pub target_id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub done_on: NaiveDate,
    pub amount: i64,
    pub note: String,
    pub corrects_id: Option<i32>,
    pub reason: String,
    pub entered_by: i32,
}

/// Every entry of a campaign, oldest first.
pub fn of_campaign(conn: &mut AnyConnection, campaign_id: i32) -> AppResult<Vec<Tally>> {
    Ok(tl::table
        .filter(tl::campaign_id.eq(campaign_id))
        .order(tl::id)
        .select(Tally::as_select())
        .load(conn)?)
}

/// The entries of these campaigns, as the fold reads them (the list's and the cockpit's
/// figures): (campaign id, entry).
pub fn entries_of(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<(i32, Entry)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let rows: Vec<(i32, i32, Option<i32>, i32, i32, i64)> = tl::table
            .filter(tl::campaign_id.eq_any(chunk))
            .select((
                tl::campaign_id,
                tl::id,
                tl::corrects_id,
                tl::target_id,
                tl::unit_id,
                tl::amount,
            ))
            .load(conn)?;
        out.extend(
            rows.into_iter()
                .map(|(c, id, corrects_id, target_id, unit_id, amount)| {
                    (
                        c,
                        Entry {
                            id,
                            corrects_id,
                            target_id,
                            unit_id,
                            amount,
                        },
                    )
                }),
        );
    }
    Ok(out)
}

/// One entry of the campaign.
pub fn get(conn: &mut AnyConnection, campaign_id: i32, id: i32) -> AppResult<Tally> {
    Ok(tl::table
        .filter(tl::id.eq(id))
        .filter(tl::campaign_id.eq(campaign_id))
        .select(Tally::as_select())
        .first_row(conn)?)
}

pub fn insert(conn: &mut AnyConnection, f: &TallyFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(tl::table)
        .values((f, tl::created_at.eq(now)))
        .returning(tl::id)
        .get_result(conn)?)
}

/// The communities and grids inside both the campaign (`scope_path`) and the user's scope, in
/// path order: (id, name, depth, path).
pub fn tally_units(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    scope_path: &str,
) -> AppResult<Vec<(i32, String, i32, String)>> {
    use crate::db::schema::org_units;
    let inner = if user.org_path.starts_with(scope_path) {
        user.org_path.as_str()
    } else {
        scope_path
    };
    let (lo, hi) = crate::db::subtree_range(inner);
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["community", "village", "grid"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::path,
        ))
        .load(conn)?)
}
