//! The home page: what the user's role does, their org unit with its counts, and the grids they
//! are responsible for — each feature adds its own box here as it lands.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use diesel::prelude::*;

use crate::auth::CurrentUser;
use crate::db::schema::{grid_people, org_units};
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::domain::Counts;
use crate::web::AppState;
use crate::web::ctx::Ctx;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    role_text_key: String,
    counts: Counts,
    /// Grids where the user is a named responsible person: (id, name).
    my_grids: Vec<(i32, String)>,
    /// What waits for the user (我的待办): (to-do code, count).
    todos: Vec<(&'static str, i64)>,
}

fn scope_counts(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Counts> {
    crate::org::models::subtree_totals(conn, &user.org_path)
}

fn my_grids(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<(i32, String)>> {
    let (lo, hi) = user.scope();
    let mut grids: Vec<(i32, String)> = grid_people::table
        .inner_join(org_units::table)
        .filter(grid_people::user_id.eq(user.id))
        .select((org_units::id, org_units::name))
        .distinct()
        .load(conn)?;
    // A grid worker's own org unit is their grid.
    if grids.is_empty() {
        grids = org_units::table
            .filter(org_units::id.eq(user.org_unit_id))
            .filter(org_units::kind.eq("grid"))
            .filter(org_units::path.ge(lo))
            .filter(org_units::path.lt(hi))
            .select((org_units::id, org_units::name))
            .load(conn)?;
    }
    Ok(grids)
}

/// GET /
pub async fn home(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let st = state.clone();
    let (counts, my_grids, todos) = db::run(&state.pool, move |conn| {
        let todos = st
            .todos
            .counts(conn, &u, db::now())?
            .into_iter()
            .map(|(t, n)| (t.code(), n))
            .collect();
        Ok((scope_counts(conn, &u)?, my_grids(conn, &u)?, todos))
    })
    .await?;
    let role_text_key = format!("home.role_text.{}", user.role.code());
    crate::web::render_ok(&HomePage {
        ctx: Ctx::build(&req, Some(user)),
        role_text_key,
        counts,
        my_grids,
        todos,
    })
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home));
}
