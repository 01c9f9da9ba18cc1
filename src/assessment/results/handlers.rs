//! The ranking of a street's month: compute, publish, my score.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;

use crate::assessment::domain::{self, DRAFT, may_manage};
use crate::assessment::forms::{MonthForm, RankQuery};
use crate::assessment::models::{self};
use crate::assessment::pages::{ListPage, MePage, MeRow, Ranking};

use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::domain::Kind;
use crate::org::models::OrgUnit;
use crate::web::csrf::{CsrfForm, random_token};
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::{Choice, FormErrors};
use crate::web::{AppState, render_ok, render_status};

/// The street a ranking is for: the one asked for (in scope, else 404), else the user's own
/// street (the street on their path), else the first street in their scope.
fn street_of(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    unit: Option<i32>,
) -> AppResult<OrgUnit> {
    if let Some(id) = unit {
        let u = crate::org::models::get_scoped(conn, user, id)?;
        return match u.kind() {
            Kind::Street => Ok(u),
            _ => Err(AppError::NotFound),
        };
    }
    let ids: Vec<i32> = user
        .org_path
        .split('/')
        .filter_map(|s| s.parse().ok())
        .collect();
    if let Some(s) = crate::org::models::by_ids(conn, &ids)?
        .into_iter()
        .find(|u| u.kind() == Kind::Street)
    {
        return Ok(s);
    }
    let first = crate::org::models::units_of_kind(conn, &user.org_path, Kind::Street)?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound)?;
    crate::org::models::get(conn, first.id)
}

/// Reads a street's month: the scheme, its scored indicators, the results in the user's scope
/// with each indicator's points and the manual bonus and deductions.
pub fn ranking(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &RankQuery,
    today: chrono::NaiveDate,
) -> AppResult<Ranking> {
    let street = street_of(conn, user, q.unit_id())?;
    let schemes = models::schemes_for(conn, &street.path)?;
    let scheme = match q.scheme_id() {
        Some(id) => Some(
            schemes
                .iter()
                .find(|s| s.id == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
        None => schemes.first().cloned(),
    };
    let period = q.period_or(models::last_month(today));
    let streets = crate::org::models::units_of_kind(conn, &user.org_path, Kind::Street)?
        .iter()
        .map(|u| u.choice())
        .collect();
    let (mut leaves, mut results, mut scores, mut manual) = (
        Vec::new(),
        Vec::new(),
        Default::default(),
        Default::default(),
    );
    if let Some(s) = &scheme {
        let inds = models::indicators(conn, s.id)?;
        results = models::results(conn, user, s.id, &period, &street.path)?;
        let scored = models::scored(conn, &inds, &results)?;
        scores = scored.0;
        manual = scored.1;
        leaves = inds.into_iter().filter(|i| i.is_leaf()).collect();
    }
    Ok(Ranking {
        schemes,
        scheme,
        leaves,
        street_id: street.id,
        street_name: street.name,
        street_path: street.path,
        streets,
        period,
        results,
        scores,
        manual,
    })
}

fn list_page(
    ctx: Ctx,
    user: &CurrentUser,
    rk: Ranking,
    q: RankQuery,
    errors: FormErrors,
) -> ListPage {
    let scheme_choices = rk
        .schemes
        .iter()
        .map(|s| Choice::new(s.id, format!("{} (v{})", s.name, s.version)))
        .collect();
    ListPage {
        rows: rk.rows(&ctx),
        may_manage: may_manage(user, &rk.street_path) && rk.scheme.is_some(),
        scheme_choices,
        form_token: random_token(),
        errors,
        q,
        rk,
        ctx,
    }
}

/// GET /assessment
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<RankQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (u, q2, today) = (user.clone(), q.clone(), state.today());
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q2, today)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&list_page(ctx, &user, rk, q, FormErrors::new()))
}

/// The month of a compute or publish form, checked: a month, not after this one.
fn month_of(form: &MonthForm, today: chrono::NaiveDate) -> Result<String, FormErrors> {
    let mut e = FormErrors::new();
    let Some(first) = crate::issues::figures::domain::parse_month(&form.period) else {
        e.add("period", "assess.error.period");
        return Err(e);
    };
    if (first.year(), first.month()) > (today.year(), today.month()) {
        e.add("period", "assess.error.future");
        return Err(e);
    }
    Ok(first.format("%Y-%m").to_string())
}

