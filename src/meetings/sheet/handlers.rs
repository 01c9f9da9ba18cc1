//! The sheet's handlers: the printed record (its own page) and the same record as a workbook of
//! three sheets.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::pages::SheetPage;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::meetings::models;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::xlsx::respond_sheets;

/// GET /meetings/{id}/sheet
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| models::load(conn, &u, id)).await?;
    let page = SheetPage::new(Ctx::build(&req, Some(user)), l, state.today());
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(page.render()?))
}

/// GET /meetings/{id}/sheet.xlsx — the title block, the items and the attendance.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| models::load(conn, &u, id)).await?;
    let people = l.people.clone();
    let p = SheetPage::new(Ctx::build(&req, Some(user)), l, state.today());
    respond_sheets(&format!("meeting-{id}.xlsx"), &p.workbook(&people))
}
