//! Forms with photos (multipart/form-data): text fields become a serde-deserialized form like
//! any urlencoded one, files are read into memory up to a size limit each and up to
//! [`MAX_FILES`] a form. The CSRF token is checked before anything is read beyond the fields.
//!
//! A file over either limit is not an error here: it is kept as a note (`too_large`,
//! `beyond_limit`) so the form comes back with everything typed and the message beside its field
//! (`photos::prepare`). A body that is not a well-formed multipart form, a text field that is
//! not UTF-8 (never stored with replacement characters) or one too long is
//! `AppError::BadRequest`: the localized 400 page.

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;

use crate::error::{AppError, AppResult};

/// An uploaded file, or the note that it was too large or one too many (its bytes are not
/// kept).
#[derive(Debug, Clone)]
pub struct Upload {
    pub field: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
    /// It came after the form's first [`MAX_FILES`] files.
    pub beyond_limit: bool,
}

#[derive(Debug, Default)]
pub struct Parts {
    pub fields: Vec<(String, String)>,
    pub files: Vec<Upload>,
}

/// Text fields longer than this are refused outright (a description is at most a few thousand
/// characters).
const MAX_FIELD: usize = 64 * 1024;
/// Files per form (what the photos fields' hint says, and the browser checks where JavaScript
/// runs). It bounds the memory a form's photos take: files past it are read and dropped.
pub const MAX_FILES: usize = 9;

fn bad(why: impl std::fmt::Display) -> AppError {
    tracing::debug!("bad multipart request: {why}");
    AppError::BadRequest
}

/// How long the body may make no progress. actix-multipart 0.7 never wakes up on a body that
/// ends inside a boundary line (a request cut short, or crafted so): without this the request
/// would wait for ever, holding its worker's memory. A real upload, however slow its network,
/// sends something well within it.
const IDLE: std::time::Duration = std::time::Duration::from_secs(30);

/// The next item of a stream, or a bad request once `idle` passes with nothing.
async fn next_within<S: futures_util::Stream + Unpin>(
    s: &mut S,
    idle: std::time::Duration,
) -> AppResult<Option<S::Item>> {
    tokio::time::timeout(idle, s.next())
        .await
        .map_err(|_| bad("no progress (a body cut short)"))
}

/// Reads a multipart body. Empty file inputs (no file chosen) are skipped.
pub async fn read(payload: Multipart, max_file: usize) -> AppResult<Parts> {
    read_within(payload, max_file, IDLE).await
}

