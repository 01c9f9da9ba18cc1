use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{ResetForm, UserForm, UserQuery};
use super::models;
use super::pages::{UserFormPage, UsersPage};
use crate::audit;
use crate::auth::{CurrentUser, Role, models as auth_models, password};
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, mask_phone, version};
use crate::web::pagination::Pager;
use crate::web::{AppState, idempotency, render_ok, render_status, see_other};

const EXPORT_LIMIT: i64 = 100_000;

fn role_choices(ctx: &Ctx) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice::new(r.code(), ctx.t(r.label_key())))
        .collect()
}

/// An org unit offered in a select box: id, name, depth, kind.
type OrgOption = (i32, String, i32, String);

/// Org units in the admin's scope, indented by depth, and their ids.
fn org_choices(
    conn: &mut AnyConnection,
    user: &CurrentUser,
) -> AppResult<(Vec<OrgOption>, Vec<i32>)> {
    let opts = crate::org::models::options(conn, user, true)?;
    let ids = opts.iter().map(|o| o.0).collect();
    Ok((opts, ids))
}

fn indent(list: &[OrgOption]) -> Vec<Choice> {
    let base = list.iter().map(|o| o.2).min().unwrap_or(0);
    list.iter()
        .map(|(id, name, depth, _)| {
            Choice::new(
                id,
                format!("{}{}", "\u{a0}\u{a0}".repeat((depth - base) as usize), name),
            )
        })
        .collect()
}

/// GET /users
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let q = q.into_inner();
    let (u, filter, page, base) = (user.clone(), q.filter(), q.page.clone(), q.query_string());
    let (rows, pager, orgs) = db::run(&state.pool, move |conn| {
        let total = models::count(conn, &u, &filter)?;
        let pager = Pager::new("/users", page.as_deref(), total, base);
        let rows = models::list(conn, &u, &filter, pager.offset(), pager.per_page)?;
        // The filter offers units down to communities: choosing one covers its grids, and a
        // district's ~800 grids would make the select box unusable (and the page slow).
        let orgs = crate::org::models::options(conn, &u, false)?;
        Ok((rows, pager, orgs))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&UsersPage {
        roles: role_choices(&ctx),
        orgs: indent(&orgs),
        ctx,
        q,
        rows,
        pager,
    })
}

/// GET /users/export.xlsx — the list's filters, every row; phones masked as on the page.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, filter) = (user.clone(), q.filter());
    let rows = db::run(&state.pool, move |conn| {
        models::list(conn, &u, &filter, 0, EXPORT_LIMIT)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let headers = [
        "users.username",
        "users.display_name",
        "users.role",
        "users.org_unit",
        "users.phone",
        "users.status",
        "users.last_login",
    ];
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|a| {
            vec![
                a.username.clone(),
                a.display_name.clone(),
                ctx.t(format!("role.{}", a.role)),
                a.org_name.clone(),
                mask_phone(&a.phone),
                ctx.t(a.status_key()),
                ctx.dt_opt(&a.last_login_at),
            ]
        })
        .collect();
    crate::web::xlsx::respond(&ctx, "users.xlsx", "users", &headers, &rows)
}

fn form_page(
    ctx: Ctx,
    account: Option<models::Account>,
    orgs: &[OrgOption],
    form: UserForm,
    errors: FormErrors,
) -> UserFormPage {
    UserFormPage {
        roles: role_choices(&ctx),
        orgs: indent(orgs),
        ctx,
        account,
        form,
        errors,
        conflicts: Vec::new(),
        reset_errors: FormErrors::new(),
    }
}

/// GET /users/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let u = user.clone();
    let (orgs, _) = db::run(&state.pool, move |conn| org_choices(conn, &u)).await?;
    let form = UserForm {
        role: "grid_worker".into(),
        org_unit_id: user.org_unit_id.to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        None,
        &orgs,
        form,
        FormErrors::new(),
    ))
}

/// POST /users
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<UserForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let mut form = form.0;
    // A repeated submission (double click, reload) goes where the first one went, before the
    // username check would call the account its own duplicate.
    let token = form.form_token.clone();
    if let Some(done) = db::run(&state.pool, move |conn| idempotency::seen(conn, &token)).await? {
        return Ok(see_other(&done));
    }
    let u = user.clone();
    let uname = form.username.trim().to_lowercase();
    let (orgs, ids, taken) = db::run(&state.pool, move |conn| {
        let (orgs, ids) = org_choices(conn, &u)?;
        Ok((orgs, ids, models::username_taken(conn, &uname)?))
    })
    .await?;
    let parsed = form.parse_new(&state.settings, &ids, taken);
    let (username, fields) = match parsed {
        Ok(v) => v,
        Err(errors) => {
            form.password.clear();
            let page = form_page(Ctx::build(&req, Some(user)), None, &orgs, form, errors);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let hash = password::hash(&state, form.password.clone()).await?;
    let (actor, token, uid, u) = (user.actor(), form.form_token.clone(), user.id, user.clone());
    let location = idempotency::create_once(&state.pool, token, uid, move |conn| {
        // Initial passwords are known to the admin: the user must choose their own at first login.
        let id = models::create(conn, &username, &hash, &fields, true)?;
        crate::org::models::refresh_counts(conn, &[fields.org_unit_id])?;
        let created = models::get_scoped(conn, &u, id)?;
        audit::created(
            conn,
            &actor,
            "user",
            id,
            &username,
            &created,
            &created.org_path,
        )?;
        Ok(format!("/users/{id}/edit"))
    })
    .await?;
    flash(&session, "ok", "users.created_flash", &[]);
    Ok(see_other(&location))
}

/// GET /users/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, id) = (user.clone(), id.into_inner());
    let (account, orgs) = db::run(&state.pool, move |conn| {
        Ok((models::get_scoped(conn, &u, id)?, org_choices(conn, &u)?.0))
    })
    .await?;
    let form = UserForm::from_account(&account);
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        Some(account),
        &orgs,
        form,
        FormErrors::new(),
    ))
}

