//! Audit rows: writing one, and the scoped, filtered list.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::db::CountUpto;
use crate::db::schema::audit_log;
use crate::db::{AnyConnection, now};
use crate::error::AppResult;

/// Who did it: defined beside the current user (`CurrentUser::actor()`), below every feature.
pub use crate::web::current_user::Actor;

/// One audit row. `scope_path` is the org path the record belongs to, so admins of a street see
/// their street's entries only. `before`/`after` are the record's values as JSON (password
/// hashes are never part of them).
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per column of the entry; a struct would only rename them"
)]
pub fn record<B: Serialize, A: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: Option<i32>,
    summary: &str,
    before: Option<&B>,
    after: Option<&A>,
    scope_path: &str,
) -> AppResult<()> {
    debug_assert!(
        super::vocabulary::action_words(Default::default(), action).is_some()
            && super::vocabulary::entity_words(Default::default(), entity).is_some(),
        "audit code without words in audit::vocabulary: {action} / {entity}"
    );
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(actor.id),
            audit_log::actor_name.eq(&actor.name),
            audit_log::ip.eq(&actor.ip),
            audit_log::action.eq(action),
            audit_log::entity.eq(entity),
            audit_log::entity_id.eq(entity_id),
            audit_log::summary.eq(summary.chars().take(200).collect::<String>()),
            audit_log::before_json.eq(before.and_then(|b| serde_json::to_string(b).ok())),
            audit_log::after_json.eq(after.and_then(|a| serde_json::to_string(a).ok())),
            audit_log::scope_path.eq(scope_path),
            audit_log::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

#[derive(Debug, Clone, Queryable)]
pub struct AuditRow {
    pub id: i32,
    pub actor_name: String,
    pub ip: String,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<i32>,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub created_at: NaiveDateTime,
}

/// The list's filters, already parsed.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: String,
    pub entity: String,
    pub action: String,
    /// Inclusive UTC bounds.
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
}

impl AuditFilter {
    pub fn from_dates(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        tz: chrono_tz::Tz,
    ) -> (Option<NaiveDateTime>, Option<NaiveDateTime>) {
        use chrono::TimeZone;
        let utc = |d: NaiveDate, h: u32, m: u32, s: u32| {
            tz.from_local_datetime(&d.and_hms_opt(h, m, s).unwrap_or_default())
                .earliest()
                .map(|t| t.naive_utc())
        };
        (
            from.and_then(|d| utc(d, 0, 0, 0)),
            to.and_then(|d| utc(d, 23, 59, 59)),
        )
    }
}

macro_rules! filtered {
    ($scope:expr, $f:expr) => {{
        let (lo, hi) = $scope;
        let mut q = audit_log::table
            .filter(audit_log::scope_path.ge(lo))
            .filter(audit_log::scope_path.lt(hi))
            .into_boxed();
        if !$f.actor.is_empty() {
            q = q.filter(audit_log::actor_name.eq($f.actor.clone()));
        }
        if !$f.entity.is_empty() {
            q = q.filter(audit_log::entity.eq($f.entity.clone()));
        }
        if !$f.action.is_empty() {
            q = q.filter(audit_log::action.eq($f.action.clone()));
        }
        if let Some(from) = $f.from {
            q = q.filter(audit_log::created_at.ge(from));
        }
        if let Some(to) = $f.to {
            q = q.filter(audit_log::created_at.le(to));
        }
        q
    }};
}

/// When the newest entry of `action` was written, anywhere (`backup`: the admin's home).
pub fn latest(conn: &mut AnyConnection, action: &str) -> AppResult<Option<NaiveDateTime>> {
    Ok(audit_log::table
        .filter(audit_log::action.eq(action))
        .select(diesel::dsl::max(audit_log::created_at))
        .get_result(conn)?)
}

/// The log's entries of `f`, counted up to `cap + 1` (`web::pagination::Pager::settle`).
pub fn count_upto(
    conn: &mut AnyConnection,
    scope: (String, String),
    f: &AuditFilter,
    cap: i64,
) -> AppResult<i64> {
    Ok(filtered!(scope, f)
        .select(audit_log::id)
        .count_upto(conn, cap)?)
}

pub fn list(
    conn: &mut AnyConnection,
    scope: (String, String),
    f: &AuditFilter,
    offset: i64,
    limit: i64,
) -> AppResult<Vec<AuditRow>> {
    Ok(filtered!(scope, f)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select((
            audit_log::id,
            audit_log::actor_name,
            audit_log::ip,
            audit_log::action,
            audit_log::entity,
            audit_log::entity_id,
            audit_log::summary,
            audit_log::before_json,
            audit_log::after_json,
            audit_log::created_at,
        ))
        .load(conn)?)
}

/// A record was created: its values after.
pub fn created<A: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    entity: &str,
    id: i32,
    summary: &str,
    after: &A,
    scope_path: &str,
) -> AppResult<()> {
    record(
        conn,
        actor,
        "create",
        entity,
        Some(id),
        summary,
        None::<&()>,
        Some(after),
        scope_path,
    )
}

/// A record was changed: its values before and after.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per column of the entry; a struct would only rename them"
)]
pub fn updated<B: Serialize, A: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    entity: &str,
    id: i32,
    summary: &str,
    before: &B,
    after: &A,
    scope_path: &str,
) -> AppResult<()> {
    record(
        conn,
        actor,
        "update",
        entity,
        Some(id),
        summary,
        Some(before),
        Some(after),
        scope_path,
    )
}

/// A record was deleted: its values before.
pub fn deleted<B: Serialize>(
    conn: &mut AnyConnection,
    actor: &Actor,
    entity: &str,
    id: i32,
    summary: &str,
    before: &B,
    scope_path: &str,
) -> AppResult<()> {
    record(
        conn,
        actor,
        "delete",
        entity,
        Some(id),
        summary,
        Some(before),
        None::<&()>,
        scope_path,
    )
}

/// The audit row of a create or an update made through the edit kit (`web::edit::record`).
pub fn change<A: Serialize>(
    conn: &mut AnyConnection,
    c: &crate::web::edit::record::Change<'_, A>,
) -> AppResult<()> {
    record(
        conn,
        c.actor,
        c.action(),
        c.entity,
        Some(c.id),
        c.name,
        c.before,
        Some(c.after),
        c.scope,
    )
}
