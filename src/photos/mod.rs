//! Photos, written once for every feature that takes them (a grid's responsible people, issues,
//! party activities, patrol problems): **prepare** an upload (checked by content, size-limited,
//! see `encode`), **re-encode** it as JPEG at the sizes the pages use (EXIF, GPS included, is
//! dropped), **store** it through `storage::Store` under a key named for what it belongs to, and
//! **serve** it back once the caller has found its record in the user's scope.
//!
//! The records keep the keys (`grid_people.photo`, `issue_photos`, `party_activity_photos`), so
//! the key scheme changes only for new uploads: keys stored before (`person-<id>-…`, and party
//! activity photos under `issue-…`) stay valid, since serving and deleting take any key
//! `storage::check_key` accepts.
//!
//! ```text
//! prepare(&parts.files, "photos")      -> Ok(Prepared) | Err("photo.too_many" | "photo.too_large" | …)
//! message(&ctx, key, max_bytes)         -> the message beside the field
//! hint(&ctx, max_mib), too_many(&ctx)   -> the field's hint; the browser script's message
//! store(&state.uploads, Owner::Issue, prepared) -> [(full key, thumbnail key)]
//! prepare_portrait(parts.files.first()) -> Ok(jpeg) | Err("photo.missing" | …)
//! store_portrait(&state.uploads, person_id, jpeg) -> key
//! serve(&state.uploads, &key, Cache::Hour)   -> 200 image/jpeg
//! delete(&state.uploads, [&full, &thumb])    // best effort, after the row is gone
//! ```

mod encode;

use actix_web::{HttpResponse, web};

pub use encode::reencode;

use crate::error::{AppError, AppResult};
use crate::storage::Store;
use crate::web::ctx::Ctx;
use crate::web::multipart::Upload;

/// Photos a form takes (all its photo fields together), as the multipart reader keeps them.
pub const MAX_FILES: usize = crate::web::multipart::MAX_FILES;

/// Largest side of a grid person's portrait, in pixels (the notice prints it at about 3 cm).
pub const PORTRAIT: u32 = 600;
/// Largest side of a record's photo (issues, party activities), in pixels.
pub const FULL: u32 = 1600;
/// Largest side of its thumbnail on the record's page, in pixels.
pub const THUMB: u32 = 240;

/// What a stored photo belongs to; it names the key, so a look into the store (or a bucket
/// listing) tells whose file is whose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    /// An issue's before/after photo (also a patrol problem's, which is filed as an issue).
    Issue,
    /// A party activity's photo.
    PartyActivity,
    /// The portrait of a grid's responsible person (`grid_people.id`).
    GridPerson(i32),
}

impl Owner {
    /// A fresh key stem: the owner's prefix and a random part, e.g. `party-activity-3fa9…`.
    fn stem(self) -> String {
        let random = crate::web::csrf::random_token();
        match self {
            Owner::Issue => format!("issue-{}", &random[..20]),
            Owner::PartyActivity => format!("party-activity-{}", &random[..20]),
            Owner::GridPerson(id) => format!("grid-person-{id}-{}", &random[..16]),
        }
    }
}

/// Uploads checked and re-encoded, ready to store: a full-size picture and a thumbnail each.
#[derive(Debug, Default)]
pub struct Prepared {
    images: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Prepared {
    /// How many photos there are (none when the field was left empty).
    pub fn len(&self) -> usize {
        self.images.len()
    }

    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    web::block(f)
        .await
        .map_err(|e| AppError::Internal(format!("photo re-encoding: {e}")))
}

/// Checks and re-encodes every upload of the form field `field` (none is fine) at [`FULL`] and
/// [`THUMB`], on the blocking pool. `Ok(Err(key))` names the first problem as a locale key
/// (`photo.too_many`, `photo.too_large`, `photo.not_image`) for [`message`] beside the field.
pub async fn prepare(files: &[Upload], field: &str) -> AppResult<Result<Prepared, &'static str>> {
    let files: Vec<Upload> = files.iter().filter(|f| f.field == field).cloned().collect();
    if files.iter().any(|f| f.beyond_limit) {
        return Ok(Err("photo.too_many"));
    }
    blocking(move || {
        let mut images = Vec::with_capacity(files.len());
        for f in &files {
            if f.too_large {
                return Err("photo.too_large");
            }
            let [full, thumb]: [Vec<u8>; 2] = reencode(&f.bytes, &[FULL, THUMB])?
                .try_into()
                .map_err(|_| "photo.not_image")?;
            images.push((full, thumb));
        }
        Ok(Prepared { images })
    })
    .await
}

