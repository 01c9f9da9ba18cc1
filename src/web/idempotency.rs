//! "A double click creates one record": each create form carries a random `form_token`; the
//! first POST with it records the page it led to, in the same transaction as the record; a repeat
//! POST with the same token is sent to that page instead of creating a second record.
//!
//! The same holds for a write that is not a create but must not run twice (an issue's step, an
//! opinion's answer, a freeze): [`once`] runs it inside the caller's transaction and answers a
//! repeat as the success it was, where the version check alone would call it stale.
//!
//! Where a form is checked against the database before the write (a name that must be unique),
//! [`checked_then_seen`] reads [`seen`] *after* that check's data: a first click committed in
//! between is then always recognised, instead of the repeat being told the name is taken by its
//! own first click.

use diesel::prelude::*;

use crate::db::schema::form_submissions;
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

/// If `token` was used already, the page its first submission led to. On PostgreSQL a
/// transaction-scoped advisory lock on the token serializes two concurrent submissions
/// (SQLite's IMMEDIATE transaction already does).
pub fn seen(conn: &mut AnyConnection, token: &str) -> AppResult<Option<String>> {
    if token.is_empty() {
        return Ok(None);
    }
    if let AnyConnection::Postgresql(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(token)
            .execute(pg)?;
    }
    Ok(form_submissions::table
        .find(token)
        .select(form_submissions::redirect_to)
        .first_row::<String>(conn)
        .optional()?)
}

/// What a create's form is checked against (`read`: a unique name's neighbours), then whether
/// `token` was used already — in that order, so a first click that committed in between is
/// always seen as the repeat's first click, never as the owner of "its" name.
pub fn checked_then_seen<T>(
    conn: &mut AnyConnection,
    token: &str,
    read: impl FnOnce(&mut AnyConnection) -> AppResult<T>,
) -> AppResult<(T, Option<String>)> {
    let checked = read(conn)?;
    Ok((checked, seen(conn, token)?))
}

/// Records that `token` led to `redirect_to`.
pub fn record(
    conn: &mut AnyConnection,
    token: &str,
    user_id: i32,
    redirect_to: &str,
) -> AppResult<()> {
    if token.is_empty() {
        return Ok(());
    }
    diesel::insert_into(form_submissions::table)
        .values((
            form_submissions::token.eq(token),
            form_submissions::user_id.eq(user_id),
            form_submissions::redirect_to.eq(redirect_to),
            form_submissions::created_at.eq(crate::db::now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// What [`once`] found: the write ran now, it had run for this token before, or it was refused
/// (and nothing was recorded, so the form can be corrected and sent again with the same token).
#[derive(Debug)]
pub enum Once<T, R> {
    Done(T),
    Repeat,
    Refused(R),
}

/// Inside a write transaction: runs `write` unless `token` already led to `location`; records
/// the token when `write` succeeds.
pub fn once<T, R>(
    conn: &mut AnyConnection,
    token: &str,
    user_id: i32,
    location: &str,
    write: impl FnOnce(&mut AnyConnection) -> AppResult<Result<T, R>>,
) -> AppResult<Once<T, R>> {
    if seen(conn, token)?.is_some() {
        return Ok(Once::Repeat);
    }
    match write(conn)? {
        Ok(done) => {
            record(conn, token, user_id, location)?;
            Ok(Once::Done(done))
        }
        Err(refused) => Ok(Once::Refused(refused)),
    }
}

/// Runs a create at most once per form token, in one write transaction: `create` makes the
/// record (and its audit row) and returns the page to go to; a repeated submission of the same
/// form returns the first one's page without creating anything.
pub async fn create_once<F>(
    pool: &crate::db::Pool,
    token: String,
    user_id: i32,
    create: F,
) -> AppResult<String>
where
    F: FnOnce(&mut AnyConnection) -> AppResult<String> + Send + 'static,
{
    crate::db::run_write(pool, move |conn| {
        if let Some(done) = seen(conn, &token)? {
            return Ok(done);
        }
        let location = create(conn)?;
        record(conn, &token, user_id, &location)?;
        Ok(location)
    })
    .await
}
