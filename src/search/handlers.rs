//! GET /search.

use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::SearchQuery;
use super::models::{self, Outcome};
use super::pages::{SearchPage, groups};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok, see_other};

/// GET /search?q= — an issue number in scope jumps to the issue (303); any other term shows
/// what it finds in the user's scope, grouped by kind; an empty or too short term says so.
pub async fn search(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<SearchQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let ctx = Ctx::build(&req, Some(user.clone()));
    let Some(term) = q.term() else {
        let message = if q.q.trim().is_empty() {
            "search.empty"
        } else {
            "search.too_short"
        };
        return render_ok(&SearchPage {
            ctx,
            q: q.q,
            message: Some(message),
            groups: Vec::new(),
        });
    };
    let (u, t) = (user.clone(), term.clone());
    let outcome = db::run(&state.pool, move |conn| {
        models::search(conn, &u, &t, db::now())
    })
    .await?;
    match outcome {
        Outcome::Jump(id) => Ok(see_other(&format!("/issues/{id}"))),
        Outcome::Found(found) => render_ok(&SearchPage {
            groups: groups(&ctx, &user, &term, found),
            ctx,
            q: q.q,
            message: None,
        }),
    }
}
