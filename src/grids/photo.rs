//! A responsible person's portrait: uploaded from the person's edit page, prepared and stored
//! through `crate::photos` (checked by content, shrunk to 600 px, EXIF dropped, key
//! `grid-person-<id>-…`), and served only to users whose scope holds the grid, never cached.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::handlers::load;
use super::models::{self, Person};
use super::records::GridRecord;
use crate::audit;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::org::models as org_models;
use crate::photos::{self, Cache};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::{AppState, multipart, render_status, see_other};

/// POST /grids/{id}/people/{pid}/photo (multipart: `csrf_token`, `photo`) — a new portrait
/// replaces the old one, whose file is deleted once the row names the new one.
pub async fn upload(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let max = state.settings.upload_max_bytes;
    let parts = multipart::read(payload, max).await?;
    parts.verify_csrf(&req)?;
    user.require_grid_editor()?;
    let (id, pid) = path.into_inner();
    let data = load::<Person>(&state, &user, id, Some(pid)).await?;
    let file = parts.files.iter().find(|f| f.field == "photo");
    let jpeg = match photos::prepare_portrait(file).await? {
        Ok(jpeg) => jpeg,
        Err(key) => {
            let form = data.row.as_ref().map(Person::form_of).unwrap_or_default();
            let ctx = Ctx::build(&req, Some(user));
            let mut page = Person::page(ctx, &state, data, form, FormErrors::new(), Vec::new());
            let mib = (max / (1024 * 1024)).to_string();
            page.photo_error = Some(page.ctx.ta(key, &[("max", mib)]));
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let key = photos::store_portrait(&state.uploads, pid, jpeg).await?;
    let (actor, grid, person) = (user.actor(), data.grid, data.row.ok_or(AppError::NotFound)?);
    let (new, old) = (key, person.photo.clone());
    db::run_write(&state.pool, move |conn| {
        models::set_photo(conn, grid.id, pid, Some(&new))?;
        audit::record(
            conn,
            &actor,
            "update_photo",
            Person::ENTITY,
            Some(pid),
            &person.name,
            Some(&person.photo),
            Some(&Some(&new)),
            &grid.path,
        )
    })
    .await?;
    photos::delete(&state.uploads, old.as_deref()).await;
    flash(&session, "ok", "photo.saved", &[]);
    Ok(see_other(&format!("/grids/{id}/people/{pid}/edit")))
}

/// GET /grids/{id}/people/{pid}/photo — people's photos are not kept even by the browser.
pub async fn show(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let key = db::run(&state.pool, move |conn| {
        let grid = org_models::get_grid(conn, &user, id)?;
        models::person(conn, grid.id, pid)?
            .photo
            .ok_or(AppError::NotFound)
    })
    .await?;
    photos::serve(&state.uploads, &key, Cache::NoStore).await
}
