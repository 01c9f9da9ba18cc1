//! Error pages: every 4xx/5xx response without a body (from `AppError`, or from actix itself:
//! unknown route, oversized body, malformed form) gets a page in the user's language, inside the
//! layout. Nothing of the cause reaches the page.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use askama::Template;

use super::ctx::Ctx;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: Ctx,
    status: u16,
    title_key: &'static str,
    message_key: &'static str,
}

fn keys(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("error.bad_request", "error.bad_request_text"),
        403 => ("error.forbidden", "error.forbidden_text"),
        404 => ("error.not_found", "error.not_found_text"),
        405 => ("error.bad_request", "error.bad_request_text"),
        409 => ("error.conflict", "error.conflict_text"),
        413 => ("error.too_large", "error.too_large_text"),
        414 => ("error.url_too_long", "error.url_too_long_text"),
        429 => ("error.too_many", "error.too_many_text"),
        503 => ("error.unavailable", "error.unavailable_text"),
        _ => ("error.internal", "error.internal_text"),
    }
}

fn render<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Pages that carry their own body (422 forms, 409 conflicts) are left as they are.
    if !matches!(
        res.response().body().size(),
        BodySize::Sized(0) | BodySize::None
    ) {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let status = res.status().as_u16();
    let (title_key, message_key) = keys(status);
    let ctx = Ctx::build(res.request(), None);
    let html = ErrorPage {
        ctx,
        status,
        title_key,
        message_key,
    }
    .render()
    .unwrap_or_else(|_| "error".to_string());
    let (req, mut response) = res.into_parts();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let response = response.set_body(html);
    let res = ServiceResponse::new(req, response)
        .map_into_boxed_body()
        .map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new()
        .default_handler_client(render)
        .default_handler_server(render)
}
