use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{ResetForm, UserForm, UserQuery};
use super::models;
use super::pages::{EXPORT_COLUMNS, UserFormPage, UsersPage};
use crate::audit;
use crate::auth::{CurrentUser, Role, models as auth_models, password};
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::models::{self as org_models, UnitOption};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::{Choice, FormErrors};
use crate::web::list::{self, ListParams};
use crate::web::pagination::Pager;
use crate::web::{AppState, idempotency, render_ok, see_other};

fn role_choices(ctx: &Ctx) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice::new(r.code(), ctx.t(r.label_key())))
        .collect()
}

/// Org units in the admin's scope, and their ids.
fn org_choices(
    conn: &mut AnyConnection,
    user: &CurrentUser,
) -> AppResult<(Vec<UnitOption>, Vec<i32>)> {
    let opts = org_models::unit_options(conn, user, true)?;
    let ids = opts.iter().map(|o| o.id).collect();
    Ok((opts, ids))
}

/// The units as choices, indented by their depth below the shallowest.
fn indent(list: &[UnitOption]) -> Vec<Choice> {
    let base = list.iter().map(|o| o.depth).min().unwrap_or(0);
    list.iter()
        .map(|o| {
            let pad = "\u{a0}\u{a0}".repeat((o.depth - base).max(0) as usize);
            Choice::new(o.id, format!("{pad}{}", o.name))
        })
        .collect()
}

/// Account states the list filters by, as the status column names them, and the active
/// accounts never logged in (the admin's home counts them).
fn status_choices(ctx: &Ctx) -> Vec<Choice> {
    [
        ("active", "users.active"),
        ("inactive", "users.inactive"),
        ("locked", "users.locked"),
        ("never", "homes.admin.never_status"),
    ]
    .iter()
    .map(|(s, key)| Choice::new(s, ctx.t(key)))
    .collect()
}

/// GET /users — the accounts in scope, filtered, counted and paged.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let q = q.into_inner();
    let (u, qq) = (user.clone(), q.clone());
    let (rows, pager, orgs) = db::run(&state.pool, move |conn| {
        let filter = qq.filter(org_models::unit_filter(conn, &u, &qq.org)?);
        let total = models::count(conn, &u, &filter)?;
        let pager = Pager::new("/users", qq.page(), total, qq.base());
        let rows = models::list(conn, &u, &filter, pager.offset(), pager.per_page)?;
        // The filter offers units down to communities: choosing one covers its grids, and a
        // district's ~800 grids would make the select box unusable (and the page slow).
        let orgs = org_models::unit_options(conn, &u, false)?;
        Ok((rows, pager, orgs))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&UsersPage {
        roles: role_choices(&ctx),
        orgs: indent(&orgs),
        statuses: status_choices(&ctx),
        ctx,
        q,
        rows,
        pager,
    })
}

