//! Error pages: every 4xx/5xx response without a body (from `AppError`, or from actix itself:
//! unknown route, oversized body, malformed form) gets a page in the user's language, inside the
//! layout, with the logged-in user's header and navigation. Nothing of the cause reaches the page.

use actix_web::body::{BodySize, MessageBody};
use actix_web::dev::{Payload, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use actix_web::{FromRequest, HttpMessage, HttpRequest};
use askama::Template;

use super::ctx::Ctx;
use super::current_user::CurrentUser;

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
    Ok(ErrorHandlerResponse::Future(Box::pin(async move {
        let status = res.status().as_u16();
        let user = signed_in(res.request(), status).await;
        let (title_key, message_key) = keys(status);
        let html = ErrorPage {
            ctx: Ctx::build(res.request(), user),
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
        Ok(ServiceResponse::new(req, response)
            .map_into_boxed_body()
            .map_into_right_body())
    })))
}

/// Who is logged in, so the page keeps their header and navigation: the user the handler
/// already loaded, or (for a client error such as an unknown path, which reached no handler) the
/// session looked up now. A server error does not go back to the database. The page says nothing
/// of the record asked for, so an id outside the user's scope gets the same page as one that
/// does not exist.
async fn signed_in(req: &HttpRequest, status: u16) -> Option<CurrentUser> {
    let loaded = req.extensions().get::<CurrentUser>().is_some();
    if !loaded && status >= 500 {
        return None;
    }
    CurrentUser::from_request(req, &mut Payload::None)
        .await
        .ok()
}

pub fn error_pages<B: MessageBody + 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new()
        .default_handler_client(render)
        .default_handler_server(render)
}
