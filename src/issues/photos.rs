//! Photos of an issue: before (with the report) and after (with progress and the handling
//! result). Each upload is checked by content and re-encoded (EXIF/GPS gone) into a 1600-px
//! picture and a 240-px thumbnail, stored under generated keys; `handlers::photo` serves them
//! only in scope. Patrol logs and party activities store their photos the same way.

use actix_web::web;

use crate::error::{AppError, AppResult};
use crate::grids::photo::reencode_sizes;
use crate::web::AppState;
use crate::web::multipart::Upload;

const FULL: u32 = 1600;
const THUMB: u32 = 240;

/// Re-encoded photos ready to store, or the locale key of the first problem.
pub struct Prepared {
    pub images: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Checks and re-encodes the uploads of the form field `field` (on the blocking pool).
pub async fn prepare(files: &[Upload], field: &str) -> AppResult<Result<Prepared, &'static str>> {
    let files: Vec<Upload> = files.iter().filter(|f| f.field == field).cloned().collect();
    web::block(move || {
        let mut images = Vec::new();
        for f in &files {
            if f.too_large {
                return Ok(Err("photo.too_large"));
            }
            match reencode_sizes(&f.bytes, &[FULL, THUMB]) {
                Ok(mut v) => {
                    let thumb = v.pop().unwrap_or_default();
                    let full = v.pop().unwrap_or_default();
                    images.push((full, thumb));
                }
                Err(key) => return Ok(Err(key)),
            }
        }
        Ok(Ok(Prepared { images }))
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
}

/// Stores prepared photos; returns their (full, thumbnail) keys.
pub async fn store(state: &AppState, p: Prepared) -> AppResult<Vec<(String, String)>> {
    let mut keys = Vec::new();
    for (full, thumb) in p.images {
        let base = format!("issue-{}", &crate::web::csrf::random_token()[..20]);
        let k = (format!("{base}.jpg"), format!("{base}-t.jpg"));
        state.uploads.put(&k.0, full).await?;
        state.uploads.put(&k.1, thumb).await?;
        keys.push(k);
    }
    Ok(keys)
}
