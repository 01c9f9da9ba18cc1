//! The one rule for text that arrives from a browser, applied where every form body, multipart
//! field and query string is read — so no handler can forget it and both backends store the same:
//!
//! - **Invalid UTF-8 is refused** (400), never stored as replacement characters "���".
//! - **Control characters are stripped**, except tab, line feed and carriage return (typed into
//!   text areas). Nobody types U+0000 or U+0007 on purpose; they arrive by paste from old office
//!   software or from someone probing. PostgreSQL refuses U+0000 in text outright, so a SQLite
//!   database holding it could never move to PostgreSQL; stripping on the way in keeps the two
//!   backends identical.

use std::borrow::Cow;

use actix_web::HttpResponse;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Uri;

/// How much of a url-encoded form body is read. The longest field (meeting minutes, 20,000
/// characters) is about 180 KB percent-encoded; this leaves room for ten times that, so text a
/// person typed or pasted always reaches the form's own check and comes back beside the field
/// with a message, never as a lost page. Larger bodies get the 413 page.
pub const FORM_MAX_BYTES: usize = 2 * 1024 * 1024;

/// The longest URL answered; longer ones get the 414 page. Filter links are short; this bounds
/// the work a crafted query string can cause.
pub const URL_MAX_BYTES: usize = 8 * 1024;

/// A body or query that is not well-formed `application/x-www-form-urlencoded` UTF-8.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed;

/// `s` without control characters other than tab, line feed and carriage return.
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(stripped) {
        Cow::Owned(s.chars().filter(|c| !stripped(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

fn stripped(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// Decodes a url-encoded body or query string into its pairs, strictly: every name and value
/// must be UTF-8 once percent-decoded. Names and values are cleaned (see [`clean`]).
pub fn decode(raw: &[u8]) -> Result<Vec<(String, String)>, Malformed> {
    Ok(decode_noting(raw)?.0)
}

/// [`decode`], and whether cleaning took anything out.
fn decode_noting(raw: &[u8]) -> Result<(Vec<(String, String)>, bool), Malformed> {
    let mut stripped_any = false;
    let mut text = |encoded: &[u8]| -> Result<String, Malformed> {
        let plus_as_space: Vec<u8> = encoded
            .iter()
            .map(|b| if *b == b'+' { b' ' } else { *b })
            .collect();
        let bytes: Cow<[u8]> = percent_encoding::percent_decode(&plus_as_space).into();
        let s = std::str::from_utf8(&bytes).map_err(|_| Malformed)?;
        let cleaned = clean(s);
        stripped_any |= matches!(cleaned, Cow::Owned(_));
        Ok(cleaned.into_owned())
    };
    let mut pairs = Vec::new();
    for part in raw.split(|b| *b == b'&').filter(|part| !part.is_empty()) {
        let mut halves = part.splitn(2, |b| *b == b'=');
        let name = text(halves.next().unwrap_or_default())?;
        let value = text(halves.next().unwrap_or_default())?;
        pairs.push((name, value));
    }
    Ok((pairs, stripped_any))
}

/// The pairs encoded again, for `serde_urlencoded` (which decodes leniently by itself).
pub fn encode(pairs: &[(String, String)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

/// A query string as the handlers should see it: `None` when it is fine as it is, `Some(clean)`
/// when control characters had to be taken out.
pub fn clean_query(query: &str) -> Result<Option<String>, Malformed> {
    // A URI holds visible ASCII only: without a `%` there is no byte to be invalid or a control,
    // and most filter links (ids, dates, pages) need no decoding on this path every request takes.
    if !query.contains('%') {
        return Ok(None);
    }
    let (pairs, stripped_any) = decode_noting(query.as_bytes())?;
    Ok(stripped_any.then(|| encode(&pairs)))
}

/// Every request passes here before routing: a URL over [`URL_MAX_BYTES`] is the 414 page, a
/// query string that is not UTF-8 the 400 page, and one holding control characters is handed on
/// cleaned — so every `web::Query` in every handler reads by the same rule as the forms.
pub fn screen(mut req: ServiceRequest) -> Result<ServiceRequest, Box<ServiceResponse>> {
    let uri = req.uri();
    let len = uri.path().len() + uri.query().map_or(0, |q| q.len() + 1);
    if len > URL_MAX_BYTES {
        tracing::warn!(bytes = len, "URL too long");
        return Err(Box::new(
            req.into_response(HttpResponse::UriTooLong().finish()),
        ));
    }
    let Some(query) = uri.query() else {
        return Ok(req);
    };
    match clean_query(query) {
        Ok(None) => Ok(req),
        Ok(Some(cleaned)) => {
            let rebuilt = format!("{}?{cleaned}", uri.path());
            let Ok(new_uri) = rebuilt.parse::<Uri>() else {
                return Err(Box::new(
                    req.into_response(HttpResponse::BadRequest().finish()),
                ));
            };
            req.match_info_mut().get_mut().update(&new_uri);
            req.head_mut().uri = new_uri;
            Ok(req)
        }
        Err(Malformed) => {
            tracing::info!("query string not UTF-8");
            Err(Box::new(
                req.into_response(HttpResponse::BadRequest().finish()),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_controls_but_keeps_line_breaks_and_tabs() {
        assert_eq!(clean("a\0b\u{7}c\u{1b}[0m"), "abc[0m");
        assert_eq!(clean("第一行\r\n第二行\t完"), "第一行\r\n第二行\t完");
        assert_eq!(clean("del\u{7f}c1\u{85}"), "delc1");
        assert!(matches!(clean("干净"), Cow::Borrowed(_)));
    }

    #[test]
    fn decodes_plus_percent_and_chinese() {
        let pairs = decode(b"q=%E7%BD%91+%E6%A0%BC&x=&flag").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("q".into(), "网 格".into()),
                ("x".into(), String::new()),
                ("flag".into(), String::new())
            ]
        );
    }

    #[test]
    fn refuses_invalid_utf8_and_strips_encoded_nul() {
        assert_eq!(decode(b"content=%FF%FE"), Err(Malformed));
        assert_eq!(decode(b"n%FF=1"), Err(Malformed));
        assert_eq!(
            decode(b"content=nul%00byte").unwrap(),
            vec![("content".into(), "nulbyte".into())]
        );
    }

    #[test]
    fn round_trips_through_encode() {
        let pairs = vec![("a b".to_string(), "网&=+%".to_string())];
        assert_eq!(decode(encode(&pairs).as_bytes()).unwrap(), pairs);
    }

    #[test]
    fn queries_are_rewritten_only_when_they_hold_controls() {
        assert_eq!(clean_query("q=%E7%BD%91&page=2"), Ok(None));
        assert_eq!(clean_query("q=a%00b").unwrap().as_deref(), Some("q=ab"));
        assert_eq!(clean_query("q=%C0"), Err(Malformed));
    }
}
