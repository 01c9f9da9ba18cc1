//! The admin's audit list and its export: extract, check, one query, page or workbook.

use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::AuditQuery;
use super::models;
use super::pages::{AuditListPage, entity_text};
use super::vocabulary;
use crate::error::AppResult;
use crate::meetings::domain::State;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::current_user::CurrentUser;
use crate::web::pagination::Pager;

/// The feature's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/audit", web::get().to(list))
        .route("/audit/export.xlsx", web::get().to(export));
}

/// Rows in one export: enough for a year of a street's changes; narrower filters for more.
const EXPORT_LIMIT: i64 = 50_000;

/// GET /audit
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<AuditQuery>,
) -> AppResult<AuditListPage> {
    user.require_admin()?;
    let q = q.into_inner();
    let (filter, errors) = q.parse(state.tz);
    let scope = user.scope();
    let page = q.page.clone();
    let base_query = q.query_string();
    // Open-ended: a year of a district's log is ~200k rows, and counting them all on every view
    // cost far more than the page (counted up to a cap instead).
    let mut pager = Pager::open_ended("/audit", page.as_deref(), base_query);
    let (rows, pager) = crate::db::run(&state.pool, move |conn| {
        let mut rows = models::list(conn, scope.clone(), &filter, pager.offset(), pager.fetch())?;
        pager.settle(&mut rows, |cap| {
            models::count_upto(conn, scope, &filter, cap)
        })?;
        Ok((rows, pager))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let steps: Vec<&str> = crate::issues::domain::ACTIONS.map(|a| a.code()).to_vec();
    let states = [State::Draft, State::Held, State::Final].map(State::code);
    Ok(AuditListPage {
        actions: vocabulary::action_choices(ctx.lang, &steps, &states),
        entities: vocabulary::entity_choices(ctx.lang),
        ctx,
        q,
        errors,
        rows,
        pager,
    })
}

/// GET /audit/export.xlsx
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (filter, _) = q.parse(state.tz);
    let scope = user.scope();
    let rows = crate::db::run(&state.pool, move |conn| {
        models::list(conn, scope, &filter, 0, EXPORT_LIMIT)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let headers = [
        "audit.time",
        "audit.actor",
        "audit.ip",
        "audit.action",
        "audit.entity",
        "audit.entity_id",
        "audit.summary",
        "audit.before",
        "audit.after",
    ];
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            let (action, entity) = (
                vocabulary::action_label(ctx.lang, &r.action),
                entity_text(ctx.lang, &r),
            );
            vec![
                ctx.dt(&r.created_at),
                r.actor_name,
                r.ip,
                action,
                entity,
                r.entity_id.map(|i| i.to_string()).unwrap_or_default(),
                ctx.stored(&r.summary),
                r.before_json.unwrap_or_default(),
                r.after_json.unwrap_or_default(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(&ctx, "audit.xlsx", "audit", &headers, &rows)
}
