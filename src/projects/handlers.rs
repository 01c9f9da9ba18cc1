//! Key-project handlers: the ledger (page, printout, export), a project's page, the project form.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};

use super::domain;
use super::forms::{ListQuery, ProjectForm, labelled};
use super::milestones::models as milestone_models;
use super::models::{self, Beside, Project, ProjectUnit};
use super::pages::{
    COLUMNS, FormPage, LedgerRow, ListPage, ShowPage, class_choices, figures, level_choices,
    light_choices,
};
use super::reports::models::{self as report_models, Report};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::list::ListParams;
use crate::web::{AppState, render_ok};

/// The audit log's name for a project.
const ENTITY: &str = "project";

fn may_create(user: &CurrentUser) -> bool {
    user.role.is_office_staff()
}

/// The ledger's rows in scope with the filters, and the responsible units' names.
async fn ledger(
    state: &AppState,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(Vec<Project>, Beside)> {
    let (u, q) = (user.clone(), q.clone());
    let year = state.today().year();
    db::run(&state.pool, move |conn| {
        let f = models::Filter {
            unit_path: crate::org::models::unit_filter(conn, &u, &q.unit)?,
            level: q.level(),
            class: q.class(),
            name: q.name(),
        };
        let rows = models::list(conn, &u, &f)?;
        let b = models::beside(conn, &rows, year)?;
        Ok((rows, b))
    })
    .await
}

fn rows(ctx: &Ctx, q: &ListQuery, ps: &[Project], b: &Beside, today: NaiveDate) -> Vec<LedgerRow> {
    let light = q.light();
    ps.iter()
        .map(|p| {
            let unit = b.names.get(&p.unit_id).map(String::as_str).unwrap_or("");
            let reports: Vec<&Report> = b
                .reports
                .get(&p.id)
                .map(|v| v.iter().collect())
                .unwrap_or_default();
            let stages = b.stages.get(&p.id).map(Vec::as_slice).unwrap_or(&[]);
            LedgerRow::of(ctx, p, unit, &figures(p, today, &reports, stages))
        })
        .filter(|r| light.as_deref().is_none_or(|l| l == r.light))
        .collect()
}

async fn list_page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    q: ListQuery,
) -> AppResult<ListPage> {
    let (ps, b) = ledger(state, &user, &q).await?;
    let u = user.clone();
    let units = db::run(&state.pool, move |conn| {
        Ok(crate::org::models::unit_options(conn, &u, false)?
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect::<Vec<_>>())
    })
    .await?;
    let ctx = Ctx::build(req, Some(user.clone()));
    let today = state.today();
    let rows = rows(&ctx, &q, &ps, &b, today);
    let period = ctx.ta(
        "projects.period",
        &[
            ("year", today.year().to_string()),
            ("month", today.month().to_string()),
        ],
    );
    Ok(ListPage {
        levels: level_choices(&ctx),
        classes: class_choices(&ctx),
        lights: light_choices(&ctx),
        export_query: q.base(),
        may_create: may_create(&user),
        rows,
        units,
        period,
        q,
        ctx,
    })
}

/// GET /projects — the ledger in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&list_page(&req, user, &state, q.into_inner()).await?)
}

/// GET /projects/print — the same ledger, laid out for landscape A4.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&list_page(&req, user, &state, q.into_inner()).await?)
}

/// GET /projects/export.xlsx — the ledger with its filters.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (ps, b) = ledger(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows(&ctx, &q, &ps, &b, state.today())
        .iter()
        .enumerate()
        .map(|(i, r)| r.cells(i + 1))
        .collect();
    crate::web::xlsx::respond(&ctx, "projects.xlsx", "projects", &COLUMNS, &out)
}

/// GET /projects/{id} — the project with its milestones, monthly reports (and chart) and
/// approvals.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (p, unit, milestones, reports) = db::run(&state.pool, move |conn| {
        let p = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, p.unit_id)?.name;
        let milestones = milestone_models::of_project(conn, id)?;
        let reports = report_models::of_project(conn, id)?;
        Ok((p, unit, milestones, reports))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let today = state.today();
    let under_way: Vec<(String, String)> = milestones
        .iter()
        .filter(|m| m.status != "pending")
        .map(|m| (m.stage.clone(), m.status.clone()))
        .collect();
    let refs: Vec<&Report> = reports.iter().collect();
    let row = LedgerRow::of(&ctx, &p, &unit, &figures(&p, today, &refs, &under_way));
    render_ok(&ShowPage::new(
        ctx,
        domain::may_edit(&user, &p.scope_path),
        row,
        p,
        milestones,
        reports,
    ))
}

fn units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<ProjectUnit>> {
    models::project_units(conn, user)
}

/// GET /projects/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| units(conn, &u)).await?;
    let form = ProjectForm {
        level: "street".into(),
        class: "urban".into(),
        plan_year: state.today().year().to_string(),
        unit_id: d.first().map(|u| u.id.to_string()).unwrap_or_default(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, None))
}

/// POST /projects
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<ProjectForm>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| units(conn, &u)).await?;
    let fields = match form.parse(&d) {
        Ok(f) => f,
        Err(e) => {
            return edit::invalid(&FormPage::new(
                Ctx::build(&req, Some(user)),
                form,
                e,
                &d,
                None,
            ));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, db::now())?;
        milestone_models::seed_stages(conn, id, db::now())?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::created(conn, &actor, ENTITY, id, name, &fields, scope)?;
        Ok(format!("/projects/{id}"))
    })
    .await
}

/// The project if the user may edit it, with the units the form offers.
async fn load_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Project, Vec<ProjectUnit>)> {
    let u = user.clone();
    let (p, d) = db::run(&state.pool, move |conn| {
        Ok((models::get_scoped(conn, &u, id)?, units(conn, &u)?))
    })
    .await?;
    if !domain::may_edit(user, &p.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((p, d))
}

/// GET /projects/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (p, d) = load_for_edit(&state, &user, path.into_inner()).await?;
    let form = ProjectForm::from_project(&p);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, Some(&p)))
}

/// POST /projects/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<ProjectForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let (p, d) = load_for_edit(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&d) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), form, e, &d, Some(&p))),
    };
    let before = labelled_json(&labelled(&ProjectForm::from_project(&p)));
    let after = labelled_json(&labelled(&form));
    let (u, seen) = (user.clone(), form.seen_version());
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::get_scoped(conn, &u, id)?));
        }
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::updated(conn, &u.actor(), ENTITY, id, name, &before, &after, scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/projects/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&ProjectForm::from_project(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut page = FormPage::new(ctx(), form, e, &d, Some(latest.as_ref().unwrap_or(&p)));
        page.conflicts = conflicts.unwrap_or_default();
        page
    })
}
