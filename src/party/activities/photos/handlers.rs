//! Photo handlers: the photo, its thumbnail, removing it.

use actix_session::Session;
use actix_web::{HttpResponse, web};

use super::models;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::party::activities::models as am;
use crate::party::domain;
use crate::photos::{self, Cache};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::flash;
use crate::web::{AppState, see_other};

async fn photo(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    thumb: bool,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let key = db::run(&state.pool, move |conn| {
        let (a, _) = am::get_scoped(conn, &user, id)?;
        let p = models::photos(conn, a.id)?
            .into_iter()
            .find(|p| p.id == pid)
            .ok_or(AppError::NotFound)?;
        Ok(if thumb { p.thumb_key } else { p.file_key })
    })
    .await?;
    photos::serve(&state.uploads, &key, Cache::Hour).await
}

/// GET /party/activities/{id}/photos/{photo}
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    photo(user, state, path, false).await
}

/// GET /party/activities/{id}/photos/{photo}/thumb
pub async fn thumb(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    photo(user, state, path, true).await
}

/// POST /party/activities/{id}/photos/{photo}/delete
pub async fn delete(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let u = user.clone();
    let removed = db::run_write(&state.pool, move |conn| {
        let (a, b) = am::get_scoped(conn, &u, id)?;
        domain::require_edit(&u, &b.scope_path, b.secretary_user_id)?;
        let Some((photo, left)) = models::remove_photo(conn, a.id, pid)? else {
            return Ok(None);
        };
        crate::audit::record(
            conn,
            &u.actor(),
            "delete_photo",
            "party_activity",
            Some(a.id),
            &format!("{} · {} {}", b.name, a.day, a.title),
            Some(&serde_json::json!({ "photo": photo, "photos": a.photos })),
            Some(&serde_json::json!({ "photos": left })),
            &b.scope_path,
        )?;
        Ok(Some((photo.file_key, photo.thumb_key)))
    })
    .await?;
    match removed {
        Some((full, thumb)) => {
            photos::delete(&state.uploads, [full.as_str(), thumb.as_str()]).await;
            flash(&session, "ok", "party.photo.removed", &[]);
        }
        None => flash(&session, "warn", "party.photo.already_removed", &[]),
    }
    Ok(see_other(&format!("/party/activities/{id}#photos")))
}
