//! Branch handlers: the list and its export, a branch's page, the branch form.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::forms::{BranchForm, ListQuery, labelled};
use super::models::{self, Branch, BranchFields};
use super::pages::{FormData, FormPage, ListPage, ShowPage, kind_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::party::activities::{models as activity_models, pages::ActivityRow};
use crate::party::domain::{self, SILENT_DAYS};
use crate::party::members::{models as member_models, pages::MemberView};
use crate::web::ctx::Ctx;
use crate::web::edit::record::{Change, Editor, On, Parsed, Written};
use crate::web::edit::{Labelled, Saved};
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

/// The branch form (office staff; a branch in their scope).
pub struct BranchEditor;

impl Editor for BranchEditor {
    type Record = Branch;
    type Form = BranchForm;
    type Fields = BranchFields;
    type Data = FormData;
    type Page = FormPage;
    const ENTITY: &'static str = ENTITY;
    const BASE: &'static str = "/party/branches";

    fn may_create(user: &CurrentUser) -> bool {
        may_create(user)
    }
    fn may_edit(user: &CurrentUser, b: &Branch) -> bool {
        may_create(user) && user.sees(&b.scope_path)
    }
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Branch> {
        models::get_scoped(conn, user, id)
    }
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
        form_data(conn, user)
    }
    fn version(b: &Branch) -> i32 {
        b.version
    }
    fn blank(_: &On<'_>, _: &FormData) -> BranchForm {
        BranchForm {
            kind: "community".into(),
            active: "on".into(),
            ..Default::default()
        }
    }
    fn form_of(b: &Branch) -> BranchForm {
        BranchForm::from_branch(b)
    }
    fn parse(f: &BranchForm, d: &FormData, _: &On<'_>, _: Option<&Branch>) -> Parsed<BranchFields> {
        f.parse(&d.units, &d.accounts)
    }
    fn labelled(f: &BranchForm, _: &FormData) -> Labelled {
        labelled(f)
    }
    fn named(f: &BranchFields) -> (&str, &str) {
        (&f.name, &f.scope_path)
    }
    fn page(ctx: Ctx, f: BranchForm, e: FormErrors, d: &FormData, b: Option<&Branch>) -> FormPage {
        FormPage::new(ctx, f, e, d, b)
    }
    fn insert(conn: &mut AnyConnection, f: &BranchFields, _: &CurrentUser) -> AppResult<i32> {
        models::insert(conn, f, db::now())
    }
    fn update(conn: &mut AnyConnection, b: &Branch, seen: i32, f: &BranchFields) -> Written {
        let ok = models::update(conn, b.id, seen, f, db::now())?;
        if ok {
            member_models::refresh_members(conn, b.id)?;
        }
        Ok(Saved::written(ok))
    }
    fn audit<A: Serialize>(conn: &mut AnyConnection, c: &Change<'_, A>) -> AppResult<()> {
        crate::audit::change(conn, c)
    }
}
