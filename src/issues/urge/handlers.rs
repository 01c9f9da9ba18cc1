//! POST /issues/{id}/urge: one 督办, once per form token.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain;
use super::forms::UrgeForm;
use super::models;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::issues::pages::ShowPage;
use crate::issues::workflow::Clock;
use crate::web::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;

/// POST /issues/{id}/urge — outside the user's scope 404 (before anything else), a role that may
/// not urge 403; a missing note is the issue page again with the panel open, what was typed
/// kept and the message beside the field (422).
pub async fn urge(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<UrgeForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (id.into_inner(), form.0);
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        crate::issues::models::get_scoped(conn, &u, id)
    })
    .await?;
    if !domain::may_urge(user.role) {
        return Err(AppError::Forbidden);
    }
    let urge = match form.parse(state.today()) {
        Ok(urge) => urge,
        Err(errors) => {
            let u = user.clone();
            let d = db::run(&state.pool, move |conn| {
                crate::issues::models::detail(conn, &u, id)
            })
            .await?;
            let ctx = Ctx::build(&req, Some(user));
            let mut page = ShowPage::fresh(ctx, d, state.settings.upload_max_bytes);
            page.urge.form = form;
            page.urge.errors = errors;
            return edit::invalid(&page);
        }
    };
    let (u, clock) = (user.clone(), Clock::at(state.tz));
    edit::create(
        &state.pool,
        &session,
        (form.form_token, user.id),
        "urge.sent_flash",
        move |conn| models::send(conn, &u, id, &urge, &clock),
    )
    .await
}
