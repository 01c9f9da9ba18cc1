//! The grid worker's home, phone first: my grids with today's state and the two buttons (登记巡查走访
//! and the one-click 今日巡查无异常, the patrol list's own cards) at the top of the first screen,
//! then the issues waiting for me to handle, nearest deadline first. No counts of the tree: a
//! worker's unit is their grid.

use actix_web::HttpResponse;
use askama::Template;

use super::{Home, IssueBox, Issues, todo_counts};
use crate::db;
use crate::error::AppResult;
use crate::issues::models::{Filter, Todo};
use crate::patrols::models::{MyGridToday, my_grids_today};
use crate::web::ctx::Ctx;

#[derive(Template)]
#[template(path = "home/worker.html")]
struct WorkerPage {
    ctx: Ctx,
    /// My grids with today's log (`patrols/_my_grids.html`).
    mine: Vec<MyGridToday>,
    quick_token: String,
    /// (to-do code, count): to handle, to verify.
    todos: Vec<(&'static str, i64)>,
    /// The issues I am to handle.
    handle: IssueBox,
}

/// GET / for a grid worker.
pub async fn show(h: Home) -> AppResult<HttpResponse> {
    let (u, today, tz, todos) = (h.user.clone(), h.state.today(), h.state.tz, h.todos.clone());
    let (mine, todos, handle) = db::run(&h.state.pool, move |conn| {
        let f = Filter {
            todo: Some(Todo::Handle),
            ..Default::default()
        };
        Ok((
            my_grids_today(conn, &u, today)?,
            todo_counts(conn, &todos, &u)?,
            Issues::read(conn, &u, f, tz)?,
        ))
    })
    .await?;
    let ctx = h.ctx();
    crate::web::render_ok(&WorkerPage {
        handle: handle.views(
            &ctx,
            "homes.worker.handle",
            "/issues?todo=handle&sort=deadline",
        ),
        ctx,
        mine,
        quick_token: crate::web::csrf::random_token(),
        todos,
    })
}
