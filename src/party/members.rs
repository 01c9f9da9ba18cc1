//! A branch's members: added and edited by the branch's secretary or the staff who keep the
//! record (a member who leaves is made inactive, not deleted: activities keep their attendance).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{self, DIFFICULTY};
use super::forms::{GENDERS, MemberForm};
use super::models::{self, Branch};
use super::pages::{MemberFormPage, MemberView};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, mask_phone, version};
use crate::web::{AppState, render_ok, render_status, see_other};

/// The branch, if the user keeps its record.
async fn editable_branch(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Branch> {
    let u = user.clone();
    let b = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    if !domain::may_edit(user, &b.scope_path, b.secretary_user_id) {
        return Err(AppError::Forbidden);
    }
    Ok(b)
}

fn page(
    ctx: Ctx,
    b: &Branch,
    form: MemberForm,
    errors: FormErrors,
    member: Option<i32>,
) -> MemberFormPage {
    MemberFormPage {
        genders: GENDERS
            .iter()
            .map(|g| Choice::new(g, ctx.t(format!("party.gender.{g}"))))
            .collect(),
        difficulties: DIFFICULTY
            .iter()
            .map(|d| {
                Choice::new(
                    d,
                    if d.is_empty() {
                        ctx.t("party.difficulty.none")
                    } else {
                        ctx.t(format!("party.difficulty.{d}"))
                    },
                )
            })
            .collect(),
        action: match member {
            Some(m) => format!("/party/branches/{}/members/{m}/edit", b.id),
            None => format!("/party/branches/{}/members", b.id),
        },
        branch_id: b.id,
        branch_name: b.name.clone(),
        conflicts: Vec::new(),
        ctx,
        form,
        errors,
    }
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
    render_ok(&page(
        Ctx::build(&req, Some(user)),
        &b,
        form,
        FormErrors::new(),
        None,
    ))
}

/// What the audit log keeps of a member: the phone masked, no address.
fn audit_view(f: &models::MemberFields) -> serde_json::Value {
    serde_json::json!({
        "name": f.name,
        "joined_on": f.joined_on,
        "phone": mask_phone(&f.phone),
        "difficulty": f.difficulty,
        "volunteer": f.volunteer,
        "building_group": f.building_group,
        "active": f.active,
    })
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
            let p = page(Ctx::build(&req, Some(user)), &b, form, e, None);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let u = user.clone();
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let id = models::insert_member(conn, &b, &fields, db::now())?;
            crate::audit::created(
                conn,
                &u.actor(),
                "party_member",
                id,
                &format!("{} · {}", b.name, fields.name),
                &audit_view(&fields),
                &b.scope_path,
            )?;
            Ok(format!("/party/branches/{}#members", b.id))
        },
    )
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
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
    render_ok(&page(
        Ctx::build(&req, Some(user)),
        &b,
        MemberForm::from_member(&m),
        FormErrors::new(),
        Some(mid),
    ))
}

fn labelled(f: &MemberForm) -> Vec<(&'static str, String)> {
    vec![
        ("party.member_name", f.name.trim().to_string()),
        ("party.gender", f.gender.trim().to_string()),
        ("party.birth_year", f.birth_year.trim().to_string()),
        ("party.joined_on", f.joined_on.trim().to_string()),
        ("party.phone", f.phone.trim().to_string()),
        ("party.address", f.address.trim().to_string()),
        ("party.difficulty_label", f.difficulty.trim().to_string()),
        ("party.volunteer", f.volunteer.trim().to_string()),
        ("party.building_group", f.building_group.trim().to_string()),
        ("party.notes", f.notes.trim().to_string()),
        ("party.active", f.active.trim().to_string()),
    ]
}

/// POST /party/branches/{id}/members/{member}/edit
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
    let form = form.0;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(state.today()) {
        Ok(f) => f,
        Err(e) => {
            let p = page(ctx, &b, form, e, Some(mid));
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (u, seen, scope, name) = (
        user.clone(),
        version(&form.version),
        b.scope_path.clone(),
        b.name.clone(),
    );
    let done = db::run_write(&state.pool, move |conn| {
        let before = models::member(conn, id, mid)?;
        if !models::update_member(conn, id, mid, seen, &fields, db::now())? {
            return Ok(Some(before));
        }
        crate::audit::updated(
            conn,
            &u.actor(),
            "party_member",
            mid,
            &format!("{name} · {}", fields.name),
            &audit_view(&models::MemberFields {
                name: before.name.clone(),
                gender: before.gender.clone(),
                birth_year: before.birth_year,
                joined_on: before.joined_on,
                phone: before.phone.clone(),
                address: String::new(),
                difficulty: before.difficulty.clone(),
                volunteer: before.volunteer,
                building_group: before.building_group.clone(),
                notes: String::new(),
                active: before.active,
            }),
            &audit_view(&fields),
            &scope,
        )?;
        Ok(None)
    })
    .await?;
    match done {
        None => {
            flash(&session, "ok", "flash.saved", &[]);
            Ok(see_other(&format!("/party/branches/{id}#members")))
        }
        Some(current) => {
            let theirs = MemberForm::from_member(&current);
            let rows = conflicts(&labelled(&form), &labelled(&theirs));
            let mut form = form;
            form.version = current.version.to_string();
            let mut p = page(ctx, &b, form, FormErrors::new(), Some(mid));
            p.conflicts = rows;
            render_status(&p, StatusCode::CONFLICT)
        }
    }
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
        let b = models::get_scoped(conn, &u, id)?;
        Ok((b.clone(), models::members(conn, b.id)?))
    })
    .await?;
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    let ctx = Ctx::build(&req, Some(user));
    let yes = |on: bool| if on { ctx.t("form.yes") } else { String::new() };
    let rows: Vec<Vec<String>> = members
        .into_iter()
        .map(|m| MemberView::of(m, full))
        .map(|v| {
            vec![
                v.m.name.clone(),
                if v.m.gender.is_empty() {
                    String::new()
                } else {
                    ctx.t(format!("party.gender.{}", v.m.gender))
                },
                ctx.date(&v.m.joined_on),
                v.phone,
                v.address,
                yes(v.veteran),
                if v.m.difficulty.is_empty() {
                    String::new()
                } else {
                    ctx.t(format!("party.difficulty.{}", v.m.difficulty))
                },
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
