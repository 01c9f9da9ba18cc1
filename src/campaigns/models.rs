//! Campaigns' SQL: a campaign in reach, the list in scope, writing a campaign, its targets, and
//! the units a campaign may be led by.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::schema::{campaign_targets as ct, campaigns};
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = campaigns)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Campaign {
    pub id: i32,
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub basis: String,
    pub lead_office: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: String,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// What the campaign form sets (the leading unit and its scope path with it).
#[derive(Debug, Clone, Serialize, Insertable, AsChangeset)]
#[diesel(table_name = campaigns)]
pub struct CampaignFields {
    pub unit_id: i32,
    pub scope_path: String,
    pub name: String,
    pub basis: String,
    pub lead_office: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = ct)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct Target {
    pub id: i32,
    pub campaign_id: i32,
    pub item: String,
    pub unit_of_count: String,
    pub target: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Serialize, Insertable)]
#[diesel(table_name = ct)]
pub struct TargetFields {
    pub campaign_id: i32,
    pub item: String,
    pub unit_of_count: String,
    pub target: i64,
}

/// A campaign by id if the user is above or inside it (`domain::covers`); 404 otherwise, as for
/// a missing one.
pub fn get_scoped(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Campaign> {
    let c: Campaign = campaigns::table
        .find(id)
        .select(Campaign::as_select())
        .first_row(conn)?;
    if super::domain::covers(user, &c.scope_path) {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// The campaigns the user is above or inside, newest first; `name` a part of the name.
pub fn list(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    name: Option<&str>,
) -> AppResult<Vec<Campaign>> {
    let (lo, hi) = user.scope();
    let above = ancestors(&user.org_path);
    let mut q = campaigns::table
        .filter(
            campaigns::scope_path
                .ge(lo)
                .and(campaigns::scope_path.lt(hi))
                .or(campaigns::scope_path.eq_any(above)),
        )
        .into_boxed();
    if let Some(n) = name {
        q = q.filter(
            campaigns::name
                .like(crate::db::like_pattern(n))
                .escape('\\'),
        );
    }
    let rows = q
        .order((campaigns::starts_on.desc(), campaigns::id.desc()))
        .limit(500)
        .select(Campaign::as_select())
        .load(conn)?;
    Ok(rows)
}

pub fn insert(conn: &mut AnyConnection, f: &CampaignFields, now: NaiveDateTime) -> AppResult<i32> {
    Ok(diesel::insert_into(campaigns::table)
        .values((
            f,
            campaigns::created_at.eq(now),
            campaigns::updated_at.eq(now),
        ))
        .returning(campaigns::id)
        .get_result(conn)?)
}

/// Saves the campaign if still at `version`; false when someone saved first.
pub fn update(
    conn: &mut AnyConnection,
    id: i32,
    version: i32,
    f: &CampaignFields,
    now: NaiveDateTime,
) -> AppResult<bool> {
    let n = diesel::update(
        campaigns::table
            .filter(campaigns::id.eq(id))
            .filter(campaigns::version.eq(version)),
    )
    .set((
        f,
        campaigns::version.eq(version + 1),
        campaigns::updated_at.eq(now),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// A campaign's targets in the order they were set.
pub fn targets(conn: &mut AnyConnection, campaign_id: i32) -> AppResult<Vec<Target>> {
    Ok(ct::table
        .filter(ct::campaign_id.eq(campaign_id))
        .order(ct::id)
        .select(Target::as_select())
        .load(conn)?)
}

/// The targets of these campaigns (the list's and the cockpit's figures).
pub fn targets_of(conn: &mut AnyConnection, ids: &[i32]) -> AppResult<Vec<Target>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        out.extend(
            ct::table
                .filter(ct::campaign_id.eq_any(chunk))
                .order(ct::id)
                .select(Target::as_select())
                .load(conn)?,
        );
    }
    Ok(out)
}

/// Whether the campaign already counts `item` in `unit_of_count`.
pub fn target_exists(
    conn: &mut AnyConnection,
    campaign_id: i32,
    item: &str,
    unit_of_count: &str,
) -> AppResult<bool> {
    Ok(ct::table
        .filter(ct::campaign_id.eq(campaign_id))
        .filter(ct::item.eq(item))
        .filter(ct::unit_of_count.eq(unit_of_count))
        .select(ct::id)
        .first_row::<i32>(conn)
        .optional()?
        .is_some())
}

pub fn insert_target(
    conn: &mut AnyConnection,
    f: &TargetFields,
    now: NaiveDateTime,
) -> AppResult<i32> {
    Ok(diesel::insert_into(ct::table)
        .values((f, ct::created_at.eq(now)))
        .returning(ct::id)
        .get_result(conn)?)
}

/// The streets (and communities) in the user's scope that may lead a campaign: (id, name,
/// depth, path).
pub fn lead_units(
    conn: &mut AnyConnection,
    user: &CurrentUser,
) -> AppResult<Vec<(i32, String, i32, String)>> {
    use crate::db::schema::org_units;
    let (lo, hi) = user.scope();
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::path,
        ))
        .load(conn)?)
}

/// The campaigns under way in reach today, their targets, and how many of those lie behind
/// 时序进度 (the progress page's own rule, `domain::standing`): the cockpit's tile.
pub fn standing(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    today: NaiveDate,
) -> AppResult<(usize, usize, usize)> {
    use super::domain;
    let cs: Vec<Campaign> = list(conn, user, None)?
        .into_iter()
        .filter(|c| domain::State::of(c.starts_on, c.ends_on, today) == domain::State::Active)
        .collect();
    let ids: Vec<i32> = cs.iter().map(|c| c.id).collect();
    let targets = targets_of(conn, &ids)?;
    let entries = super::tallies::models::entries_of(conn, &ids)?;
    let mut behind = 0;
    for c in &cs {
        let es: Vec<domain::Entry> = entries
            .iter()
            .filter(|(id, _)| *id == c.id)
            .map(|(_, e)| *e)
            .collect();
        let done = domain::done_by_target(&domain::fold(&es));
        let schedule = domain::schedule(c.starts_on, c.ends_on, today);
        behind += targets
            .iter()
            .filter(|t| t.campaign_id == c.id)
            .filter(|t| {
                domain::standing(*done.get(&t.id).unwrap_or(&0), t.target, schedule)
                    .points
                    .is_some_and(|p| p < 0.0)
            })
            .count();
    }
    Ok((cs.len(), targets.len(), behind))
}

/// The paths above `path` ("/1/3/17/" → "/1/", "/1/3/"), the units a campaign led there covers.
fn ancestors(path: &str) -> Vec<String> {
    path.char_indices()
        .filter(|(i, c)| *c == '/' && *i > 0 && *i + 1 < path.len())
        .map(|(i, _)| path[..=i].to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_paths_above() {
        assert_eq!(super::ancestors("/1/3/17/"), vec!["/1/", "/1/3/"]);
        assert!(super::ancestors("/1/").is_empty());
    }
}
