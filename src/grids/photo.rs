//! Photos of a grid's responsible people: type checked by content (not by name), decoded with
//! size limits, re-encoded as JPEG — which drops EXIF, GPS included — and served only to users
//! whose scope holds the grid.

use std::io::Cursor;

use actix_multipart::form::MultipartForm;
use actix_multipart::form::tempfile::TempFile;
use actix_multipart::form::text::Text;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::PersonForm;
use super::models;
use crate::audit;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::org::models as org_models;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_status, see_other};

#[derive(MultipartForm)]
pub struct PhotoUpload {
    pub csrf_token: Text<String>,
    pub photo: TempFile,
}

/// Largest side of a stored photo, in pixels (a notice prints it at about 3 cm).
const MAX_SIDE: u32 = 600;

/// Decodes an upload and re-encodes it as a JPEG at most 600 px a side. Errors are locale keys.
pub fn reencode(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    Ok(reencode_sizes(bytes, &[MAX_SIDE])?.remove(0))
}

/// Decodes an upload once (type checked by content, with size limits) and re-encodes it as a
/// JPEG at each largest side in `sides`; re-encoding drops EXIF, GPS included. Errors are
/// locale keys.
pub fn reencode_sizes(bytes: &[u8], sides: &[u32]) -> Result<Vec<Vec<u8>>, &'static str> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| "photo.not_image")?;
    if reader.format().is_none() {
        return Err("photo.not_image");
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(8000);
    limits.max_image_height = Some(8000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let img = reader.decode().map_err(|_| "photo.not_image")?;
    sides
        .iter()
        .map(|side| {
            let img = img.thumbnail(*side, *side).to_rgb8();
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
                .encode_image(&img)
                .map_err(|_| "photo.not_image")?;
            Ok(out)
        })
        .collect()
}

/// POST /grids/{id}/people/{pid}/photo (multipart)
pub async fn upload_photo(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: MultipartForm<PhotoUpload>,
) -> AppResult<HttpResponse> {
    crate::web::csrf::verify(&req, &form.csrf_token)?;
    user.require_grid_editor()?;
    let (id, pid) = path.into_inner();
    let u = user.clone();
    let (grid, person) = db::run(&state.pool, move |conn| {
        let grid = org_models::get_grid(conn, &u, id)?;
        let person = models::person(conn, grid.id, pid)?;
        Ok((grid, person))
    })
    .await?;
    let max = state.settings.upload_max_bytes;
    let result = if form.photo.size == 0 {
        Err("photo.missing")
    } else if form.photo.size > max {
        Err("photo.too_large")
    } else {
        let bytes = std::fs::read(form.photo.file.path())
            .map_err(|e| AppError::Internal(format!("upload read: {e}")))?;
        web::block(move || reencode(&bytes))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
    };
    let jpeg = match result {
        Ok(j) => j,
        Err(key) => {
            let u = user.clone();
            let (grid, crumbs, staff, person) = db::run(&state.pool, move |conn| {
                super::handlers::person_form_data(conn, &u, id, Some(pid))
            })
            .await?;
            let form = person
                .as_ref()
                .map(PersonForm::from_person)
                .unwrap_or_default();
            let mut page = super::handlers::person_page(
                Ctx::build(&req, Some(user)),
                grid,
                crumbs,
                &staff,
                person,
                form,
                FormErrors::new(),
                max,
            );
            page.photo_error = Some(
                page.ctx
                    .ta(key, &[("max", (max / (1024 * 1024)).to_string())]),
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let key = format!(
        "person-{pid}-{}.jpg",
        &crate::web::csrf::random_token()[..16]
    );
    state.uploads.put(&key, jpeg).await?;
    let (actor, grid_id, scope, old) = (
        user.actor(),
        grid.id,
        grid.path.clone(),
        person.photo.clone(),
    );
    let (k, previous) = (key.clone(), old.clone());
    db::run_write(&state.pool, move |conn| {
        models::set_photo(conn, grid_id, pid, Some(&k))?;
        audit::record(
            conn,
            &actor,
            "update_photo",
            "grid_person",
            Some(pid),
            &person.name,
            Some(&previous),
            Some(&Some(&k)),
            &scope,
        )
    })
    .await?;
    if let Some(old) = old {
        state.uploads.delete(&old).await;
    }
    flash(&session, "ok", "photo.saved", &[]);
    Ok(see_other(&format!("/grids/{id}/people/{pid}/edit")))
}

/// GET /grids/{id}/people/{pid}/photo
pub async fn show_photo(
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
    // People's photos are not kept even by the browser's cache.
    crate::web::jpeg(&state.uploads, &key, "private, no-store").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_images_are_refused_and_images_become_small_jpegs() {
        assert_eq!(
            reencode(b"<html><script>alert(1)</script></html>"),
            Err("photo.not_image")
        );
        let img = image::RgbImage::from_pixel(1200, 900, image::Rgb([200, 30, 30]));
        let mut png = Vec::new();
        image::DynamicImage::ImageRgb8(img)
            .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let jpeg = reencode(&png).unwrap();
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let back = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (600, 450));
    }
}
