//! The server side of a login session: the token's hash in `sessions`, and the one query that
//! turns it back into the user on every request. Login, logout and password change (`auth`)
//! start and end sessions; this is what every page needs of them.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::current_user::CurrentUser;
use super::roles::Role;
use crate::db::schema::{org_units, sessions, users};
use crate::db::{AnyConnection, FirstRow, now};
use crate::error::AppResult;

/// Session cookie key holding the session token (the table keeps only its SHA-256).
pub const SID_KEY: &str = "sid";

/// The id a session is stored under: the SHA-256 of the cookie's token.
pub fn session_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn end_session(conn: &mut AnyConnection, hash: &str) -> AppResult<()> {
    diesel::delete(sessions::table.find(hash)).execute(conn)?;
    Ok(())
}

/// A session with its user and the user's org unit.
#[derive(Debug, Queryable)]
struct SessionRow {
    created_at: NaiveDateTime,
    last_seen_at: NaiveDateTime,
    user_id: i32,
    username: String,
    display_name: String,
    role: String,
    org_unit_id: i32,
    active: bool,
    must_change_password: bool,
    org_name: String,
    org_path: String,
}

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
    let Some(row) = row else {
        return Ok(None);
    };
    let t = now();
    let role = Role::parse(&row.role);
    let ended = !row.active || t - row.last_seen_at > idle || t - row.created_at > absolute;
    let Some(role) = role.filter(|_| !ended) else {
        end_session(conn, hash)?;
        return Ok(None);
    };
    if t - row.last_seen_at > Duration::seconds(60) {
        diesel::update(sessions::table.find(hash))
            .set(sessions::last_seen_at.eq(t))
            .execute(conn)?;
    }
    Ok(Some(CurrentUser {
        id: row.user_id,
        username: row.username,
        display_name: row.display_name,
        role,
        org_unit_id: row.org_unit_id,
        org_name: row.org_name,
        org_path: row.org_path,
        must_change_password: row.must_change_password,
        session_hash: hash.to_string(),
        ip: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stored_id_is_the_tokens_sha256() {
        assert_eq!(
            session_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
