//! Branch handlers: the list and its export, a branch's page, the branch form.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{BranchForm, ListQuery, labelled};
use super::models::{self, Branch, BranchFields};
use super::pages::{FormData, FormPage, ListPage, ShowPage, kind_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::party::activities::{models as activity_models, pages::ActivityRow};
use crate::party::domain::{self, SILENT_DAYS};
use crate::party::members::{models as member_models, pages::MemberView};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::list::ListParams;
use crate::web::{AppState, render_ok};

fn filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<models::Filter> {
    Ok(models::Filter {
        kind: q.kind(),
        demo_only: q.demo.trim() == "1",
        unit_path: crate::org::models::unit_filter(conn, user, &q.unit)?,
    })
}

/// The audit log's name for a branch.
const ENTITY: &str = "party_branch";

fn may_create(user: &CurrentUser) -> bool {
    user.role.is_office_staff()
}

/// GET /party — the branches in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (u, qq) = (user.clone(), q.clone());
    let (rows, units) = db::run(&state.pool, move |conn| {
        let f = filter(conn, &u, &qq)?;
        let rows = models::list(conn, &u, &f)?;
        let units = crate::org::models::unit_options(conn, &u, false)?
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect::<Vec<_>>();
        Ok((rows, units))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let today = state.today();
    render_ok(&ListPage {
        kinds: kind_choices(&ctx),
        silent: rows
            .iter()
            .filter(|b| b.active && domain::silent(b.last_activity, today, SILENT_DAYS))
            .map(|b| b.id)
            .collect(),
        export_query: q.base(),
        may_create: may_create(&user),
        rows,
        units,
        q,
        ctx,
    })
}

/// GET /party/export.xlsx — the branch list with its filters.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q) = (user.clone(), q.into_inner());
    let (rows, names) = db::run(&state.pool, move |conn| {
        let f = filter(conn, &u, &q)?;
        let rows = models::list(conn, &u, &f)?;
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|b| b.unit_id))?;
        Ok((rows, names))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let today = state.today();
    let yes = |b: bool| {
        if b { ctx.t("form.yes") } else { String::new() }
    };
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|b| {
            vec![
                b.name.clone(),
                ctx.t(format!("party.branch_kind.{}", b.kind)),
                names.get(&b.unit_id).cloned().unwrap_or_default(),
                b.secretary.clone(),
                b.first_secretary.clone(),
                b.members.to_string(),
                yes(b.demo_site),
                ctx.date_opt(&b.last_activity),
                yes(b.active && domain::silent(b.last_activity, today, SILENT_DAYS)),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "party-branches.xlsx",
        "branches",
        &[
            "party.branch",
            "party.kind",
            "party.unit",
            "party.secretary",
            "party.first_secretary",
            "party.members",
            "party.demo_site",
            "party.last_activity",
            "party.silent",
        ],
        &out,
    )
}

/// Activities shown on a branch's page (the list has the rest).
const RECENT: i64 = 10;

/// GET /party/branches/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (b, unit, members, recent) = db::run(&state.pool, move |conn| {
        let b = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, b.unit_id)?.name;
        let members = member_models::members(conn, id)?;
        let f = activity_models::Filter {
            branch_id: Some(id),
            ..Default::default()
        };
        let recent = activity_models::list(conn, &u, &f, 0, RECENT)?;
        Ok((b, unit, members, recent))
    })
    .await?;
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ShowPage {
        activities: recent.iter().map(|r| ActivityRow::of(&ctx, r)).collect(),
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        may_edit_branch: may_create(&user) && user.sees(&b.scope_path),
        silent: b.active && domain::silent(b.last_activity, state.today(), SILENT_DAYS),
        members: members
            .into_iter()
            .map(|m| MemberView::of(m, full))
            .collect(),
        unit,
        b,
        ctx,
    })
}

fn form_data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
    Ok(FormData {
        units: models::branch_units(conn, user)?,
        accounts: models::secretary_accounts(conn, &user.org_path)?,
    })
}

/// GET /party/branches/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| form_data(conn, &u)).await?;
    let form = BranchForm {
        kind: "community".into(),
        active: "on".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, None))
}

/// POST /party/branches
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<BranchForm>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| form_data(conn, &u)).await?;
    let fields: BranchFields = match form.parse(&d.units, &d.accounts) {
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
        Ok(format!("/party/branches/{id}"))
    })
    .await
}

/// The branch if the user may edit it (office staff in scope), with the form's data.
async fn load_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Branch, FormData)> {
    let u = user.clone();
    let (b, d) = db::run(&state.pool, move |conn| {
        Ok((models::get_scoped(conn, &u, id)?, form_data(conn, &u)?))
    })
    .await?;
    if !may_create(user) || !user.sees(&b.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((b, d))
}

/// GET /party/branches/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (b, d) = load_for_edit(&state, &user, path.into_inner()).await?;
    let form = BranchForm::from_branch(&b);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, Some(&b)))
}

/// POST /party/branches/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<BranchForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let (b, d) = load_for_edit(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&d.units, &d.accounts) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), form, e, &d, Some(&b))),
    };
    let before = labelled_json(&labelled(&BranchForm::from_branch(&b)));
    let after = labelled_json(&labelled(&form));
    let (u, seen) = (user.clone(), form.seen_version());
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::get_scoped(conn, &u, id)?));
        }
        member_models::refresh_members(conn, id)?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::updated(conn, &u.actor(), ENTITY, id, name, &before, &after, scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/party/branches/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&BranchForm::from_branch(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut p = FormPage::new(ctx(), form, e, &d, Some(latest.as_ref().unwrap_or(&b)));
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}
