//! Key-project handlers: the ledger (page, printout, export), a project's page, the project form.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::domain::{self, Rule, Schedule};
use super::forms::{ListQuery, ProjectForm, labelled};
use super::models::{self, Project, ProjectUnit};
use super::pages::{
    COLUMNS, Figures, FormPage, LedgerRow, ListPage, ShowPage, class_choices, level_choices,
    light_choices,
};
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

/// A project's figures as of `today`.
fn figures(p: &Project, today: NaiveDate) -> Figures {
    let months = domain::months_elapsed(p.plan_year, today);
    let s = Schedule::new(0, p.year_plan_cents, months);
    let light = domain::light_now(&Rule::default(), &s, p.planned_start, p.actual_start, today);
    Figures {
        months,
        light,
        ..Figures::default()
    }
}

/// The ledger's rows in scope with the filters, and the responsible units' names.
async fn ledger(
    state: &AppState,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(Vec<Project>, HashMap<i32, String>)> {
    let (u, q) = (user.clone(), q.clone());
    db::run(&state.pool, move |conn| {
        let f = models::Filter {
            unit_path: crate::org::models::unit_filter(conn, &u, &q.unit)?,
            level: q.level(),
            class: q.class(),
            name: q.name(),
        };
        let rows = models::list(conn, &u, &f)?;
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|p| p.unit_id))?;
        Ok((rows, names))
    })
    .await
}

fn rows(
    ctx: &Ctx,
    q: &ListQuery,
    ps: &[Project],
    names: &HashMap<i32, String>,
    today: NaiveDate,
) -> Vec<LedgerRow> {
    let light = q.light();
    ps.iter()
        .map(|p| {
            let unit = names.get(&p.unit_id).map(String::as_str).unwrap_or("");
            LedgerRow::of(ctx, p, unit, &figures(p, today))
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
    let (ps, names) = ledger(state, &user, &q).await?;
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
    let rows = rows(&ctx, &q, &ps, &names, today);
    let period = ctx.ta(
        "projects.period",
        &[
            ("year", chrono::Datelike::year(&today).to_string()),
            ("month", chrono::Datelike::month(&today).to_string()),
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
    let (ps, names) = ledger(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows(&ctx, &q, &ps, &names, state.today())
        .iter()
        .enumerate()
        .map(|(i, r)| r.cells(i + 1))
        .collect();
    crate::web::xlsx::respond(&ctx, "projects.xlsx", "projects", &COLUMNS, &out)
}

/// GET /projects/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (p, unit) = db::run(&state.pool, move |conn| {
        let p = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, p.unit_id)?.name;
        Ok((p, unit))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let row = LedgerRow::of(&ctx, &p, &unit, &figures(&p, state.today()));
    render_ok(&ShowPage {
        may_edit: domain::may_edit(&user, &p.scope_path),
        row,
        p,
        ctx,
    })
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
        plan_year: chrono::Datelike::year(&state.today()).to_string(),
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
