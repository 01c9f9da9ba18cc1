//! Forms with photos (multipart/form-data): text fields become a serde-deserialized form like
//! any urlencoded one, files are read into memory up to a size limit each. The CSRF token is
//! checked before anything is read beyond the fields.

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};

/// An uploaded file, or the note that it was too large (its bytes are not kept).
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

#[derive(Debug, Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

/// Text fields longer than this are refused outright (a description is at most a few thousand
/// characters).
const MAX_FIELD: usize = 64 * 1024;
/// Files per form.
pub const MAX_FILES: usize = 9;

fn bad(why: impl std::fmt::Display) -> AppError {
    tracing::debug!("bad multipart request: {why}");
    AppError::BadRequest
}

/// Reads a multipart body. Empty file inputs (no file chosen) are skipped.
pub async fn read(mut payload: Multipart, max_file: usize) -> AppResult<Parts> {
    let mut parts = Parts::default();
    while let Some(item) = payload.next().await {
        let mut field = item.map_err(|e| bad(format!("multipart: {e}")))?;
        let name = field.name().unwrap_or("").to_string();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(|s| s.to_string());
        let limit = if filename.is_some() {
            max_file
        } else {
            MAX_FIELD
        };
        let mut data = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| bad(format!("multipart: {e}")))?;
            if data.len() + chunk.len() > limit {
                too_large = true;
                data.clear();
                // Drain the rest of the field without keeping it.
                continue;
            }
            if !too_large {
                data.extend_from_slice(&chunk);
            }
        }
        match filename {
            Some(f) => {
                if f.is_empty() && data.is_empty() && !too_large {
                    continue;
                }
                if parts.files.len() >= MAX_FILES {
                    return Err(bad("too many files"));
                }
                parts.files.push(Upload {
                    field: name,
                    filename: f,
                    bytes: data,
                    too_large,
                });
            }
            None => {
                if too_large {
                    return Err(bad(format!("field {name} too long")));
                }
                let text =
                    String::from_utf8(data).map_err(|_| bad(format!("field {name}: not UTF-8")))?;
                parts.fields.push((name, text));
            }
        }
    }
    Ok(parts)
}

impl Parts {
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// The text fields as a form struct (the same serde shape an urlencoded form uses).
    pub fn form<T: DeserializeOwned>(&self) -> AppResult<T> {
        let encoded =
            serde_urlencoded::to_string(&self.fields).map_err(|e| bad(format!("form: {e}")))?;
        serde_urlencoded::from_str(&encoded).map_err(|e| bad(format!("form: {e}")))
    }

    /// Checks the CSRF token field (and the request's origin headers).
    pub fn verify_csrf(&self, req: &HttpRequest) -> AppResult<()> {
        super::csrf::verify(req, self.get("csrf_token"))
    }
}
