//! A grid's pages: the public notice and the service cards, and adding and editing its
//! responsible people and key sites — one set of handlers for both, through `GridRecord`.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::models::{self, Person};
use super::pages::{CardPage, GridSheet, NoticePage};
use super::records::{FormData, GridRecord, form_data};
use crate::audit;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::org::crumbs_from;
use crate::org::models as org_models;
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok, see_other};

/// What the notice and the card show, read on the blocking pool.
async fn sheet(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<GridSheet> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let grid = org_models::get_grid(conn, &u, id)?;
        // The community and street are read by id, not through the scope: a grid worker's scope
        // is the grid, yet the notice names the community and street it belongs to. The same
        // rows give the breadcrumbs (filtered to the scope).
        let ancestors = org_models::by_ids(conn, &grid.ancestor_ids())?;
        Ok(GridSheet {
            crumbs: crumbs_from(&u, &ancestors),
            community: ancestors.iter().find(|u| u.kind().is_level2()).cloned(),
            street: ancestors.iter().find(|u| u.kind == "street").cloned(),
            people: models::people(conn, grid.id)?,
            grid,
        })
    })
    .await
}

/// GET /grids/{id}/notice — the public notice (公示), printable on A4.
pub async fn notice(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let sheet = sheet(&state, &user, id.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&NoticePage { ctx, sheet })
}

/// GET /grids/{id}/card — service cards (便民服务卡), eight to an A4 sheet.
pub async fn card(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let sheet = sheet(&state, &user, id.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user));
    let copies = (0..8).collect();
    render_ok(&CardPage { ctx, sheet, copies })
}

/// POST /grids/{id}/notice/verify — "the notice matches reality as of today".
pub async fn verify_notice(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, id) = (user.clone(), id.into_inner());
    let today = state.today();
    db::run_write(&state.pool, move |conn| {
        let grid = org_models::get_grid(conn, &u, id)?;
        org_models::mark_verified(conn, id, today)?;
        audit::record(
            conn,
            &u.actor(),
            "verify_notice",
            "org_unit",
            Some(id),
            &grid.name,
            Some(&grid.verified_on),
            Some(&Some(today)),
            &grid.path,
        )
    })
    .await?;
    flash(&session, "ok", "grids.verified_flash", &[]);
    Ok(see_other(&format!("/grids/{id}/notice")))
}

/// The form page's data, read on the blocking pool.
pub(super) async fn load<R: GridRecord>(
    state: &AppState,
    user: &CurrentUser,
    grid_id: i32,
    id: Option<i32>,
) -> AppResult<FormData<R>> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        form_data::<R>(conn, &u, grid_id, id)
    })
    .await
}

/// GET /grids/{id}/people/new, /grids/{id}/sites/new
pub async fn new_form<R: GridRecord>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let data = load::<R>(&state, &user, id.into_inner(), None).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&R::page(
        ctx,
        &state,
        data,
        R::blank(),
        FormErrors::new(),
        Vec::new(),
    ))
}

/// POST /grids/{id}/people, /grids/{id}/sites
pub async fn create<R: GridRecord>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<R::Form>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let form = form.0;
    let data = load::<R>(&state, &user, id.into_inner(), None).await?;
    let fields = match R::parse(&form, &data.choices) {
        Ok(f) => f,
        Err(errors) => {
            let ctx = Ctx::build(&req, Some(user));
            let page = R::page(ctx, &state, data, form, errors, Vec::new());
            return edit::invalid(&page);
        }
    };
    let (actor, grid, token) = (user.actor(), data.grid, R::form_token(&form).to_string());
    edit::create(
        &state.pool,
        &session,
        (token, user.id),
        "flash.saved",
        move |conn| {
            let id = R::insert(conn, grid.id, &fields)?;
            R::touched(conn, grid.id)?;
            let name = R::name_of(&fields);
            audit::created(conn, &actor, R::ENTITY, id, name, &fields, &grid.path)?;
            Ok(format!("/org/{}", grid.id))
        },
    )
    .await
}

/// GET /grids/{id}/people/{pid}/edit, /grids/{id}/sites/{sid}/edit
pub async fn edit_form<R: GridRecord>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (grid_id, id) = path.into_inner();
    let data = load::<R>(&state, &user, grid_id, Some(id)).await?;
    let form = data.row.as_ref().map(R::form_of).unwrap_or_else(R::blank);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&R::page(
        ctx,
        &state,
        data,
        form,
        FormErrors::new(),
        Vec::new(),
    ))
}

/// POST /grids/{id}/people/{pid}, /grids/{id}/sites/{sid} — a stale version answers 409 with
/// both versions and everything typed kept (`web::edit`).
pub async fn update<R: GridRecord>(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<R::Form>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let ((grid_id, id), mut form) = (path.into_inner(), form.0);
    let mut data = load::<R>(&state, &user, grid_id, Some(id)).await?;
    let fields = match R::parse(&form, &data.choices) {
        Ok(f) => f,
        Err(errors) => {
            let ctx = Ctx::build(&req, Some(user));
            let page = R::page(ctx, &state, data, form, errors, Vec::new());
            return edit::invalid(&page);
        }
    };
    let (actor, seen) = (user.actor(), form.seen_version());
    let (gid, scope) = (data.grid.id, data.grid.path.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        let before = R::get(conn, gid, id)?;
        if !R::update(conn, gid, id, seen, &fields)? {
            return Ok(Saved::Stale(R::get(conn, gid, id)?));
        }
        R::touched(conn, gid)?;
        let after = R::get(conn, gid, id)?;
        let name = R::row_name(&after);
        audit::updated(conn, &actor, R::ENTITY, id, name, &before, &after, &scope)?;
        Ok(Saved::Done)
    })
    .await?;
    // The layout context takes the session's pending flash: it is built only for a page shown
    // here, so after a save the flash waits for the page the redirect leads to.
    let done = format!("/org/{grid_id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, errors| {
        let mut conflicts = Vec::new();
        if let Some(l) = latest {
            let (mine, theirs) = (R::labelled(&form), R::labelled(&R::form_of(&l)));
            conflicts = edit::stale(&mut form, R::row_version(&l), &mine, &theirs);
            data.row = Some(l);
        }
        R::page(
            Ctx::build(&req, Some(user)),
            &state,
            data,
            form,
            errors,
            conflicts,
        )
    })
}

/// POST /grids/{id}/people/{pid}/delete — the person's row, then their photo.
pub async fn delete_person(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    _f: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, (id, pid)) = (user.clone(), path.into_inner());
    let photo = db::run_write(&state.pool, move |conn| {
        let grid = org_models::get_grid(conn, &u, id)?;
        let before: Person = models::person(conn, grid.id, pid)?;
        models::delete_person(conn, grid.id, pid)?;
        let actor = u.actor();
        audit::deleted(
            conn,
            &actor,
            Person::ENTITY,
            pid,
            &before.name,
            &before,
            &grid.path,
        )?;
        Ok(before.photo)
    })
    .await?;
    crate::photos::delete(&state.uploads, photo.as_deref()).await;
    flash(&session, "ok", "flash.deleted", &[]);
    Ok(see_other(&format!("/org/{id}")))
}
