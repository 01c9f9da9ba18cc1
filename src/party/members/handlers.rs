//! Member handlers: the member form (new and edit) and the roll's export.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{MemberForm, audit_view, labelled};
use super::models::{self, MemberFields};
use super::pages::{FormPage, MemberView};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::party::branches::models::{self as branch_models, Branch};
use crate::party::domain;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's name for a member.
const ENTITY: &str = "party_member";

/// The branch, if the user keeps its record.
async fn editable_branch(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Branch> {
    let u = user.clone();
    let b = db::run(&state.pool, move |conn| {
        branch_models::get_scoped(conn, &u, id)
    })
    .await?;
    domain::require_edit(user, &b.scope_path, b.secretary_user_id)?;
    Ok(b)
}

/// GET /party/branches/{id}/members/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let b = editable_branch(&state, &user, path.into_inner()).await?;
    let form = MemberForm {
        active: "on".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, &b, form, FormErrors::new(), None))
}

/// POST /party/branches/{id}/members
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let b = editable_branch(&state, &user, path.into_inner()).await?;
    let form = form.0;
    let fields = match form.parse(state.today()) {
        Ok(f) => f,
        Err(e) => {
            return edit::invalid(&FormPage::new(
                Ctx::build(&req, Some(user)),
                &b,
                form,
                e,
                None,
            ));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert_member(conn, &b, &fields, db::now())?;
        let name = format!("{} · {}", b.name, fields.name);
        let view = audit_view(&fields);
        crate::audit::created(conn, &actor, ENTITY, id, &name, &view, &b.scope_path)?;
        Ok(format!("/party/branches/{}#members", b.id))
    })
    .await
}

/// GET /party/branches/{id}/members/{member}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, mid) = path.into_inner();
    let b = editable_branch(&state, &user, id).await?;
    let m = db::run(&state.pool, move |conn| models::member(conn, id, mid)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let form = MemberForm::from_member(&m);
    render_ok(&FormPage::new(ctx, &b, form, FormErrors::new(), Some(mid)))
}

/// POST /party/branches/{id}/members/{member}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let (id, mid) = path.into_inner();
    let b = editable_branch(&state, &user, id).await?;
    let mut form = form.0;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(state.today()) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), &b, form, e, Some(mid))),
    };
    let (u, seen, bb) = (user.clone(), form.seen_version(), b.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::member(conn, id, mid)?;
        if !models::update_member(conn, id, mid, seen, &fields, db::now())? {
            return Ok(Saved::Stale(before));
        }
        crate::audit::updated(
            conn,
            &u.actor(),
            ENTITY,
            mid,
            &format!("{} · {}", bb.name, fields.name),
            &audit_view(&MemberFields::of(&before)),
            &audit_view(&fields),
            &bb.scope_path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/party/branches/{id}#members");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&MemberForm::from_member(&l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut p = FormPage::new(ctx(), &b, form, e, Some(mid));
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}

/// GET /party/branches/{id}/members/export.xlsx — the member roll as the branch page shows it to
/// this user (phones masked and no addresses unless they keep the record).
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), path.into_inner());
    let (b, members) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        Ok((b.clone(), models::members(conn, b.id)?))
    })
    .await?;
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    let ctx = Ctx::build(&req, Some(user));
    let yes = |on: bool| if on { ctx.t("form.yes") } else { String::new() };
    let label = |prefix: &str, code: &str| {
        if code.is_empty() {
            String::new()
        } else {
            ctx.t(format!("{prefix}{code}"))
        }
    };
    let rows: Vec<Vec<String>> = members
        .into_iter()
        .map(|m| MemberView::of(m, full))
        .map(|v| {
            vec![
                v.m.name.clone(),
                label("party.gender.", &v.m.gender),
                ctx.date(&v.m.joined_on),
                v.phone,
                v.address,
                yes(v.veteran),
                label("party.difficulty.", &v.m.difficulty),
                yes(v.m.volunteer),
                v.m.building_group,
                yes(!v.m.active),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "party-members.xlsx",
        "members",
        &[
            "party.member_name",
            "party.gender_label",
            "party.joined_on",
            "party.phone",
            "party.address",
            "party.veteran",
            "party.difficulty_label",
            "party.volunteer",
            "party.building_group",
            "party.inactive",
        ],
        &rows,
    )
}
