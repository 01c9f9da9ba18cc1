//! Static assets, embedded in the binary: the intranet has no internet and no CDN, and one binary
//! is the whole deployment.

use actix_web::{HttpResponse, web};

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/app.css"),
    },
    Asset {
        name: "print.css",
        mime: "text/css; charset=utf-8",
        body: include_bytes!("../../static/print.css"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/app.js"),
    },
    Asset {
        name: "photos.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../../static/photos.js"),
    },
    Asset {
        name: "person.svg",
        mime: "image/svg+xml",
        body: include_bytes!("../../static/person.svg"),
    },
];

/// GET /static/{name}
pub async fn serve_static(name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|a| a.name == name.as_str()) {
        Some(a) => HttpResponse::Ok()
            .content_type(a.mime)
            .insert_header(("Cache-Control", "public, max-age=3600"))
            .body(a.body),
        None => HttpResponse::NotFound().finish(),
    }
}
