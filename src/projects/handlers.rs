//! Key-project handlers: the ledger (page, printout, export), a project's page, the project form.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::domain;
use super::forms::{ListQuery, ProjectForm, labelled};
use super::milestones::models as milestone_models;
use super::models::{self, Beside, Project, ProjectFields, ProjectUnit};
use super::pages::{
    COLUMNS, FormPage, LedgerRow, ListPage, ShowPage, class_choices, figures, level_choices,
    light_choices,
};
use super::reports::models::{self as report_models, Report};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::edit::record::{Change, Editor, On, Parsed, Written};
use crate::web::edit::{Labelled, Saved};
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

/// The project form (office staff; a project in their scope).
pub struct ProjectEditor;

impl Editor for ProjectEditor {
    type Record = Project;
    type Form = ProjectForm;
    type Fields = ProjectFields;
    type Data = Vec<ProjectUnit>;
    type Page = FormPage;
    const ENTITY: &'static str = ENTITY;
    const BASE: &'static str = "/projects";

    fn may_create(user: &CurrentUser) -> bool {
        may_create(user)
    }
    fn may_edit(user: &CurrentUser, p: &Project) -> bool {
        domain::may_edit(user, &p.scope_path)
    }
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Project> {
        models::get_scoped(conn, user, id)
    }
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<ProjectUnit>> {
        models::project_units(conn, user)
    }
    fn version(p: &Project) -> i32 {
        p.version
    }
    fn blank(on: &On<'_>, d: &Vec<ProjectUnit>) -> ProjectForm {
        ProjectForm {
            level: "street".into(),
            class: "urban".into(),
            plan_year: on.today.year().to_string(),
            unit_id: d.first().map(|u| u.id.to_string()).unwrap_or_default(),
            ..Default::default()
        }
    }
    fn form_of(p: &Project) -> ProjectForm {
        ProjectForm::from_project(p)
    }
    fn parse(
        f: &ProjectForm,
        d: &Vec<ProjectUnit>,
        _: &On<'_>,
        _: Option<&Project>,
    ) -> Parsed<ProjectFields> {
        f.parse(d)
    }
    fn labelled(f: &ProjectForm, _: &Vec<ProjectUnit>) -> Labelled {
        labelled(f)
    }
    fn named(f: &ProjectFields) -> (&str, &str) {
        (&f.name, &f.scope_path)
    }
    fn page(
        ctx: Ctx,
        f: ProjectForm,
        e: FormErrors,
        d: &Vec<ProjectUnit>,
        p: Option<&Project>,
    ) -> FormPage {
        FormPage::new(ctx, f, e, d, p)
    }
    fn insert(conn: &mut AnyConnection, f: &ProjectFields, _: &CurrentUser) -> AppResult<i32> {
        let id = models::insert(conn, f, db::now())?;
        milestone_models::seed_stages(conn, id, db::now())?;
        Ok(id)
    }
    fn update(conn: &mut AnyConnection, p: &Project, seen: i32, f: &ProjectFields) -> Written {
        models::update(conn, p.id, seen, f, db::now()).map(Saved::written)
    }
    fn audit<A: Serialize>(conn: &mut AnyConnection, c: &Change<'_, A>) -> AppResult<()> {
        crate::audit::change(conn, c)
    }
}
