//! 量化考核 handlers: the ranking, compute and publish a month, its export and printed bulletin,
//! an object's result with its manual entries and reversals, my score.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;

use super::domain::{self, DRAFT, may_manage, pts};
use super::forms::{EntryForm, MonthForm, RankQuery, ReverseForm};
use super::models::{self, NewEntry};
use super::pages::{
    BulletinPage, ListPage, MePage, MeRow, Ranking, SchemeView, SchemesPage, ShowPage, grade_words,
    lines,
};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::domain::Kind;
use crate::org::models::OrgUnit;
use crate::web::csrf::{CsrfForm, random_token};
use crate::web::ctx::Ctx;
use crate::web::edit::{self, VersionedForm};
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
fn ranking(
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

/// GET /assessment/export.xlsx — the ranking with every scored indicator.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<RankQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today) = (user.clone(), q.into_inner(), state.today());
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q, today)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let mut headers: Vec<String> = ["assess.rank", "assess.object"]
        .iter()
        .map(|k| ctx.t(k))
        .collect();
    headers.extend(rk.leaves.iter().map(|i| format!("{} {}", i.code, i.name)));
    headers.extend(
        [
            "assess.bonus",
            "assess.deduction",
            "assess.total",
            "assess.grade_label",
            "assess.state_label",
        ]
        .iter()
        .map(|k| ctx.t(k)),
    );
    let rows: Vec<Vec<String>> = rk
        .rows(&ctx)
        .into_iter()
        .map(|r| {
            let mut v = vec![r.rank.to_string(), r.name];
            v.extend(r.scores);
            v.extend([r.bonus, r.deduction, r.total, r.grade, r.state]);
            v
        })
        .collect();
    crate::web::xlsx::respond_sheets(
        &format!("assessment-{}.xlsx", rk.period),
        &[crate::web::xlsx::Sheet {
            name: rk.period.clone(),
            headers,
            rows,
        }],
    )
}

/// GET /assessment/bulletin — the month's 考核通报, on A4.
pub async fn bulletin(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<RankQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today) = (user.clone(), q.into_inner(), state.today());
    let rk = db::run(&state.pool, move |conn| ranking(conn, &u, &q, today)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let title = ctx.ta("assess.bulletin_title", &[("month", rk.month_words(&ctx))]);
    let basis = rk.scheme.as_ref().map_or(String::new(), |s| {
        ctx.ta(
            "assess.bulletin_basis",
            &[("basis", s.basis.clone()), ("scheme", s.name.clone())],
        )
    });
    render_ok(&BulletinPage {
        rows: rk.rows(&ctx),
        title,
        basis,
        rk,
        ctx,
    })
}

/// What a result's page reads.
struct Loaded {
    r: models::AssessResult,
    scheme: models::Scheme,
    inds: Vec<models::Indicator>,
    entries: Vec<models::Entry>,
    names: std::collections::HashMap<i32, String>,
}

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let r = models::get_scoped(conn, &u, id)?;
        let scheme = models::scheme(conn, r.scheme_id)?;
        let inds = models::indicators(conn, r.scheme_id)?;
        let entries = models::entries(conn, r.id)?;
        let who: Vec<i32> = entries.iter().filter_map(|e| e.entered_by).collect();
        let names = models::user_names(conn, &who)?;
        Ok(Loaded {
            r,
            scheme,
            inds,
            entries,
            names,
        })
    })
    .await
}

