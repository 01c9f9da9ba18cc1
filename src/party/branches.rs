//! Branches (党支部): the list in scope with its export, a branch's page (secretary, first
//! secretary, demonstration site, members), and the branch form (clerks, leaders, admins).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::domain::{self, BRANCH_KINDS};
use super::forms::BranchForm;
use super::models::{self, Branch, BranchFields};
use super::pages::{BranchFormPage, BranchPage, BranchesPage, MemberView};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, version};
use crate::web::{AppState, render_ok, render_status, see_other};

/// Days without an activity after which a branch counts as silent.
pub const SILENT_DAYS: i64 = 30;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub kind: String,
    pub demo: String,
}

impl ListQuery {
    fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("kind", self.kind.trim()),
            ("demo", self.demo.trim()),
        ])
    }
}

fn filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<models::Filter> {
    let mut f = models::Filter {
        kind: BRANCH_KINDS
            .iter()
            .find(|k| **k == q.kind.trim())
            .map(|k| k.to_string()),
        demo_only: q.demo.trim() == "1",
        ..Default::default()
    };
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    Ok(f)
}

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
        let units = crate::org::models::options(conn, &u, false)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        Ok((rows, units))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let today = state.today();
    render_ok(&BranchesPage {
        kinds: BRANCH_KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("party.branch_kind.{k}"))))
            .collect(),
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
        let members = models::members(conn, id)?;
        let f = super::activity_models::Filter {
            branch_id: Some(id),
            ..Default::default()
        };
        let recent = super::activity_models::list(conn, &u, &f, 0, RECENT)?;
        Ok((b, unit, members, recent))
    })
    .await?;
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&BranchPage {
        activities: recent
            .iter()
            .map(|r| super::activities::row_view(&ctx, r))
            .collect(),
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

/// A unit a branch can belong to: id, name, depth, kind, path.
type UnitRow = (i32, String, i32, String, String);

/// The units a branch can belong to (streets, communities, villages in scope) with their paths.
fn branch_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<UnitRow>> {
    use crate::db::schema::org_units;
    use diesel::prelude::*;
    let (lo, hi) = user.scope();
    Ok(org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::kind,
            org_units::path,
        ))
        .load(conn)?)
}

struct FormData {
    units: Vec<UnitRow>,
    accounts: Vec<(i32, String, String)>,
}

fn form_data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
    Ok(FormData {
        units: branch_units(conn, user)?,
        accounts: models::secretary_accounts(conn, &user.org_path)?,
    })
}

fn form_page(
    ctx: Ctx,
    form: BranchForm,
    errors: FormErrors,
    d: &FormData,
    branch: Option<&Branch>,
) -> BranchFormPage {
    BranchFormPage {
        kinds: BRANCH_KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("party.branch_kind.{k}"))))
            .collect(),
        units: d
            .units
            .iter()
            .cloned()
            .map(|(id, n, depth, kind, _)| crate::org::models::choice((id, n, depth, kind)))
            .collect(),
        accounts: d
            .accounts
            .iter()
            .map(|(id, n, u)| Choice::new(id, format!("{n} · {u}")))
            .collect(),
        action: match branch {
            Some(b) => format!("/party/branches/{}/edit", b.id),
            None => "/party/branches".into(),
        },
        branch_id: branch.map(|b| b.id),
        conflicts: Vec::new(),
        ctx,
        form,
        errors,
    }
}

fn parse(form: &BranchForm, d: &FormData) -> Result<BranchFields, FormErrors> {
    let units: Vec<(i32, String)> = d.units.iter().map(|u| (u.0, u.4.clone())).collect();
    let accounts: Vec<i32> = d.accounts.iter().map(|a| a.0).collect();
    form.parse(&units, &accounts)
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
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        form,
        FormErrors::new(),
        &d,
        None,
    ))
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
    let fields = match parse(&form, &d) {
        Ok(f) => f,
        Err(e) => {
            let p = form_page(Ctx::build(&req, Some(user)), form, e, &d, None);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let u = user.clone();
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let id = models::insert(conn, &fields, db::now())?;
            crate::audit::created(
                conn,
                &u.actor(),
                "party_branch",
                id,
                &fields.name,
                &fields,
                &fields.scope_path,
            )?;
            Ok(format!("/party/branches/{id}"))
        },
    )
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

/// The labelled values of a branch form, for the stale-edit table and the audit log.
fn labelled(f: &BranchForm) -> Vec<(&'static str, String)> {
    vec![
        ("party.branch", f.name.trim().to_string()),
        ("party.kind", f.kind.trim().to_string()),
        ("party.secretary", f.secretary.trim().to_string()),
        ("party.phone", f.phone.trim().to_string()),
        (
            "party.first_secretary",
            f.first_secretary.trim().to_string(),
        ),
        (
            "party.first_secretary_post",
            f.first_secretary_post.trim().to_string(),
        ),
        ("party.demo_site", f.demo_site.trim().to_string()),
        ("party.demo_criteria", f.demo_criteria.trim().to_string()),
        ("party.demo_evidence", f.demo_evidence.trim().to_string()),
        ("party.demo_review", f.demo_review.trim().to_string()),
        ("party.notes", f.notes.trim().to_string()),
        ("party.active", f.active.trim().to_string()),
    ]
}

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
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        BranchForm::from_branch(&b),
        FormErrors::new(),
        &d,
        Some(&b),
    ))
}

/// POST /party/branches/{id}/edit
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<BranchForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (b, d) = load_for_edit(&state, &user, id).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let fields = match parse(&form, &d) {
        Ok(f) => f,
        Err(e) => {
            let p = form_page(ctx, form, e, &d, Some(&b));
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let saved = BranchForm::from_branch(&b);
    let (u, seen) = (user.clone(), version(&form.version));
    let (before, after) = (labelled(&saved), labelled(&form));
    let done = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(false);
        }
        models::refresh_members(conn, id)?;
        let map = |f: &[(&str, String)]| -> serde_json::Map<String, serde_json::Value> {
            f.iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect()
        };
        crate::audit::updated(
            conn,
            &u.actor(),
            "party_branch",
            id,
            &fields.name,
            &map(&before),
            &map(&after),
            &fields.scope_path,
        )?;
        Ok(true)
    })
    .await?;
    if done {
        flash(&session, "ok", "flash.saved", &[]);
        return Ok(see_other(&format!("/party/branches/{id}")));
    }
    // Someone saved first: both versions, the typed form kept with the current version.
    let u = user.clone();
    let current = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    let theirs = BranchForm::from_branch(&current);
    let mut form = form;
    let rows = conflicts(&labelled(&form), &labelled(&theirs));
    form.version = current.version.to_string();
    let mut p = form_page(ctx, form, FormErrors::new(), &d, Some(&current));
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
}
