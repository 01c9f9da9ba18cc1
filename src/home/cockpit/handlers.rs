//! GET / for leaders and admins (dispatched from `home`) and GET /brief.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};

use super::models::{Cache, Figures, Shared, When};
use super::pages::{BriefPage, CockpitPage, View};
use crate::auth::{CurrentUser, Role};
use crate::db;
use crate::error::{AppError, AppResult};
use crate::home::admin::AdminStatus;
use crate::issues::models::{Todo, TodoCache};
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};

/// Leaders and admins have the cockpit as their home and print its brief.
pub fn is_for(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Leader | Role::Admin)
}

/// App data registered by the features' routes.
fn data<T: 'static>(req: &HttpRequest) -> AppResult<web::Data<T>> {
    req.app_data::<web::Data<T>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("cockpit: app data missing".into()))
}

/// The cached figures of the user's unit, their approvals waiting, and today.
async fn figures(req: &HttpRequest, user: &CurrentUser) -> AppResult<Read> {
    let state = data::<AppState>(req)?;
    let (cache, todos) = (data::<Cache>(req)?, data::<TodoCache>(req)?);
    let coverage = data::<crate::patrols::coverage::Cache>(req)?;
    let week = data::<crate::meetings::week::models::WeekCache>(req)?;
    let party = data::<crate::party::summary::handlers::Cache>(req)?;
    let when = When {
        now: db::now(),
        today: state.today(),
        tz: state.tz,
    };
    let (u, idle_days) = (user.clone(), state.settings.patrol_idle_days);
    db::run(&state.pool, move |conn| {
        let shared = Shared {
            coverage: &coverage,
            week: &week,
            party: &party,
            idle_days,
        };
        let f = cache.get(conn, &u, &shared, when)?;
        let approvals = todos
            .counts(conn, &u, when.now)?
            .into_iter()
            .find(|(t, _)| *t == Todo::Approve)
            .map_or(0, |(_, n)| n);
        let admin = (u.role == Role::Admin).then(|| f.admin.clone());
        Ok(Read {
            f,
            approvals,
            today: when.today,
            admin,
        })
    })
    .await
}

/// What a view of the cockpit reads.
struct Read {
    f: Arc<Figures>,
    approvals: i64,
    today: chrono::NaiveDate,
    admin: Option<AdminStatus>,
}

/// GET / — the cockpit (leaders and admins; `home` dispatches).
pub async fn show(req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    let r = figures(&req, &user).await?;
    let ctx = Ctx::build(&req, Some(user));
    let v = View::new(&ctx, r.f, r.approvals, r.today);
    render_ok(&CockpitPage {
        ctx,
        v,
        admin: r.admin,
    })
}

/// GET /brief — the week's one-page brief, for printing.
pub async fn brief(req: HttpRequest, user: CurrentUser) -> AppResult<HttpResponse> {
    if !is_for(&user) {
        return Err(AppError::Forbidden);
    }
    let r = figures(&req, &user).await?;
    let ctx = Ctx::build(&req, Some(user));
    let v = View::new(&ctx, r.f, r.approvals, r.today);
    let period = format!("{} – {}", ctx.date(&v.monday), ctx.date(&v.sunday));
    render_ok(&BriefPage { ctx, v, period })
}
