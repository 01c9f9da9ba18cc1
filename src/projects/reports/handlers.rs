//! Monthly report handlers: the form and filing a report (or a reasoned correction).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::Datelike;

use super::forms::ReportForm;
use super::models::{self, ReportFields};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::projects::domain;
use crate::projects::models::{self as project_models, Project};
use crate::projects::pages::ReportPage;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's name for a monthly report.
const ENTITY: &str = "project_report";

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Project> {
    let u = user.clone();
    let p = db::run(&state.pool, move |conn| {
        project_models::get_scoped(conn, &u, id)
    })
    .await?;
    if !domain::may_edit(user, &p.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok(p)
}

/// GET /projects/{id}/reports/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let p = load(&state, &user, path.into_inner()).await?;
    let today = state.today();
    let form = ReportForm {
        month: format!("{}-{:02}", today.year(), today.month()),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ReportPage::new(ctx, &p, form, FormErrors::new()))
}

/// POST /projects/{id}/reports — a month reported once; a second entry for it is a correction
/// and needs its reason.
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<ReportForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let p = load(&state, &user, id).await?;
    let invalid = |form: ReportForm, e| {
        edit::invalid(&ReportPage::new(
            Ctx::build(&req, Some(user.clone())),
            &p,
            form,
            e,
        ))
    };
    let r = match form.parse(state.today()) {
        Ok(r) => r,
        Err(e) => return invalid(form, e),
    };
    let (y, m) = (r.year, r.month);
    let earlier = db::run(&state.pool, move |conn| {
        models::latest_of_month(conn, id, y, m)
    })
    .await?;
    if earlier.is_some() && r.reason.is_empty() {
        let mut e = FormErrors::new();
        e.add("reason", "projects.month_locked");
        return invalid(form, e);
    }
    let fields = ReportFields {
        project_id: id,
        year: r.year,
        month: r.month,
        done_cents: r.done_cents,
        progress: r.progress,
        problems: r.problems,
        corrects_id: earlier,
        reason: r.reason,
        reported_by: user.id,
    };
    let actor = user.actor();
    let (scope, name) = (p.scope_path.clone(), format!("{} · {y}-{m:02}", p.name));
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let rid = models::insert(conn, &fields, db::now())?;
        crate::audit::created(conn, &actor, ENTITY, rid, &name, &fields, &scope)?;
        Ok(format!("/projects/{id}#reports"))
    })
    .await
}