async fn read_within(
    mut payload: Multipart,
    max_file: usize,
    idle: std::time::Duration,
) -> AppResult<Parts> {
    let mut parts = Parts::default();
    let mut kept_files = 0;
    while let Some(item) = next_within(&mut payload, idle).await? {
        let mut field = item.map_err(|e| bad(format!("multipart: {e}")))?;
        let name = field.name().unwrap_or("").to_string();
        let filename = field
            .content_disposition()
            .and_then(|cd| cd.get_filename())
            .map(|s| s.to_string());
        let beyond_limit = filename.is_some() && kept_files >= MAX_FILES;
        let limit = match (&filename, beyond_limit) {
            (None, _) => MAX_FIELD,
            (Some(_), false) => max_file,
            // Read to its end (to reach the fields after it), keep nothing.
            (Some(_), true) => 0,
        };
        let mut data = Vec::new();
        let mut too_large = false;
        while let Some(chunk) = next_within(&mut field, idle).await? {
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
                // An empty file input (nothing chosen) sends an empty part with no file name.
                if f.is_empty() && data.is_empty() && !too_large {
                    continue;
                }
                kept_files += usize::from(!beyond_limit);
                parts.files.push(Upload {
                    field: name,
                    filename: f,
                    bytes: data,
                    too_large: too_large && !beyond_limit,
                    beyond_limit,
                });
            }
            None => {
                if too_large {
                    return Err(bad(format!("field {name} too long")));
                }
                let text =
                    String::from_utf8(data).map_err(|_| bad(format!("field {name}: not UTF-8")))?;
                // The same rule as url-encoded forms (`web::input`): controls stripped.
                let text = super::input::clean(&text).into_owned();
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

#[cfg(test)]
mod tests {
    use actix_web::error::PayloadError;
    use actix_web::http::header::{self, HeaderMap, HeaderValue};
    use actix_web::web::Bytes;
    use proptest::prelude::*;
    use std::time::Duration;

    use super::*;

    const B: &str = "gwtestboundary";

    /// `body` as a request with this Content-Type would stream it, in chunks of `chunk` bytes.
    fn read_body(ctype: &[u8], body: &[u8], chunk: usize, max_file: usize) -> AppResult<Parts> {
        let mut headers = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_bytes(ctype) {
            headers.insert(header::CONTENT_TYPE, v);
        }
        let chunks: Vec<Result<Bytes, PayloadError>> = body
            .chunks(chunk.max(1))
            .map(|c| Ok(Bytes::copy_from_slice(c)))
            .collect();
        let payload = Multipart::new(&headers, futures_util::stream::iter(chunks));
        actix_web::rt::Runtime::new()
            .expect("a runtime")
            .block_on(read_within(payload, max_file, Duration::from_millis(200)))
    }

    fn ctype() -> Vec<u8> {
        format!("multipart/form-data; boundary={B}").into_bytes()
    }

    fn text(name: &str, value: &[u8]) -> Vec<u8> {
        let mut p = format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
            .into_bytes();
        p.extend_from_slice(value);
        p.extend_from_slice(b"\r\n");
        p
    }

    fn file(name: &str, filename: &str, bytes: &[u8]) -> Vec<u8> {
        let mut p = format!(
            "--{B}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n\
             Content-Type: image/png\r\n\r\n"
        )
        .into_bytes();
        p.extend_from_slice(bytes);
        p.extend_from_slice(b"\r\n");
        p
    }

    fn end(mut parts: Vec<u8>) -> Vec<u8> {
        parts.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        parts
    }

    #[test]
    fn files_past_the_limit_are_noted_not_kept_and_the_fields_after_them_are_read() {
        let mut body = text("title", "标题".as_bytes());
        for i in 0..MAX_FILES + 2 {
            body.extend(file("photos", &format!("{i}.png"), b"12345"));
        }
        body.extend(text("after", b"still here"));
        let parts = read_body(&ctype(), &end(body), 7, 1024).unwrap();
        assert_eq!(parts.get("title"), "标题");
        assert_eq!(parts.get("after"), "still here");
        assert_eq!(parts.files.len(), MAX_FILES + 2);
        let kept: Vec<_> = parts.files.iter().filter(|f| !f.beyond_limit).collect();
        assert_eq!(kept.len(), MAX_FILES);
        assert!(kept.iter().all(|f| f.bytes == b"12345" && !f.too_large));
        let beyond: Vec<_> = parts.files.iter().filter(|f| f.beyond_limit).collect();
        assert!(beyond.iter().all(|f| f.bytes.is_empty() && !f.too_large));
    }

    #[test]
    fn an_empty_file_input_is_skipped_and_an_oversized_file_noted() {
        let body = end([file("photos", "", b""), file("photos", "big.png", &[1; 64])].concat());
        let parts = read_body(&ctype(), &body, 16, 10).unwrap();
        assert_eq!(parts.files.len(), 1);
        assert!(parts.files[0].too_large && parts.files[0].bytes.is_empty());
    }

    #[test]
    fn a_text_field_that_is_not_utf8_or_too_long_is_a_bad_request() {
        let body = end(text("title", b"ok \xff\xfe bytes"));
        assert!(matches!(
            read_body(&ctype(), &body, 5, 10),
            Err(AppError::BadRequest)
        ));
        let body = end(text("title", &vec![b'a'; MAX_FIELD + 1]));
        assert!(matches!(
            read_body(&ctype(), &body, 4096, 10),
            Err(AppError::BadRequest)
        ));
    }

    #[test]
    fn malformed_bodies_are_bad_requests() {
        let unterminated =
            format!("--{B}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc");
        let no_disposition = format!("--{B}\r\nX-Other: y\r\n\r\nabc\r\n--{B}--\r\n");
        // Ends inside the closing boundary line: actix-multipart waits for ever on it.
        let cut = end(text("csrf_token", b"t"));
        let cut = &cut[..cut.len() - 6];
        for (ctype, body) in [
            (&b""[..], &b"a=b"[..]),
            (b"text/plain", b"a=b"),
            (b"multipart/form-data", b"--x\r\n"),
            (&ctype()[..], b"garbage"),
            (&ctype()[..], unterminated.as_bytes()),
            (&ctype()[..], no_disposition.as_bytes()),
            (&ctype()[..], cut),
        ] {
            let r = read_body(ctype, body, 3, 10);
            assert!(matches!(r, Err(AppError::BadRequest)), "{body:?}: {r:?}");
        }
    }

    #[test]
    fn control_characters_in_text_fields_are_stripped_and_the_rest_round_trips() {
        #[derive(serde::Deserialize)]
        struct F {
            title: String,
        }
        let body = end(text("title", "a\u{1}b&c=d%20+e".as_bytes()));
        let parts = read_body(&ctype(), &body, 5, 10).unwrap();
        let f: F = parts.form().unwrap();
        assert_eq!(f.title, "ab&c=d%20+e");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        /// Any bytes under any content type: a typed answer, never a panic.
        #[test]
        fn any_body_is_read_or_refused(
            ctype in proptest::collection::vec(any::<u8>(), 0..80),
            body in proptest::collection::vec(any::<u8>(), 0..600),
            chunk in 1usize..64,
        ) {
            let _ = read_body(&ctype, &body, chunk, 16);
        }

        /// A well-formed body with arbitrary field values and files: every UTF-8 value comes
        /// back as sent but for its control characters (`web::input::clean`), a value that is not
        /// UTF-8 refuses the whole body, files are kept up to the limit.
        #[test]
        fn well_formed_bodies_keep_what_was_sent(
            // At least one field: a form always sends its CSRF token (and a body of no parts at
            // all is refused).
            values in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..6),
            files in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 1..40), 0..12),
            chunk in 1usize..64,
        ) {
            let mut body = Vec::new();
            for (i, v) in values.iter().enumerate() {
                body.extend(text(&format!("f{i}"), v));
            }
            for (i, f) in files.iter().enumerate() {
                body.extend(file("photos", &format!("{i}.png"), f));
            }
            // A value holding the boundary line itself would end its part early: not what a
            // browser sends (it picks a boundary found nowhere in the body).
            let has_boundary = |v: &Vec<u8>| v.windows(B.len()).any(|w| w == B.as_bytes());
            prop_assume!(!values.iter().chain(&files).any(has_boundary));
            let r = read_body(&ctype(), &end(body), chunk, 20);
            if values.iter().all(|v| std::str::from_utf8(v).is_ok()) {
                let parts = r.unwrap();
                for (i, v) in values.iter().enumerate() {
                    let sent = std::str::from_utf8(v).unwrap();
                    prop_assert_eq!(parts.get(&format!("f{i}")), super::super::input::clean(sent));
                }
                prop_assert_eq!(parts.files.len(), files.len());
                for (i, f) in parts.files.iter().enumerate() {
                    prop_assert_eq!(f.beyond_limit, i >= MAX_FILES);
                    if f.too_large {
                        prop_assert!(files[i].len() > 20 && f.bytes.is_empty());
                    } else if !f.beyond_limit {
                        prop_assert_eq!(&f.bytes, &files[i]);
                    }
                }
            } else {
                prop_assert!(matches!(r, Err(AppError::BadRequest)));
            }
        }
    }
}
