//! The patrol pages that read: the list with my grids of today, a log's page, the export.

use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{self, Change};
use super::forms::{KINDS, ListQuery};
use super::models;
use super::pages::{EXPORT_COLUMNS, ListPage, Names, RowView, ShowPage};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::issues::models as issue_models;
use crate::web::ctx::Ctx;
use crate::web::forms::Choice;
use crate::web::list;
use crate::web::{AppState, render_ok};

/// The list: its page and how its rows are read (the export reads the same).
const LIST: list::At<models::Filter, models::ListRow> = list::At {
    path: "/patrols",
    rows: models::list,
    count: models::count,
};

/// The list's export (no residents' data).
const SHEET: list::Sheet<RowView> = list::Sheet {
    file: "patrols.xlsx",
    sheet: "patrols",
    columns: EXPORT_COLUMNS,
};

/// GET /patrols/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (id, u) = (path.into_inner(), user.clone());
    let log = db::run(&state.pool, move |conn| models::full(conn, &u, id)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let full = domain::sees_residents(&user, &log.patrol);
    let edit_days = state.settings.patrol_edit_days;
    let change = match domain::change_allowed(&user, &log.patrol, state.today(), edit_days) {
        Some(Change::Edit) => "edit",
        Some(Change::Correct) => "correct",
        None => "",
    };
    render_ok(&ShowPage::new(ctx, log, full, change))
}

/// The names of the grids and workers of a page of rows.
fn row_names(conn: &mut AnyConnection, rows: &[models::ListRow]) -> AppResult<Names> {
    let mut workers: Vec<i32> = rows.iter().map(|r| r.worker_id).collect();
    workers.sort_unstable();
    workers.dedup();
    Ok(Names {
        grids: issue_models::unit_names(conn, rows.iter().map(|r| r.grid_id))?,
        workers: issue_models::user_names(conn, &workers)?
            .into_iter()
            .collect(),
    })
}

/// GET /patrols — my grids of today (for those who patrol), and the logs in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let today = state.today();
    let page = list::page(&state.pool, &user, &q, LIST, move |conn, u, f, rows| {
        let names = row_names(conn, rows)?;
        let choices = models::filter_choices(conn, u, f)?;
        Ok((names, choices, models::my_grids_today(conn, u, today)?))
    })
    .await?;
    let (names, choices, mine) = page.more;
    let ctx = Ctx::build(&req, Some(user));
    let rows = page
        .rows
        .iter()
        .map(|r| RowView::new(&ctx, &names, r))
        .collect();
    render_ok(&ListPage {
        kinds: KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("patrols.kind.{k}"))))
            .collect(),
        rows,
        pager: page.pager,
        q,
        errors: page.errors,
        units: choices.units,
        grids: choices.grids,
        workers: choices.workers,
        mine,
        quick_token: crate::web::csrf::random_token(),
        today: ctx.date(&today),
        ctx,
    })
}

/// GET /patrols/export.xlsx — the list with its filters, in scope (no residents' data).
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    list::export(
        (&req, &state.pool, user),
        q.into_inner(),
        LIST,
        |conn, _, _, rows| row_names(conn, rows),
        SHEET,
        RowView::new,
    )
    .await
}
