//! Command handlers: the commands (page, export), the command form, the summary (page, A4
//! printout, export) and the group form.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain;
use super::forms::{CommandForm, GroupForm, ProjectChoice, labelled};
use super::models::{self, Command};
use super::pages::{
    CommandRow, FormPage, GroupPage, LIST_COLUMNS, ListPage, SUMMARY_COLUMNS, ShowPage, SummaryRow,
    summary_rows,
};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's names.
const ENTITY: &str = "demolition_command";
const GROUP: &str = "demolition_group";

/// The projects in the user's scope a command can be for.
pub fn projects(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<ProjectChoice>> {
    let f = crate::projects::models::Filter {
        unit_path: None,
        level: None,
        class: None,
        name: None,
    };
    Ok(crate::projects::models::list(conn, user, &f)?
        .into_iter()
        .map(|p| (p.id, p.name, p.scope_path))
        .collect())
}

async fn rows(state: &AppState, user: &CurrentUser) -> AppResult<Vec<CommandRow>> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let names: HashMap<i32, String> = projects(conn, &u)?
            .into_iter()
            .map(|p| (p.0, p.1))
            .collect();
        let mut out = Vec::new();
        for c in models::list(conn, &u)? {
            let mut sum = domain::Tally::default();
            models::tallies(conn, c.id)?
                .values()
                .for_each(|t| sum.add(t));
            let total = SummaryRow::of(c.id, "", "", "", &sum);
            let project = names.get(&c.project_id).cloned().unwrap_or_default();
            out.push(CommandRow { c, project, total });
        }
        Ok(out)
    })
    .await
}

/// GET /campaigns/demolition — the commands in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let rows = rows(&state, &user).await?;
    let may_create = user.role.is_office_staff();
    render_ok(&ListPage {
        ctx: Ctx::build(&req, Some(user)),
        rows,
        may_create,
    })
}

/// GET /campaigns/demolition/export.xlsx
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    let out: Vec<Vec<String>> = rows(&state, &user)
        .await?
        .iter()
        .map(|r| r.cells())
        .collect();
    let ctx = Ctx::build(&req, Some(user));
    crate::web::xlsx::respond(&ctx, "demolition.xlsx", "demolition", &LIST_COLUMNS, &out)
}

/// GET /campaigns/demolition/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !user.role.is_office_staff() {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let ps = db::run(&state.pool, move |conn| projects(conn, &u)).await?;
    let form = CommandForm {
        project_id: ps.first().map(|p| p.0.to_string()).unwrap_or_default(),
        started_on: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &ps, None))
}

/// POST /campaigns/demolition
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<CommandForm>,
) -> AppResult<HttpResponse> {
    if !user.role.is_office_staff() {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let u = user.clone();
    let ps = db::run(&state.pool, move |conn| projects(conn, &u)).await?;
    let fields = match form.parse(&ps) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&FormPage::new(ctx, form, e, &ps, None));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, db::now())?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::created(conn, &actor, ENTITY, id, name, &fields, scope)?;
        Ok(format!("/campaigns/demolition/{id}"))
    })
    .await
}

/// The command in scope; with `write`, 403 unless the user may keep it.
pub async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    write: bool,
) -> AppResult<Command> {
    let u = user.clone();
    let c = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    if write && !domain::may_write(user, &c.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

/// GET /campaigns/demolition/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let u = user.clone();
    let ps = db::run(&state.pool, move |conn| projects(conn, &u)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let form = CommandForm::from_command(&c);
    render_ok(&FormPage::new(
        ctx,
        form,
        FormErrors::new(),
        &ps,
        Some(c.id),
    ))
}

/// POST /campaigns/demolition/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<CommandForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let c = load(&state, &user, id, true).await?;
    let u = user.clone();
    let ps = db::run(&state.pool, move |conn| projects(conn, &u)).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&ps) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), form, e, &ps, Some(id))),
    };
    let before = labelled_json(&labelled(&CommandForm::from_command(&c)));
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
    let done = format!("/campaigns/demolition/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&CommandForm::from_command(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut page = FormPage::new(ctx(), form, e, &ps, Some(id));
        page.conflicts = conflicts.unwrap_or_default();
        page
    })
}

async fn summary(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    id: i32,
) -> AppResult<ShowPage> {
    let u = user.clone();
    let (c, project, groups, tallies) = db::run(&state.pool, move |conn| {
        let c = models::get_scoped(conn, &u, id)?;
        let project = crate::projects::models::get_scoped(conn, &u, c.project_id)?.name;
        let groups = models::groups(conn, id)?;
        let tallies = models::tallies(conn, id)?;
        Ok((c, project, groups, tallies))
    })
    .await?;
    let may = domain::may_write(&user, &c.scope_path);
    let ctx = Ctx::build(req, Some(user));
    let rows = summary_rows(&groups, &tallies);
    Ok(ShowPage::new(ctx, c, project, rows, state.today(), may))
}

/// GET /campaigns/demolition/{id} — the command summary per group and in total.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_ok(&summary(&req, user, &state, path.into_inner()).await?)
}

/// GET /campaigns/demolition/{id}/print — the summary laid out for A4.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_ok(&summary(&req, user, &state, path.into_inner()).await?)
}

/// GET /campaigns/demolition/{id}/export.xlsx — the summary's rows and the total.
pub async fn export_summary(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let page = summary(&req, user, &state, path.into_inner()).await?;
    let mut out: Vec<Vec<String>> = page.rows.iter().map(|r| r.cells(page.days)).collect();
    let mut total = page.total.cells(page.days);
    total[0] = page.ctx.t("demolition.total");
    out.push(total);
    crate::web::xlsx::respond(
        &page.ctx,
        "demolition-summary.xlsx",
        "summary",
        &SUMMARY_COLUMNS,
        &out,
    )
}

/// GET /campaigns/demolition/{id}/groups/new
pub async fn group_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let form = GroupForm {
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&GroupPage {
        ctx,
        c,
        form,
        errors: FormErrors::new(),
    })
}

/// POST /campaigns/demolition/{id}/groups
pub async fn create_group(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<GroupForm>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let form = form.0;
    let fields = match form.parse(c.id) {
        Ok(f) => f,
        Err(errors) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&GroupPage {
                ctx,
                c,
                form,
                errors,
            });
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let gid = models::insert_group(conn, &fields, db::now())?;
        crate::audit::created(
            conn,
            &actor,
            GROUP,
            gid,
            &fields.name,
            &fields,
            &c.scope_path,
        )?;
        Ok(format!("/campaigns/demolition/{}", c.id))
    })
    .await
}
