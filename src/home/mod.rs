//! The home page: what the user's role does, their org unit with its counts, and the grids they
//! are responsible for — each feature adds its own box here as it lands.

pub mod cockpit;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::issues::models::TodoCache;
use crate::org::domain::Counts;
use crate::web::AppState;
use crate::web::ctx::Ctx;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: Ctx,
    role_text_key: String,
    counts: Counts,
    /// The grids the user patrols, with today's log if there is one.
    my_grids: Vec<MyGrid>,
    /// What waits for the user (我的待办): (to-do code, count).
    todos: Vec<(&'static str, i64)>,
}

/// A grid the user patrols, and today's log of it if there is one.
struct MyGrid {
    id: i32,
    name: String,
    log_id: Option<i32>,
}

fn scope_counts(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Counts> {
    crate::org::models::subtree_totals(conn, &user.org_path)
}

/// GET /
pub async fn home(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    todos: web::Data<TodoCache>,
) -> AppResult<HttpResponse> {
    if cockpit::is_for(&user) {
        return cockpit::show(req, user).await;
    }
    let u = user.clone();
    let st = state.clone();
    let (counts, my_grids, todos) = db::run(&state.pool, move |conn| {
        let todos = todos
            .counts(conn, &u, db::now())?
            .into_iter()
            .map(|(t, n)| (t.code(), n))
            .collect();
        let logged = crate::patrols::models::logged_today(conn, u.id, st.today())?;
        let grids = crate::patrols::models::my_grids(conn, &u)?
            .into_iter()
            .map(|g| {
                let log_id = logged.iter().find(|l| l.grid_id == g.id).map(|l| l.id);
                MyGrid {
                    id: g.id,
                    name: g.name,
                    log_id,
                }
            })
            .collect();
        Ok((scope_counts(conn, &u)?, grids, todos))
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
    cockpit::routes(cfg);
}
