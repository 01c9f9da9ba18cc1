//! The schemes serving the user's units.

use crate::auth::CurrentUser;
use crate::db::{self};
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::assessment::models::{self};
use crate::assessment::pages::{SchemeView, SchemesPage};

/// GET /assessment/schemes — the schemes serving the user's units with their indicator trees.
pub async fn schemes(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let all = db::run(&state.pool, move |conn| {
        let mut out = Vec::new();
        for s in models::schemes_seen(conn, &u)? {
            let inds = models::indicators(conn, s.id)?;
            out.push((s, inds));
        }
        Ok(out)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&SchemesPage {
        schemes: all
            .into_iter()
            .map(|(s, inds)| SchemeView::of(&ctx, s, &inds))
            .collect(),
        ctx,
    })
}
