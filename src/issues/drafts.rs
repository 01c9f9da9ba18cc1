//! Reports typed while the session ran out: kept server-side under a random token that only
//! the browser's (encrypted) session cookie holds, and handed back once after the login. Drafts
//! older than a day are dropped when the next one is saved.

use diesel::prelude::*;

use super::forms::ReportForm;
use crate::db::schema::issue_drafts;
use crate::db::{AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};

pub fn save(conn: &mut AnyConnection, token: &str, form: &ReportForm) -> AppResult<()> {
    let now = crate::db::now();
    diesel::delete(
        issue_drafts::table.filter(issue_drafts::created_at.lt(now - chrono::Duration::days(1))),
    )
    .execute(conn)?;
    let data = serde_json::to_string(form).map_err(|e| AppError::Internal(e.to_string()))?;
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
pub fn take(conn: &mut AnyConnection, token: &str) -> AppResult<Option<ReportForm>> {
    let data: Option<String> = issue_drafts::table
        .find(token)
        .select(issue_drafts::data)
        .first_row(conn)
        .optional()?;
    diesel::delete(issue_drafts::table.find(token)).execute(conn)?;
    Ok(data.and_then(|d| serde_json::from_str(&d).ok()))
}
