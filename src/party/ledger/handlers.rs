//! The ledger's handler.

use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::LedgerQuery;
use super::models;
use super::pages::{ShowPage, months};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::party::branches::models as branch_models;
use crate::party::domain;
use crate::party::members::{models as member_models, pages::MemberView};
use crate::party::summary::{domain as summary, models as summary_models};
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};

/// GET /party/branches/{id}/ledger?year=
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<LedgerQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let today = state.today();
    let year = query.year(today);
    let u = user.clone();
    let (b, unit, members, activities, absentees, links, raw) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, b.unit_id)?.name;
        let members = member_models::members(conn, id)?;
        let (from, to) = summary::year_bounds(year);
        let activities = models::activities(conn, id, from, to)?;
        let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
        let absentees = models::absentees(conn, &ids)?;
        let links = models::links(conn, &ids)?;
        let raw = summary_models::read(conn, vec![b.clone()], year, today)?;
        Ok((b, unit, members, activities, absentees, links, raw))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    let activity_count = activities.len();
    let months = months(&ctx, activities, absentees, links);
    let s = summary::compute(raw, year, None, today);
    let summary = s.branches.into_iter().next().ok_or(AppError::NotFound)?;
    render_ok(&ShowPage {
        members: members
            .into_iter()
            .filter(|m| m.active)
            .map(|m| MemberView::of(m, full))
            .collect(),
        unit,
        year,
        months,
        summary,
        activity_count,
        b,
        ctx,
    })
}