/// Reads the street and scheme a month form names and checks who may act on it.
async fn month_target(
    state: &AppState,
    user: &CurrentUser,
    form: &MonthForm,
) -> AppResult<(OrgUnit, models::Scheme)> {
    let (u, q) = (user.clone(), form.query());
    let (street, scheme) = db::run(&state.pool, move |conn| {
        let street = street_of(conn, &u, q.unit_id())?;
        let schemes = models::schemes_for(conn, &street.path)?;
        let scheme = schemes
            .into_iter()
            .find(|s| Some(s.id) == q.scheme_id())
            .ok_or(AppError::NotFound)?;
        Ok((street, scheme))
    })
    .await?;
    if !may_manage(user, &street.path) {
        return Err(AppError::Forbidden);
    }
    Ok((street, scheme))
}

async fn month_refused(
    req: &HttpRequest,
    state: &AppState,
    user: &CurrentUser,
    form: &MonthForm,
    errors: FormErrors,
) -> AppResult<HttpResponse> {
    let (u, q, today) = (user.clone(), form.query(), state.today());
    let mut q0 = q.clone();
    q0.period = String::new();
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q0, today)).await?;
    let ctx = Ctx::build(req, Some(user.clone()));
    render_status(
        &list_page(ctx, user, rk, q, errors),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}

/// POST /assessment/compute — computes (or recomputes) a street's draft month; a published
/// month is frozen (409).
pub async fn compute(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<MonthForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let (street, scheme) = month_target(&state, &user, &form).await?;
    let period = match month_of(&form, state.today()) {
        Ok(p) => p,
        Err(e) => return month_refused(&req, &state, &user, &form, e).await,
    };
    let (actor, tz, today, now) = (user.actor(), state.tz, state.today(), db::now());
    edit::create(
        &state.pool,
        &session,
        (form.form_token.clone(), user.id),
        "assess.computed_flash",
        move |conn| {
            let n = models::compute(conn, &scheme, &street, &period, now, today, tz)?;
            crate::audit::record(
                conn,
                &actor,
                "assess_compute",
                "assess_result",
                None,
                &format!("{} {} {}", street.name, period, scheme.name),
                None::<&()>,
                Some(&serde_json::json!({"scheme": scheme.id, "period": period, "results": n})),
                &street.path,
            )?;
            Ok(format!(
                "/assessment?scheme={}&period={period}&unit={}",
                scheme.id, street.id
            ))
        },
    )
    .await
}

/// POST /assessment/publish — publishes a street's draft month: from then on it is frozen.
pub async fn publish(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<MonthForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let (street, scheme) = month_target(&state, &user, &form).await?;
    let period = match month_of(&form, state.today()) {
        Ok(p) => p,
        Err(e) => return month_refused(&req, &state, &user, &form, e).await,
    };
    let (actor, uid) = (user.actor(), user.id);
    edit::create(
        &state.pool,
        &session,
        (form.form_token.clone(), user.id),
        "assess.published_flash",
        move |conn| {
            let n = models::publish(conn, scheme.id, &period, &street.path, uid, db::now())?;
            if n == 0 {
                return Err(AppError::Conflict);
            }
            crate::audit::record(
                conn,
                &actor,
                "assess_publish",
                "assess_result",
                None,
                &format!("{} {} {}", street.name, period, scheme.name),
                Some(&serde_json::json!({"state": DRAFT})),
                Some(&serde_json::json!({"state": domain::PUBLISHED, "results": n})),
                &street.path,
            )?;
            Ok(format!(
                "/assessment?scheme={}&period={period}&unit={}",
                scheme.id, street.id
            ))
        },
    )
    .await
}

/// GET /assessment/me — the results of my grids, newest month first.
pub async fn me(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let results = db::run(&state.pool, move |conn| {
        let grids: Vec<i32> = crate::patrols::models::my_grids(conn, &u)?
            .iter()
            .map(|g| g.id)
            .collect();
        models::results_of_objects(conn, &grids)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&MePage {
        rows: results.iter().map(|r| MeRow::of(&ctx, r)).collect(),
        ctx,
    })
}