fn show_page(ctx: Ctx, user: &CurrentUser, d: Loaded) -> ShowPage {
    let may_write = may_manage(user, &d.r.group_path) && !d.r.is_published();
    let manual_choices = d
        .inds
        .iter()
        .filter(|i| i.is_leaf() && i.is_manual())
        .map(|i| Choice::new(i.id, format!("{} {}", i.code, i.name)))
        .collect();
    let back = format!("/assessment?scheme={}&period={}", d.r.scheme_id, d.r.period);
    ShowPage {
        total: pts(d.r.total),
        grade: grade_words(&ctx, d.r.total, &d.scheme.bands),
        lines: lines(&ctx, &d.inds, &d.entries, &d.names, may_write),
        may_write,
        manual_choices,
        form: EntryForm {
            version: d.r.version.to_string(),
            form_token: random_token(),
            ..Default::default()
        },
        errors: FormErrors::new(),
        conflicts: Vec::new(),
        reverse: ReverseForm {
            version: d.r.version.to_string(),
            form_token: random_token(),
            ..Default::default()
        },
        reverse_of: 0,
        reverse_errors: FormErrors::new(),
        back,
        r: d.r,
        scheme: d.scheme,
        ctx,
    }
}

/// GET /assessment/results/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&show_page(ctx, &user, d))
}

/// Where a form's first submission led, when this is a repeat (a double click): the repeat goes
/// there too, before the version check that the first one moved on.
async fn repeated(state: &AppState, token: &str) -> AppResult<Option<String>> {
    let token = token.to_string();
    db::run(&state.pool, move |conn| {
        crate::web::idempotency::seen(conn, &token)
    })
    .await
}

/// Checks a write on a result: who (403), frozen (409).
fn writable(user: &CurrentUser, r: &models::AssessResult) -> AppResult<()> {
    if !may_manage(user, &r.group_path) {
        return Err(AppError::Forbidden);
    }
    if r.is_published() {
        return Err(AppError::Conflict);
    }
    Ok(())
}

