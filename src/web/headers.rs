//! Security headers on every response, error pages included.

use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy: only this origin's own scripts and styles (no inline code), no
/// plugins, no framing. CSS built from the locale (the printed page numbers) is a stylesheet of
/// its own (`web::print`), so no page needs an inline exception.
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
     script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Security headers, added where a response has not set its own.
/// X-Frame-Options repeats frame-ancestors for the IE-mode and 360 engines that ignore CSP.
/// Pages carry personal data, so none is stored by the browser or a proxy (`no-store`); static
/// assets override that with their own caching header.
pub fn security_headers(tls: bool) -> DefaultHeaders {
    let mut h = DefaultHeaders::new()
        .add(("Content-Security-Policy", CSP))
        .add(("X-Frame-Options", "DENY"))
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("Cache-Control", "no-store"));
    if tls {
        h = h.add(("Strict-Transport-Security", "max-age=31536000"));
    }
    h
}
