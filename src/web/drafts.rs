//! Forms typed while the session ran out: kept server-side under a random token that only the
//! browser's (encrypted) session cookie holds, and handed back once after the login. Any form
//! type that serializes can be kept (the issue report, the patrol log); drafts older than a day
//! are dropped when the next one is saved.

use actix_session::Session;
use diesel::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::current_user::CurrentUser;
use crate::db::schema::issue_drafts;
use crate::db::{AnyConnection, FirstRow, Pool};
use crate::error::{AppError, AppResult};

pub fn save<T: Serialize>(conn: &mut AnyConnection, token: &str, form: &T) -> AppResult<()> {
    let now = crate::db::now();
    diesel::delete(
        issue_drafts::table.filter(issue_drafts::created_at.lt(now - chrono::Duration::days(1))),
    )
    .execute(conn)?;
    let data = serde_json::to_string(form).map_err(|e| AppError::internal("draft", e))?;
    diesel::insert_into(issue_drafts::table)
        .values((
            issue_drafts::token.eq(token),
            issue_drafts::data.eq(data),
            issue_drafts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// The draft, removed from the store (it is shown once).
pub fn take<T: DeserializeOwned>(conn: &mut AnyConnection, token: &str) -> AppResult<Option<T>> {
    let data: Option<String> = issue_drafts::table
        .find(token)
        .select(issue_drafts::data)
        .first_row(conn)
        .optional()?;
    diesel::delete(issue_drafts::table.find(token)).execute(conn)?;
    Ok(data.and_then(|d| serde_json::from_str(&d).ok()))
}

/// The session ended while `form` was typed: keep it, and send the login back to `next` (a
/// page that calls `restore` with the same `key`).
pub async fn keep<T: Serialize + Send + 'static>(
    pool: &Pool,
    session: &Session,
    key: &str,
    form: T,
    next: String,
) -> AppError {
    let token = crate::web::csrf::random_token();
    let t = token.clone();
    if let Err(e) = crate::db::run_write(pool, move |conn| save(conn, &t, &form)).await {
        return e;
    }
    let _ = session.insert(key, token);
    AppError::LoginRequired {
        next,
        expired: true,
    }
}

/// The draft kept under `key` in this session, if any (once).
pub async fn restore<T: DeserializeOwned + Send + 'static>(
    pool: &Pool,
    session: &Session,
    key: &str,
) -> AppResult<Option<T>> {
    let token: Option<String> = session.get(key).ok().flatten();
    let Some(token) = token else {
        return Ok(None);
    };
    session.remove(key);
    crate::db::run(pool, move |conn| take(conn, &token)).await
}

/// The user behind a form post. A session that ended while the form was typed keeps the form
/// under `key` and sends the login back to `next` (which restores it); every form that can take
/// long to type (a report, a patrol log, minutes) is posted through this.
pub async fn poster<T: Serialize + Clone + Send + 'static>(
    req: &actix_web::HttpRequest,
    pool: &Pool,
    session: &Session,
    key: &str,
    form: &T,
    next: String,
) -> AppResult<CurrentUser> {
    use actix_web::FromRequest;
    match CurrentUser::extract(req).await {
        Ok(u) => Ok(u),
        Err(AppError::LoginRequired { .. }) => {
            Err(keep(pool, session, key, form.clone(), next).await)
        }
        Err(e) => Err(e),
    }
}
