//! Security headers on every response, error pages included.

use actix_web::middleware::DefaultHeaders;

/// The Content-Security-Policy: only this origin's own scripts and styles (no inline code), no
/// plugins, no framing. `style_nonce` additionally admits the one `<style nonce="…">` block of a
/// response that needs CSS built per request (the meeting sheet's localized page numbers, which
/// only an `@page` rule can place); a page sets this header itself and the default below then
/// leaves it alone.
pub fn csp(style_nonce: Option<&str>) -> String {
    let style = match style_nonce {
        Some(n) => format!("style-src 'self' 'nonce-{n}'"),
        None => "style-src 'self'".to_string(),
    };
    format!(
        "default-src 'self'; img-src 'self' data:; {style}; script-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Security headers, added where a response has not set its own (see [`csp`]).
/// X-Frame-Options repeats frame-ancestors for the IE-mode and 360 engines that ignore CSP.
/// Pages carry personal data, so none is stored by the browser or a proxy (`no-store`); static
/// assets override that with their own caching header.
pub fn security_headers(tls: bool) -> DefaultHeaders {
    let mut h = DefaultHeaders::new()
        .add(("Content-Security-Policy", csp(None)))
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
