//! Photo rows of an activity: adding them, the activity's kept photo count, removing one.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::{party_activities, party_activity_photos};
use crate::db::{AnyConnection, FirstRow};
use crate::error::AppResult;

/// Adds stored photos (full, thumbnail keys) and keeps the activity's photo count.
pub fn add_photos(
    conn: &mut AnyConnection,
    id: i32,
    keys: &[(String, String)],
    user_id: i32,
    now: NaiveDateTime,
) -> AppResult<()> {
    for (full, thumb) in keys {
        diesel::insert_into(party_activity_photos::table)
            .values((
                party_activity_photos::activity_id.eq(id),
                party_activity_photos::file_key.eq(full),
                party_activity_photos::thumb_key.eq(thumb),
                party_activity_photos::uploaded_by.eq(Some(user_id)),
                party_activity_photos::created_at.eq(now),
            ))
            .execute(conn)?;
    }
    refresh_photo_count(conn, id)?;
    Ok(())
}

/// Keeps `party_activities.photos` at the number of the activity's photo rows.
fn refresh_photo_count(conn: &mut AnyConnection, id: i32) -> AppResult<i32> {
    let n: i64 = party_activity_photos::table
        .filter(party_activity_photos::activity_id.eq(id))
        .count()
        .get_result(conn)?;
    diesel::update(party_activities::table.find(id))
        .set(party_activities::photos.eq(n as i32))
        .execute(conn)?;
    Ok(n as i32)
}

/// A photo row as the audit log keeps it when it is removed.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = party_activity_photos)]
#[diesel(check_for_backend(crate::db::MultiBackend))]
pub struct PhotoRow {
    pub id: i32,
    pub file_key: String,
    pub thumb_key: String,
    pub uploaded_by: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// Removes photo `photo` of activity `id` and keeps the count; None when it is not (or no
/// longer) the activity's. The stored files are the caller's to delete once this commits.
pub fn remove_photo(
    conn: &mut AnyConnection,
    id: i32,
    photo: i32,
) -> AppResult<Option<(PhotoRow, i32)>> {
    let row: Option<PhotoRow> = party_activity_photos::table
        .filter(party_activity_photos::id.eq(photo))
        .filter(party_activity_photos::activity_id.eq(id))
        .select(PhotoRow::as_select())
        .first_row(conn)
        .optional()?;
    let Some(row) = row else {
        return Ok(None);
    };
    let n = diesel::delete(
        party_activity_photos::table
            .filter(party_activity_photos::id.eq(photo))
            .filter(party_activity_photos::activity_id.eq(id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    let left = refresh_photo_count(conn, id)?;
    Ok(Some((row, left)))
}

/// A photo's stored keys.
#[derive(Debug, Clone, Queryable)]
pub struct PhotoKeys {
    pub id: i32,
    pub file_key: String,
    pub thumb_key: String,
}

/// The activity's photos, in upload order.
pub fn photos(conn: &mut AnyConnection, id: i32) -> AppResult<Vec<PhotoKeys>> {
    Ok(party_activity_photos::table
        .filter(party_activity_photos::activity_id.eq(id))
        .order(party_activity_photos::id)
        .select((
            party_activity_photos::id,
            party_activity_photos::file_key,
            party_activity_photos::thumb_key,
        ))
        .load(conn)?)
}