/// GET /users/export.xlsx — the list's filters, every row (up to the kit's cap); phones masked
/// as on the page.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<UserQuery>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, q) = (user.clone(), q.into_inner());
    let rows = db::run(&state.pool, move |conn| {
        let filter = q.filter(org_models::unit_filter(conn, &u, &q.org)?);
        models::list(conn, &u, &filter, 0, list::EXPORT_MAX)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    list::xlsx(&ctx, "users.xlsx", "users", EXPORT_COLUMNS, rows)
}

fn form_page(
    ctx: Ctx,
    account: Option<models::Account>,
    orgs: &[UnitOption],
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
    let (u, token) = (user.clone(), form.form_token.clone());
    let uname = form.username.trim().to_lowercase();
    let ((orgs, ids, taken), repeat) = db::run(&state.pool, move |conn| {
        idempotency::checked_then_seen(conn, &token, |conn| {
            let (orgs, ids) = org_choices(conn, &u)?;
            Ok((orgs, ids, models::username_taken(conn, &uname)?))
        })
    })
    .await?;
    if let Some(done) = repeat {
        return Ok(see_other(&done));
    }
    let parsed = form.parse_new(&state.settings, &ids, taken);
    let (username, fields) = match parsed {
        Ok(v) => v,
        Err(errors) => {
            form.password.clear();
            let page = form_page(Ctx::build(&req, Some(user)), None, &orgs, form, errors);
            return edit::invalid(&page);
        }
    };
    let hash = password::hash(&state, form.password.clone()).await?;
    let (actor, token, uid, u) = (user.actor(), form.form_token.clone(), user.id, user.clone());
    edit::create(
        &state.pool,
        &session,
        (token, uid),
        "users.created_flash",
        move |conn| {
            // Initial passwords are known to the admin: the user must choose their own at first login.
            let id = models::create(conn, &username, &hash, &fields, true)?;
            org_models::refresh_counts(conn, &[fields.org_unit_id])?;
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
        },
    )
    .await
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
            return edit::invalid(&page);
        }
    };
    let (u, seen, actor) = (user.clone(), form.seen_version(), user.actor());
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::get_scoped(conn, &u, id)?;
        if !models::update(conn, id, seen, &fields)? {
            return Ok(Saved::Stale(models::get_scoped(conn, &u, id)?));
        }
        org_models::refresh_counts(conn, &[before.org_unit_id, fields.org_unit_id])?;
        let after = models::get_scoped(conn, &u, id)?;
        let name = after.username.clone();
        audit::updated(
            conn,
            &actor,
            "user",
            id,
            &name,
            &before,
            &after,
            &after.org_path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    // The layout context takes the session's pending flash: it is built only for a page shown
    // here, so after a save the flash waits for the page the redirect leads to.
    let done = format!("/users/{id}/edit");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, errors| {
        let ctx = Ctx::build(&req, Some(user));
        let mut conflicts = Vec::new();
        if let Some(l) = &latest {
            let (mine, theirs) = (form.labelled(), UserForm::from_account(l).labelled());
            conflicts = edit::stale(&mut form, l.version, &mine, &theirs);
        }
        let shown = latest.unwrap_or(account);
        form.username = shown.username.clone();
        let mut page = form_page(ctx, Some(shown), &orgs, form, errors);
        page.conflicts = conflicts;
        page
    })
}

/// What an action on one account receives: the admin, the app, the session and the account's
/// id.
type OnAccount = (CurrentUser, web::Data<AppState>, Session, web::Path<i32>);

/// A state change on one account in scope, audited as `action`; the closure does the change.
/// Then the flash `done` and back to the account's form.
async fn account_action(
    (user, state, session, id): OnAccount,
    (action, done): (&'static str, &'static str),
    change: impl FnOnce(&mut AnyConnection, i32) -> AppResult<()> + Send + 'static,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, actor, id) = (user.clone(), user.actor(), id.into_inner());
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
    .await?;
    flash(&session, "ok", done, &[]);
    Ok(see_other(&format!("/users/{id}/edit")))
}

/// POST /users/{id}/deactivate — also ends every session of the account.
pub async fn deactivate(on: OnAccount, _f: CsrfForm<NoFields>) -> AppResult<HttpResponse> {
    let (user, session, id) = (&on.0, &on.2, *on.3);
    if id == user.id {
        flash(session, "warn", "users.cannot_deactivate_self", &[]);
        return Ok(see_other(&format!("/users/{id}/edit")));
    }
    let what = ("deactivate", "users.deactivated_flash");
    account_action(on, what, |conn, id| {
        models::set_active(conn, id, false)?;
        auth_models::end_all_sessions(conn, id)?;
        Ok(())
    })
    .await
}

/// POST /users/{id}/activate
pub async fn activate(on: OnAccount, _f: CsrfForm<NoFields>) -> AppResult<HttpResponse> {
    let what = ("activate", "users.activated_flash");
    account_action(on, what, |conn, id| models::set_active(conn, id, true)).await
}

/// POST /users/{id}/unlock
pub async fn unlock(on: OnAccount, _f: CsrfForm<NoFields>) -> AppResult<HttpResponse> {
    account_action(on, ("unlock", "users.unlocked_flash"), models::unlock).await
}

/// POST /users/{id}/password — the admin sets a temporary password; the user must change it at
/// next login, and every session of the account ends.
pub async fn reset_password(
    req: HttpRequest,
    (user, state, session, path): OnAccount,
    form: CsrfForm<ResetForm>,
) -> AppResult<HttpResponse> {
    user.require_admin()?;
    let (u, id) = (user.clone(), *path);
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
        return edit::invalid(&page);
    }
    let hash = password::hash(&state, form.0.new_password.clone()).await?;
    let what = ("reset_password", "users.reset_flash");
    account_action((user, state, session, path), what, move |conn, id| {
        auth_models::set_password(conn, id, &hash, true)?;
        auth_models::end_all_sessions(conn, id)?;
        Ok(())
    })
    .await
}