/// POST /assessment/results/{id}/entries — a manual bonus or deduction with its reason and
/// evidence; once per form token; a stale form (the result moved on) is a 409 with both.
pub async fn create_entry(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<EntryForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let d = load(&state, &user, id).await?;
    writable(&user, &d.r)?;
    if let Some(done) = repeated(&state, &form.form_token).await? {
        return Ok(crate::web::see_other(&done));
    }
    let manual_ids: Vec<i32> = d
        .inds
        .iter()
        .filter(|i| i.is_leaf() && i.is_manual())
        .map(|i| i.id)
        .collect();
    let ctx = Ctx::build(&req, Some(user.clone()));
    let new = match form.parse(&manual_ids) {
        Ok(n) => n,
        Err(e) => {
            let mut p = show_page(ctx, &user, d);
            p.form = form;
            p.errors = e;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let seen = form.seen_version();
    if seen != d.r.version {
        let label = "assess.version";
        let (mine, theirs) = (
            [(label, seen.to_string())],
            [(label, d.r.version.to_string())],
        );
        let rows = edit::stale(&mut form, d.r.version, &mine, &theirs);
        let mut p = show_page(ctx, &user, d);
        p.form = form;
        p.conflicts = rows;
        return render_status(&p, StatusCode::CONFLICT);
    }
    let (actor, uid, r, scheme, inds) = (user.actor(), user.id, d.r, d.scheme, d.inds);
    edit::create(
        &state.pool,
        &session,
        (form.form_token.clone(), user.id),
        "assess.entry_flash",
        move |conn| {
            if !models::bump(conn, r.id, seen)? {
                return Err(AppError::Conflict);
            }
            let formula = if new.points > 0 {
                format!("+{}", pts(new.points))
            } else {
                pts(new.points)
            };
            let eid = models::insert_entry(
                conn,
                &NewEntry {
                    result_id: r.id,
                    indicator_id: new.indicator_id,
                    points: new.points,
                    figure: "",
                    formula: &formula,
                    source_url: "",
                    manual: true,
                    reason: &new.reason,
                    evidence: &new.evidence,
                    entered_by: Some(uid),
                    created_at: db::now(),
                    reverses: None,
                },
            )?;
            let total = models::retotal(conn, r.id, &scheme, &inds)?;
            models::rerank(conn, r.scheme_id, &r.period, &r.group_path)?;
            crate::audit::created(
                conn,
                &actor,
                "assess_entry",
                eid,
                &format!("{} {} {formula}", r.object_name, r.period),
                &serde_json::json!({
                    "result": r.id,
                    "indicator": new.indicator_id,
                    "points": formula,
                    "reason": new.reason,
                    "evidence": new.evidence,
                    "total": pts(total),
                }),
                &r.scope_path,
            )?;
            Ok(format!("/assessment/results/{}", r.id))
        },
    )
    .await
}

/// POST /assessment/results/{id}/entries/{entry}/reverse — takes a manual entry back with a
/// reversing entry and a reason: nothing is deleted.
pub async fn reverse(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<ReverseForm>,
) -> AppResult<HttpResponse> {
    let (id, entry_id) = path.into_inner();
    let form = form.0;
    let d = load(&state, &user, id).await?;
    writable(&user, &d.r)?;
    if let Some(done) = repeated(&state, &form.form_token).await? {
        return Ok(crate::web::see_other(&done));
    }
    let e = d
        .entries
        .iter()
        .find(|e| e.id == entry_id)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if !e.manual || e.reverses.is_some() || e.reversed_by.is_some() {
        return Err(AppError::Conflict);
    }
    let reason = form.reason.trim().to_string();
    if reason.is_empty() || reason.chars().count() > 500 {
        let mut errors = FormErrors::new();
        errors.add(
            "reason",
            if reason.is_empty() {
                "form.required"
            } else {
                "assess.error.too_long"
            },
        );
        let ctx = Ctx::build(&req, Some(user.clone()));
        let mut p = show_page(ctx, &user, d);
        p.reverse = form;
        p.reverse_of = entry_id;
        p.reverse_errors = errors;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let seen = crate::web::forms::version(&form.version);
    let (actor, uid, r, scheme, inds) = (user.actor(), user.id, d.r, d.scheme, d.inds);
    edit::create(
        &state.pool,
        &session,
        (form.form_token.clone(), user.id),
        "assess.reversed_flash",
        move |conn| {
            if !models::bump(conn, r.id, seen)? {
                return Err(AppError::Conflict);
            }
            let formula = format!("−({}) #{}", pts(e.points), e.id);
            let rid = models::insert_entry(
                conn,
                &NewEntry {
                    result_id: r.id,
                    indicator_id: e.indicator_id,
                    points: -e.points,
                    figure: "",
                    formula: &formula,
                    source_url: "",
                    manual: true,
                    reason: &reason,
                    evidence: &e.evidence,
                    entered_by: Some(uid),
                    created_at: db::now(),
                    reverses: Some(e.id),
                },
            )?;
            if !models::mark_reversed(conn, e.id, rid)? {
                return Err(AppError::Conflict);
            }
            let total = models::retotal(conn, r.id, &scheme, &inds)?;
            models::rerank(conn, r.scheme_id, &r.period, &r.group_path)?;
            crate::audit::record(
                conn,
                &actor,
                "assess_reverse",
                "assess_entry",
                Some(e.id),
                &format!("{} {} {}", r.object_name, r.period, pts(e.points)),
                Some(&serde_json::json!({"points": pts(e.points), "reason": e.reason})),
                Some(
                    &serde_json::json!({"reversed_by": rid, "reason": reason, "total": pts(total)}),
                ),
                &r.scope_path,
            )?;
            Ok(format!("/assessment/results/{}", r.id))
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

/// GET /assessment/schemes — the schemes serving the user's units with their indicator trees.
pub async fn schemes(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let all = db::run(&state.pool, move |conn| {
        let mut out = Vec::new();
        for s in models::schemes_seen(conn, &u)? {
            let inds = models::indicators(conn, s.id)?;
            out.push((s, inds));
        }
        Ok(out)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&SchemesPage {
        schemes: all
            .into_iter()
            .map(|(s, inds)| SchemeView::of(&ctx, s, &inds))
            .collect(),
        ctx,
    })
}