/// The arguments of every photo message: `max` (MiB a photo) and `count` (photos a form).
pub fn message_args(upload_max_bytes: usize) -> Vec<(&'static str, String)> {
    vec![
        ("max", (upload_max_bytes / (1024 * 1024)).to_string()),
        ("count", MAX_FILES.to_string()),
    ]
}

/// The message beside a photos field for a key of [`prepare`] or [`prepare_portrait`].
pub fn message(ctx: &Ctx, key: &str, upload_max_bytes: usize) -> String {
    ctx.ta(key, &message_args(upload_max_bytes))
}

/// The hint under a photos field: how many photos, how large each (templates call it).
pub fn hint(ctx: &Ctx, upload_max_mib: &usize) -> String {
    message(ctx, "photo.hint", upload_max_mib * 1024 * 1024)
}

/// The message for too many photos, which the browser script shows before anything is sent
/// (the `data-too-many` of a photos input; templates call it).
pub fn too_many(ctx: &Ctx) -> String {
    ctx.ta("photo.too_many", &[("count", MAX_FILES.to_string())])
}

/// Checks and re-encodes one portrait at [`PORTRAIT`], on the blocking pool. `Ok(Err(key))`:
/// `photo.missing` when no file came, else as [`prepare`].
pub async fn prepare_portrait(file: Option<&Upload>) -> AppResult<Result<Vec<u8>, &'static str>> {
    let file = match file {
        None => return Ok(Err("photo.missing")),
        Some(f) if f.too_large => return Ok(Err("photo.too_large")),
        Some(f) if f.bytes.is_empty() => return Ok(Err("photo.missing")),
        Some(f) => f.bytes.clone(),
    };
    blocking(move || Ok(reencode(&file, &[PORTRAIT])?.remove(0))).await
}

/// Stores prepared photos under fresh keys named for `owner`; returns each photo's
/// (full, thumbnail) keys, in upload order, for the record's rows. Call it before the record's
/// transaction: a failed write then leaves at most an orphan file, never a row without its file.
pub async fn store(
    uploads: &Store,
    owner: Owner,
    prepared: Prepared,
) -> AppResult<Vec<(String, String)>> {
    let mut keys = Vec::with_capacity(prepared.len());
    for (full, thumb) in prepared.images {
        let stem = owner.stem();
        let k = (format!("{stem}.jpg"), format!("{stem}-t.jpg"));
        uploads.put(&k.0, full).await?;
        uploads.put(&k.1, thumb).await?;
        keys.push(k);
    }
    Ok(keys)
}

/// Stores a grid person's portrait under a fresh `grid-person-<id>-…` key and returns it.
pub async fn store_portrait(uploads: &Store, person_id: i32, jpeg: Vec<u8>) -> AppResult<String> {
    let key = format!("{}.jpg", Owner::GridPerson(person_id).stem());
    uploads.put(&key, jpeg).await?;
    Ok(key)
}

/// Removes stored photos once their rows are gone (best effort: a failure leaves an orphan file
/// and a warning in the log).
pub async fn delete<'a>(uploads: &Store, keys: impl IntoIterator<Item = &'a str>) {
    for key in keys {
        uploads.delete(key).await;
    }
}

/// How long the browser may keep a served photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// Not even the browser keeps it: people's portraits.
    NoStore,
    /// The browser alone keeps it for an hour: record photos, which never change under a key.
    Hour,
}

impl Cache {
    fn header(self) -> &'static str {
        match self {
            Cache::NoStore => "private, no-store",
            Cache::Hour => "private, max-age=3600",
        }
    }
}

/// Answers with the stored JPEG under `key` (404 when it is gone). The caller has read the key
/// from a record it found in the user's scope: that lookup is the access check.
pub async fn serve(uploads: &Store, key: &str, cache: Cache) -> AppResult<HttpResponse> {
    let bytes = uploads.get(key).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header(("Cache-Control", cache.header()))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_named_for_their_owner_and_pass_the_stores_check() {
        for (owner, prefix) in [
            (Owner::Issue, "issue-"),
            (Owner::PartyActivity, "party-activity-"),
            (Owner::GridPerson(42), "grid-person-42-"),
        ] {
            let stem = owner.stem();
            assert!(stem.starts_with(prefix), "{stem}");
            assert_ne!(stem, owner.stem(), "each key is fresh");
            for key in [format!("{stem}.jpg"), format!("{stem}-t.jpg")] {
                assert!(crate::storage::check_key(&key).is_ok(), "{key}");
            }
        }
    }
}
