//! Summary handlers: the page and its workbook, read through a stamped cache.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::domain::{Summary, compute};
use super::forms::SummaryQuery;
use super::models as q;
use super::pages::{ShowPage, kind_choices, sheets};
use crate::auth::{CurrentUser, Role};
use crate::db::{self, stamped::StampedCache};
use crate::error::{AppError, AppResult};
use crate::party::branches::models::{self as branch_models, Branch};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::{AppState, render_ok};

fn may_read(user: &CurrentUser) -> bool {
    matches!(
        user.role,
        Role::Clerk | Role::Leader | Role::Admin | Role::BranchSecretary
    )
}

/// Summaries by (branches, year, quarter, today) until an activity is recorded or an audited
/// change is made (see `crate::db::stamped`): a district's summary folds ~25,000 rows of a year.
#[derive(Default)]
pub struct Cache(StampedCache<CacheKey, Vec<Option<i32>>, Summary>);

/// The branches' ids, the year, the quarter, today.
type CacheKey = (Vec<i32>, i32, Option<u32>, NaiveDate);

/// The summary of `branches` for a year (and quarter) as it stands on `today`, from the cache
/// while no activity or audited change has been written since (the cockpit reads it too).
pub fn summary(
    conn: &mut crate::db::AnyConnection,
    cache: &Cache,
    branches: Vec<Branch>,
    year: i32,
    quarter: Option<u32>,
    today: NaiveDate,
) -> AppResult<Arc<Summary>> {
    let key = (
        branches.iter().map(|b| b.id).collect(),
        year,
        quarter,
        today,
    );
    cache.0.get_or_load(key, q::stamp(conn)?, || {
        let raw = q::read(conn, branches, year, today)?;
        Ok(compute(raw, year, quarter, today))
    })
}

/// The summary asked for: the branches of the unit (or the user's scope) and their rows.
async fn load(
    state: &AppState,
    cache: web::Data<Cache>,
    user: &CurrentUser,
    query: &SummaryQuery,
) -> AppResult<(Arc<Summary>, String, Vec<Choice>, FormErrors)> {
    if !may_read(user) {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let mut errors = FormErrors::new();
    let (year, quarter) = query.period(today, &mut errors);
    let (u, unit) = (user.clone(), query.unit.trim().parse::<i32>().ok());
    let (s, unit_name, units) = db::run(&state.pool, move |conn| {
        let mut f = branch_models::Filter::default();
        let unit_name = match unit {
            Some(id) => {
                let unit = crate::org::models::get_scoped(conn, &u, id)?;
                f.unit_path = Some(unit.path);
                unit.name
            }
            None => u.org_name.clone(),
        };
        let branches: Vec<Branch> = branch_models::list(conn, &u, &f)?
            .into_iter()
            .filter(|b| b.active)
            .collect();
        let units = crate::org::models::unit_options(conn, &u, false)?
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect::<Vec<_>>();
        let s = summary(conn, &cache, branches, year, quarter, today)?;
        Ok((s, unit_name, units))
    })
    .await?;
    Ok((s, unit_name, units, errors))
}

/// GET /party/summary
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    query: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (s, unit_name, units, errors) = load(&state, cache, &user, &query).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage {
        kinds: kind_choices(&ctx),
        export_query: query.base(),
        q: query,
        s,
        unit_name,
        units,
        errors,
        ctx,
    })
}

/// GET /party/summary/export.xlsx — the summary's tables as sheets.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    cache: web::Data<Cache>,
    query: web::Query<SummaryQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (s, _, _, _) = load(&state, cache, &user, &query).await?;
    let ctx = Ctx::build(&req, Some(user));
    crate::web::xlsx::respond_sheets("party-summary.xlsx", &sheets(&ctx, &s))
}
