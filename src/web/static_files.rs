//! Static assets, embedded in the binary: the intranet has no internet and no CDN, and one binary
//! is the whole deployment.
//!
//! Each asset is served under a name that carries a hash of its content,
//! `/static/{stem}.{hash}.{ext}`, cached for a year as immutable: after an upgrade the pages name
//! new URLs, so no browser runs old CSS or JS against new pages. Templates get those URLs from
//! [`url`] (as `ctx.asset("app.css")`), never by writing `/static/…` themselves. The plain name
//! (`/static/app.css`) still answers, revalidated on every use, for pages cached or bookmarked
//! before this scheme; a wrong hash is not found. Beside the files, one stylesheet per language
//! is built from the locale at start (`pages.{lang}.css`, the printed page numbers, see
//! [`super::print`]).

use std::borrow::Cow;
use std::sync::LazyLock;

use actix_web::{HttpResponse, web};
use sha2::{Digest, Sha256};

struct Asset {
    name: Cow<'static, str>,
    mime: &'static str,
    body: Cow<'static, [u8]>,
}

struct Embedded {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const EMBEDDED: &[Embedded] = &[
    Embedded {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/app.css"),
    },
    Embedded {
        name: "print.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/print.css"),
    },
    Embedded {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/app.js"),
    },
    Embedded {
        name: "photos.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/photos.js"),
    },
    Embedded {
        name: "person.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../../static/person.svg"),
    },
];

/// Hex digits of the content hash in a URL.
const HASH_LEN: usize = 12;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The embedded files, then each language's page-number stylesheet.
static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let files = EMBEDDED.iter().map(|e| Asset {
        name: Cow::Borrowed(e.name),
        mime: e.mime,
        body: Cow::Borrowed(e.body),
    });
    let pages = super::i18n::Lang::ALL.into_iter().map(|l| Asset {
        name: Cow::Owned(super::print::stylesheet_name(l)),
        mime: "text/css; charset=utf-8",
        body: Cow::Owned(super::print::stylesheet(l).into_bytes()),
    });
    files.chain(pages).collect()
});

/// Each asset's hashed file name (`app.3f2a…c1.css`), in the order of [`ASSETS`], computed once.
static HASHED: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(hashed_name).collect());

fn hashed_name(a: &Asset) -> String {
    let digest = hex::encode(Sha256::digest(&a.body));
    let hash = &digest[..HASH_LEN];
    match a.name.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{}.{hash}", a.name),
    }
}

/// The URL of asset `name` ("app.css") under its content hash. A name that is no asset keeps
/// its plain URL, which answers 404 (the HTTP tests catch it).
pub fn url(name: impl AsRef<str>) -> String {
    let name = name.as_ref();
    match ASSETS.iter().position(|a| a.name == name) {
        Some(i) => format!("/static/{}", HASHED[i]),
        None => format!("/static/{name}"),
    }
}

/// GET /static/{name}: a hashed name for a year, a plain name revalidated each time.
pub async fn serve_static(name: web::Path<String>) -> HttpResponse {
    let name = name.as_str();
    let (asset, cache) = if let Some(i) = HASHED.iter().position(|h| h == name) {
        (&ASSETS[i], IMMUTABLE)
    } else if let Some(a) = ASSETS.iter().find(|a| a.name == name) {
        (a, "no-cache")
    } else {
        return HttpResponse::NotFound().finish();
    };
    // The assets live as long as the server: the body is served from them, never copied.
    let body: &'static [u8] = &asset.body;
    HttpResponse::Ok()
        .content_type(asset.mime)
        .insert_header(("Cache-Control", cache))
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_asset_url_carries_its_content_hash() {
        let u = url("app.css");
        let hash = u
            .strip_prefix("/static/app.")
            .and_then(|r| r.strip_suffix(".css"))
            .unwrap_or_else(|| panic!("{u}"));
        assert_eq!(hash.len(), HASH_LEN);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{u}");
        let whole = hex::encode(Sha256::digest(include_bytes!("../../static/app.css")));
        assert!(whole.starts_with(hash));
        assert_eq!(url("no-such.css"), "/static/no-such.css");
    }

    /// Every template takes asset URLs from `ctx.asset`: a hard-coded `/static/` path would
    /// escape the content hash.
    #[test]
    fn no_template_writes_a_static_path() {
        fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, found);
                } else if std::fs::read_to_string(&p).unwrap().contains("/static/") {
                    found.push(p.display().to_string());
                }
            }
        }
        let mut found = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates"),
            &mut found,
        );
        assert!(found.is_empty(), "hard-coded /static/ in {found:?}");
    }
}