/// POST /users/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<UserForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, id, mut form) = (user.clone(), id.into_inner(), form.0);
    let (account, orgs, ids) = db::run(&state.pool, move |conn| {
        let a = models::get_scoped(conn, &u, id)?;
        let (orgs, ids) = org_choices(conn, &u)?;
        Ok((a, orgs, ids))
    })
    .await?;
    let fields = match form.parse_edit(&ids) {
        Ok(f) => f,
        Err(errors) => {
            form.username = account.username.clone();
            let page = form_page(
                Ctx::build(&req, Some(user)),
                Some(account),
                &orgs,
                form,
                errors,
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (u, expected, actor) = (user.clone(), version(&form.version), user.actor());
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::get_scoped(conn, &u, id)?;
        if !models::update(conn, id, expected, &fields)? {
            return Ok(false);
        }
        crate::org::models::refresh_counts(conn, &[before.org_unit_id, fields.org_unit_id])?;
        let after = models::get_scoped(conn, &u, id)?;
        audit::updated(
            conn,
            &actor,
            "user",
            id,
            &after.username,
            &before,
            &after,
            &after.org_path,
        )?;
        Ok(true)
    })
    .await?;
    if !saved {
        let u = user.clone();
        let latest = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
        let rows = conflicts(
            &form.labelled(),
            &UserForm::from_account(&latest).labelled(),
        );
        form.version = latest.version.to_string();
        form.username = latest.username.clone();
        let mut page = form_page(
            Ctx::build(&req, Some(user)),
            Some(latest),
            &orgs,
            form,
            FormErrors::new(),
        );
        page.conflicts = rows;
        return render_status(&page, StatusCode::CONFLICT);
    }
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}

/// A state change on one account in scope, audited; the closure does the change.
async fn account_action(
    user: &CurrentUser,
    state: &AppState,
    id: i32,
    action: &'static str,
    change: impl FnOnce(&mut AnyConnection, i32) -> AppResult<()> + Send + 'static,
) -> AppResult<()> {
    user.require_admin()?;
    let (u, actor) = (user.clone(), user.actor());
    db::run_write(&state.pool, move |conn| {
        let before = models::get_scoped(conn, &u, id)?;
        change(conn, id)?;
        crate::org::models::refresh_counts(conn, &[before.org_unit_id])?;
        let after = models::get_scoped(conn, &u, id)?;
        audit::record(
            conn,
            &actor,
            action,
            "user",
            Some(id),
            &after.username,
            Some(&before),
            Some(&after),
            &after.org_path,
        )
    })
    .await
}

/// POST /users/{id}/deactivate — also ends every session of the account.
pub async fn deactivate(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    if id == user.id {
        flash(&session, "warn", "users.cannot_deactivate_self", &[]);
        return Ok(see_other(&format!("/users/{id}/edit")));
    }
    account_action(&user, &state, id, "deactivate", |conn, id| {
        models::set_active(conn, id, false)?;
        auth_models::end_all_sessions(conn, id)?;
        Ok(())
    })
    .await?;
    flash(&session, "ok", "users.deactivated_flash", &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}

/// POST /users/{id}/activate
pub async fn activate(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    account_action(&user, &state, id, "activate", |conn, id| {
        models::set_active(conn, id, true)
    })
    .await?;
    flash(&session, "ok", "users.activated_flash", &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}

/// POST /users/{id}/unlock
pub async fn unlock(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    account_action(&user, &state, id, "unlock", models::unlock).await?;
    flash(&session, "ok", "users.unlocked_flash", &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}

/// POST /users/{id}/password — the admin sets a temporary password; the user must change it at
/// next login, and every session of the account ends.
pub async fn reset_password(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, id) = (user.clone(), id.into_inner());
    let (account, orgs) = db::run(&state.pool, move |conn| {
        Ok((models::get_scoped(conn, &u, id)?, org_choices(conn, &u)?.0))
    })
    .await?;
    let mut errors = FormErrors::new();
    password::check_policy(
        &state.settings,
        &mut errors,
        "new_password",
        &form.0.new_password,
        &account.username,
    );
    if !errors.is_empty() {
        let form_values = UserForm::from_account(&account);
        let mut page = form_page(
            Ctx::build(&req, Some(user)),
            Some(account),
            &orgs,
            form_values,
            FormErrors::new(),
        );
        page.reset_errors = errors;
        return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = password::hash(&state, form.0.new_password.clone()).await?;
    account_action(&user, &state, id, "reset_password", move |conn, id| {
        auth_models::set_password(conn, id, &hash, true)?;
        auth_models::end_all_sessions(conn, id)?;
        Ok(())
    })
    .await?;
    flash(&session, "ok", "users.reset_flash", &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}
