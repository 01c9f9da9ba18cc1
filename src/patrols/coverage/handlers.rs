//! GET /patrols/coverage and its export: read the query, fetch the cached figures, render.

use std::sync::Arc;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::domain::CoverageData;
use super::forms::{CoverageQuery, Params, parse};
use super::models::Cache;
use super::pages::{CoveragePage, Labels, share, sheets};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::models::{OrgUnit, UnitOption};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::respond_sheets;
use crate::web::{AppState, render_status};

/// Everything the page and the export show.
struct Coverage {
    unit: OrgUnit,
    p: Params,
    errors: FormErrors,
    units: Vec<Choice>,
    today: NaiveDate,
    d: Arc<CoverageData>,
}

/// The unit box: the units in scope above the grids, and this unit (after its community) when
/// it is a grid.
fn unit_choices(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    unit: &OrgUnit,
) -> AppResult<Vec<Choice>> {
    let mut options = crate::org::models::unit_options(conn, user, false)?;
    if unit.kind == "grid" {
        let at = options
            .iter()
            .position(|o| Some(o.id) == unit.parent_id)
            .map_or(options.len(), |i| i + 1);
        let grid = UnitOption {
            id: unit.id,
            parent_id: unit.parent_id,
            name: unit.name.clone(),
            depth: unit.depth,
            kind: unit.kind.clone(),
            sort_order: unit.sort_order,
        };
        options.insert(at, grid);
    }
    Ok(options.iter().map(UnitOption::choice).collect())
}

/// The unit (in scope, else 404), the query as used and the figures.
async fn fetch(
    user: &CurrentUser,
    state: &AppState,
    cache: web::Data<Cache>,
    q: CoverageQuery,
) -> AppResult<Coverage> {
    let (u, today, default_idle) = (user.clone(), state.today(), state.settings.patrol_idle_days);
    db::run(&state.pool, move |conn| {
        let unit_id = q.unit.trim().parse::<i32>().unwrap_or(u.org_unit_id);
        let unit = crate::org::models::get_scoped(conn, &u, unit_id)?;
        let (p, errors) = parse(&q, today, default_idle);
        let d = cache.get(conn, &unit, (unit.id, p.from, p.to, p.idle, today))?;
        Ok(Coverage {
            units: unit_choices(conn, &u, &unit)?,
            unit,
            p,
            errors,
            today,
            d,
        })
    })
    .await
}

/// GET /patrols/coverage
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let mut q = q.into_inner();
    let c = fetch(&user, &state, cache, q.clone()).await?;
    let ctx = Ctx::build(&req, Some(user));
    if q.unit.trim().parse::<i32>().is_err() {
        q.unit = c.unit.id.to_string();
    }
    let status = if c.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = CoveragePage {
        export_query: format!(
            "unit={}&from={}&to={}&idle={}",
            c.unit.id, c.p.from, c.p.to, c.p.idle
        ),
        period: ctx.ta(
            "coverage.period",
            &[
                ("from", ctx.date(&c.p.from)),
                ("to", ctx.date(&c.p.to)),
                ("today", ctx.date(&c.today)),
            ],
        ),
        summary_today: ctx.ta(
            "coverage.summary_today",
            &[("share", share(c.d.patrolled_today, c.d.grids))],
        ),
        summary_week: ctx.ta(
            "coverage.summary_week",
            &[
                ("share", share(c.d.full_week, c.d.grids)),
                ("days", c.d.working_days.to_string()),
            ],
        ),
        l: Labels::new(&ctx, &c.d),
        ctx,
        q,
        unit: c.unit,
        p: c.p,
        errors: c.errors,
        units: c.units,
        d: c.d,
    };
    render_status(&page, status)
}

/// GET /patrols/coverage/export.xlsx — the page's four tables, one sheet each.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    q: web::Query<CoverageQuery>,
) -> AppResult<HttpResponse> {
    let c = fetch(&user, &state, cache, q.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    respond_sheets("patrol-coverage.xlsx", &sheets(&ctx, &c.d))
}
