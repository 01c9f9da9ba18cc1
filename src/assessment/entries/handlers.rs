//! An object's result with its entries: manual bonus or deduction, reversal.

use crate::auth::CurrentUser;
use crate::db::{self};
use crate::error::{AppError, AppResult};
use crate::web::csrf::{CsrfForm, random_token};
use crate::web::ctx::Ctx;
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::{Choice, FormErrors};
use crate::web::{AppState, render_ok, render_status};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::write;
use crate::assessment::domain::{may_manage, pts};
use crate::assessment::forms::{EntryForm, ReverseForm};
use crate::assessment::models;
use crate::assessment::pages::{ShowPage, grade_words, lines};

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
        move |conn| write::add(conn, &actor, uid, &r, &scheme, &inds, &new, seen),
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
        move |conn| write::reverse(conn, &actor, uid, &r, &scheme, &inds, &e, &reason, seen),
    )
    .await
}
