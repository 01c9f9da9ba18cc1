//! Accounts, sessions and the login log: the queries behind login, logout and password change.
//! Reading a session back on each request is `web::session` (re-exported here).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::domain::Failure;
use crate::audit::{self, Actor};
use crate::db::schema::{login_log, org_units, sessions, users};
use crate::db::{AnyConnection, FirstRow, now};
use crate::error::AppResult;
use crate::web::current_user::CurrentUser;
pub use crate::web::session::{end_session, load_session, session_hash};

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

/// Ends every session of a user (deactivation, password change and reset).
pub fn end_all_sessions(conn: &mut AnyConnection, user_id: i32) -> AppResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)?)
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

/// A successful login, in one transaction: the session, the login log and the audit row.
pub fn record_login(
    conn: &mut AnyConnection,
    username: &str,
    account: &LoginAccount,
    token: &str,
    ip: &str,
) -> AppResult<()> {
    start_session(conn, account.id, token, ip)?;
    log_login(conn, username, Some(account.id), true, "", ip)?;
    let actor = Actor {
        id: Some(account.id),
        name: username.to_string(),
        ip: ip.to_string(),
    };
    audit::record(
        conn,
        &actor,
        "login",
        "session",
        Some(account.id),
        username,
        None::<&()>,
        None::<&()>,
        &account.org_path,
    )
}

/// How many wrong passwords lock an account, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Lockout {
    pub threshold: i32,
    pub lock_for: Duration,
}

/// A refused login, in one transaction: a wrong password counts towards the lockout, then the
/// login log and the audit row (under the account's scope, or none for an unknown user).
pub fn record_failure(
    conn: &mut AnyConnection,
    username: &str,
    account: Option<&LoginAccount>,
    failure: Failure,
    ip: &str,
    lockout: Lockout,
) -> AppResult<()> {
    let id = account.map(|a| a.id);
    let locked_now = match (failure, id) {
        (Failure::BadPassword, Some(id)) => {
            register_failure(conn, id, lockout.threshold, lockout.lock_for)?
        }
        _ => false,
    };
    let reason = failure.code(locked_now);
    log_login(conn, username, id, false, reason, ip)?;
    let actor = Actor {
        id,
        name: username.to_string(),
        ip: ip.to_string(),
    };
    let scope = account.map(|a| a.org_path.as_str()).unwrap_or_default();
    audit::record(
        conn,
        &actor,
        "login_failed",
        "session",
        id,
        reason,
        None::<&()>,
        None::<&()>,
        scope,
    )
}

/// A logout: the session ends and, when the user was still logged in, the audit row.
pub fn record_logout(
    conn: &mut AnyConnection,
    hash: &str,
    user: Option<&CurrentUser>,
) -> AppResult<()> {
    end_session(conn, hash)?;
    let Some(u) = user else {
        return Ok(());
    };
    audit::record(
        conn,
        &u.actor(),
        "logout",
        "session",
        Some(u.id),
        &u.username,
        None::<&()>,
        None::<&()>,
        &u.org_path,
    )
}

/// A password change: the new hash, every session of the account ended but a new one for this
/// browser (`token`), and the audit row.
pub fn record_password_change(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    new_hash: &str,
    token: &str,
) -> AppResult<()> {
    set_password(conn, user.id, new_hash, false)?;
    end_all_sessions(conn, user.id)?;
    start_session(conn, user.id, token, &user.ip)?;
    audit::record(
        conn,
        &user.actor(),
        "change_password",
        "user",
        Some(user.id),
        &user.username,
        None::<&()>,
        None::<&()>,
        &user.org_path,
    )
}
