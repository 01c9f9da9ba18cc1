//! Accounts, sessions and the login log: the queries behind login, logout and password change.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::FirstRow;
use sha2::{Digest, Sha256};

use super::{CurrentUser, Role};
use crate::db::schema::{login_log, org_units, sessions, users};
use crate::db::{AnyConnection, now};
use crate::error::AppResult;

/// What login needs of an account.
#[derive(Debug, Clone, Queryable)]
pub struct LoginAccount {
    pub id: i32,
    pub username: String,
    pub password_hash: String,
    pub active: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub org_path: String,
}

pub fn session_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn find_account(conn: &mut AnyConnection, username: &str) -> AppResult<Option<LoginAccount>> {
    Ok(users::table
        .inner_join(org_units::table)
        .filter(users::username.eq(username))
        .select((
            users::id,
            users::username,
            users::password_hash,
            users::active,
            users::must_change_password,
            users::failed_logins,
            users::locked_until,
            org_units::path,
        ))
        .first_row(conn)
        .optional()?)
}

/// Failed logins from `ip` in the last 15 minutes.
pub fn recent_ip_failures(conn: &mut AnyConnection, ip: &str) -> AppResult<i64> {
    let since = now() - Duration::minutes(15);
    Ok(login_log::table
        .filter(login_log::ip.eq(ip))
        .filter(login_log::created_at.gt(since))
        .filter(login_log::success.eq(false))
        .count()
        .get_result(conn)?)
}

pub fn log_login(
    conn: &mut AnyConnection,
    username: &str,
    user_id: Option<i32>,
    success: bool,
    reason: &str,
    ip: &str,
) -> AppResult<()> {
    // Usernames are user input: keep them short and printable in the log.
    let username: String = username
        .chars()
        .filter(|c| !c.is_control())
        .take(64)
        .collect();
    diesel::insert_into(login_log::table)
        .values((
            login_log::username.eq(username),
            login_log::user_id.eq(user_id),
            login_log::success.eq(success),
            login_log::reason.eq(reason),
            login_log::ip.eq(ip),
            login_log::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Counts a failure; at `threshold` the account locks for `lock_for` and the counter restarts.
/// Returns true when this failure locked the account.
pub fn register_failure(
    conn: &mut AnyConnection,
    user_id: i32,
    threshold: i32,
    lock_for: Duration,
) -> AppResult<bool> {
    let failed: i32 = users::table
        .find(user_id)
        .select(users::failed_logins)
        .first_row(conn)?;
    let failed = failed + 1;
    if failed >= threshold {
        diesel::update(users::table.find(user_id))
            .set((
                users::failed_logins.eq(0),
                users::locked_until.eq(Some(now() + lock_for)),
            ))
            .execute(conn)?;
        Ok(true)
    } else {
        diesel::update(users::table.find(user_id))
            .set(users::failed_logins.eq(failed))
            .execute(conn)?;
        Ok(false)
    }
}

/// Starts a session: resets the failure counter and stores the token's hash.
pub fn start_session(
    conn: &mut AnyConnection,
    user_id: i32,
    token: &str,
    ip: &str,
) -> AppResult<()> {
    let t = now();
    diesel::update(users::table.find(user_id))
        .set((
            users::failed_logins.eq(0),
            users::locked_until.eq(None::<NaiveDateTime>),
            users::last_login_at.eq(Some(t)),
        ))
        .execute(conn)?;
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(session_hash(token)),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(t),
            sessions::last_seen_at.eq(t),
            sessions::ip.eq(ip),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn end_session(conn: &mut AnyConnection, hash: &str) -> AppResult<()> {
    diesel::delete(sessions::table.find(hash)).execute(conn)?;
    Ok(())
}

/// Ends every session of a user (deactivation, password change and reset).
pub fn end_all_sessions(conn: &mut AnyConnection, user_id: i32) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
}

type SessionRow = (
    NaiveDateTime,
    NaiveDateTime,
    i32,
    String,
    String,
    String,
    i32,
    bool,
    bool,
    String,
    String,
);

/// The session's user, if the session exists, the account is active and neither timeout has
/// passed. An expired session is deleted. `last_seen_at` is written at most once a minute, so
/// reading pages does not turn into a stream of writes.
pub fn load_session(
    conn: &mut AnyConnection,
    hash: &str,
    idle: Duration,
    absolute: Duration,
) -> AppResult<Option<CurrentUser>> {
    let row: Option<SessionRow> = sessions::table
        .inner_join(users::table.inner_join(org_units::table))
        .filter(sessions::id.eq(hash))
        .select((
            sessions::created_at,
            sessions::last_seen_at,
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::org_unit_id,
            users::active,
            users::must_change_password,
            org_units::name,
            org_units::path,
        ))
        .first_row(conn)
        .optional()?;
    let Some((
        created,
        seen,
        id,
        username,
        display_name,
        role,
        org_unit_id,
        active,
        must_change,
        org_name,
        org_path,
    )) = row
    else {
        return Ok(None);
    };
    let t = now();
    let role = Role::parse(&role);
    if !active || t - seen > idle || t - created > absolute || role.is_none() {
        end_session(conn, hash)?;
        return Ok(None);
    }
    if t - seen > Duration::seconds(60) {
        diesel::update(sessions::table.find(hash))
            .set(sessions::last_seen_at.eq(t))
            .execute(conn)?;
    }
    Ok(Some(CurrentUser {
        id,
        username,
        display_name,
        role: role.unwrap_or(Role::GridWorker),
        org_unit_id,
        org_name,
        org_path,
        must_change_password: must_change,
        session_hash: hash.to_string(),
        ip: String::new(),
        todo_total: 0,
    }))
}

pub fn password_hash_of(conn: &mut AnyConnection, user_id: i32) -> AppResult<String> {
    Ok(users::table
        .find(user_id)
        .select(users::password_hash)
        .first_row(conn)?)
}

/// Sets a password. `must_change` marks initial and reset passwords.
pub fn set_password(
    conn: &mut AnyConnection,
    user_id: i32,
    hash: &str,
    must_change: bool,
) -> AppResult<()> {
    diesel::update(users::table.find(user_id))
        .set((
            users::password_hash.eq(hash),
            users::must_change_password.eq(must_change),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
