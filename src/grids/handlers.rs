use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{PersonForm, SiteForm};
use super::models::{self, Person, StaffOption};
use super::pages::{CardPage, GridSheet, NoticePage, PersonFormPage, SiteFormPage};
use crate::audit;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::org::domain::{DUTIES, PATROL_INTERVALS, SITE_KINDS};
use crate::org::models::{self as org_models, OrgUnit};
use crate::org::{Crumb, crumbs_for, crumbs_from};
use crate::web::csrf::{CsrfForm, NoFields};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors, conflicts, version};
use crate::web::{AppState, idempotency, render_ok, render_status, see_other};

/// The grid (in scope) and its breadcrumbs.
fn grid_with_crumbs(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(OrgUnit, Vec<Crumb>)> {
    let grid = org_models::get_grid(conn, user, id)?;
    let crumbs = crumbs_for(conn, user, &grid)?;
    Ok((grid, crumbs))
}

fn sheet(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(GridSheet, Vec<Crumb>)> {
    let grid = org_models::get_grid(conn, user, id)?;
    // The community and street are read by id, not through the scope: a grid worker's scope is
    // the grid, yet the notice names the community and street it belongs to. The same rows give
    // the breadcrumbs (filtered to the scope).
    let ancestors = org_models::by_ids(conn, &grid.ancestor_ids())?;
    let crumbs = crumbs_from(user, &ancestors);
    let community = ancestors.iter().find(|u| u.kind().is_level2()).cloned();
    let street = ancestors.iter().find(|u| u.kind == "street").cloned();
    let people = models::people(conn, grid.id)?;
    Ok((
        GridSheet {
            grid,
            community,
            street,
            people,
        },
        crumbs,
    ))
}

/// GET /grids/{id}/notice — the public notice (公示), printable on A4.
pub async fn show_notice(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), id.into_inner());
    let (sheet, crumbs) = db::run(&state.pool, move |conn| sheet(conn, &u, id)).await?;
    render_ok(&NoticePage {
        ctx: Ctx::build(&req, Some(user)),
        sheet,
        crumbs,
    })
}

/// GET /grids/{id}/card — service cards (便民服务卡), eight to an A4 sheet.
pub async fn show_card(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), id.into_inner());
    let (sheet, crumbs) = db::run(&state.pool, move |conn| sheet(conn, &u, id)).await?;
    render_ok(&CardPage {
        ctx: Ctx::build(&req, Some(user)),
        sheet,
        crumbs,
        copies: (0..8).collect(),
    })
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

fn duty_choices(ctx: &Ctx) -> Vec<Choice> {
    DUTIES
        .iter()
        .map(|d| Choice::new(d, ctx.t(format!("duty.{d}"))))
        .collect()
}

fn staff_choices(staff: &[StaffOption]) -> Vec<Choice> {
    staff
        .iter()
        .map(|(id, name, _)| Choice::new(id, name))
        .collect()
}

/// Data for the person form: the grid, crumbs, selectable staff and (when editing) the person.
/// What the person form needs: the grid, its crumbs, the staff to choose from, the person.
pub(super) type PersonFormData = (OrgUnit, Vec<Crumb>, Vec<StaffOption>, Option<Person>);

pub(super) fn person_form_data(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    pid: Option<i32>,
) -> AppResult<PersonFormData> {
    let (grid, crumbs) = grid_with_crumbs(conn, user, grid_id)?;
    let staff = models::staff_options(conn, &grid.ancestor_ids())?;
    let person = pid.map(|p| models::person(conn, grid.id, p)).transpose()?;
    Ok((grid, crumbs, staff, person))
}

#[expect(
    clippy::too_many_arguments,
    reason = "everything the person form shows"
)]
pub(super) fn person_page(
    ctx: Ctx,
    grid: OrgUnit,
    crumbs: Vec<Crumb>,
    staff: &[StaffOption],
    person: Option<Person>,
    form: PersonForm,
    errors: FormErrors,
    upload_max: usize,
) -> PersonFormPage {
    PersonFormPage {
        duties: duty_choices(&ctx),
        staff: staff_choices(staff),
        ctx,
        grid,
        crumbs,
        person,
        form,
        errors,
        conflicts: Vec::new(),
        photo_error: None,
        upload_max_mib: upload_max / (1024 * 1024),
    }
}

/// GET /grids/{id}/people/new
pub async fn new_person_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, id) = (user.clone(), id.into_inner());
    let (grid, crumbs, staff, _) = db::run(&state.pool, move |conn| {
        person_form_data(conn, &u, id, None)
    })
    .await?;
    let form = PersonForm {
        duty: "grid_worker".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let page = person_page(
        Ctx::build(&req, Some(user)),
        grid,
        crumbs,
        &staff,
        None,
        form,
        FormErrors::new(),
        state.settings.upload_max_bytes,
    );
    render_ok(&page)
}

/// POST /grids/{id}/people
pub async fn create_person(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<PersonForm>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, id, form) = (user.clone(), id.into_inner(), form.0);
    let (grid, crumbs, staff, _) = db::run(&state.pool, move |conn| {
        person_form_data(conn, &u, id, None)
    })
    .await?;
    let fields = match form.parse(&staff) {
        Ok(f) => f,
        Err(errors) => {
            let page = person_page(
                Ctx::build(&req, Some(user)),
                grid,
                crumbs,
                &staff,
                None,
                form,
                errors,
                state.settings.upload_max_bytes,
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (actor, token, uid) = (user.actor(), form.form_token.clone(), user.id);
    let location = idempotency::create_once(&state.pool, token, uid, move |conn| {
        let pid = models::create_person(conn, grid.id, &fields)?;
        audit::created(
            conn,
            &actor,
            "grid_person",
            pid,
            &fields.name,
            &fields,
            &grid.path,
        )?;
        Ok(format!("/org/{}", grid.id))
    })
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

/// GET /grids/{id}/people/{pid}/edit
pub async fn edit_person_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, (id, pid)) = (user.clone(), path.into_inner());
    let (grid, crumbs, staff, person) = db::run(&state.pool, move |conn| {
        person_form_data(conn, &u, id, Some(pid))
    })
    .await?;
    let form = person
        .as_ref()
        .map(PersonForm::from_person)
        .unwrap_or_default();
    let page = person_page(
        Ctx::build(&req, Some(user)),
        grid,
        crumbs,
        &staff,
        person,
        form,
        FormErrors::new(),
        state.settings.upload_max_bytes,
    );
    render_ok(&page)
}

/// POST /grids/{id}/people/{pid}
pub async fn update_person(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<PersonForm>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, (id, pid), mut form) = (user.clone(), path.into_inner(), form.0);
    let (grid, crumbs, staff, person) = db::run(&state.pool, move |conn| {
        person_form_data(conn, &u, id, Some(pid))
    })
    .await?;
    let fields = match form.parse(&staff) {
        Ok(f) => f,
        Err(errors) => {
            let page = person_page(
                Ctx::build(&req, Some(user)),
                grid,
                crumbs,
                &staff,
                person,
                form,
                errors,
                state.settings.upload_max_bytes,
            );
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (actor, expected, grid_id, scope) = (
        user.actor(),
        version(&form.version),
        grid.id,
        grid.path.clone(),
    );
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::person(conn, grid_id, pid)?;
        if !models::update_person(conn, grid_id, pid, expected, &fields)? {
            return Ok(false);
        }
        let after = models::person(conn, grid_id, pid)?;
        audit::updated(
            conn,
            &actor,
            "grid_person",
            pid,
            &after.name,
            &before,
            &after,
            &scope,
        )?;
        Ok(true)
    })
    .await?;
    if !saved {
        let latest = db::run(&state.pool, move |conn| models::person(conn, grid_id, pid)).await?;
        let rows = conflicts(
            &form.labelled(),
            &PersonForm::from_person(&latest).labelled(),
        );
        form.version = latest.version.to_string();
        let mut page = person_page(
            Ctx::build(&req, Some(user)),
            grid,
            crumbs,
            &staff,
            Some(latest),
            form,
            FormErrors::new(),
            state.settings.upload_max_bytes,
        );
        page.conflicts = rows;
        return render_status(&page, StatusCode::CONFLICT);
    }
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&format!("/org/{id}")))
}

/// POST /grids/{id}/people/{pid}/delete
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
        let before = models::person(conn, grid.id, pid)?;
        models::delete_person(conn, grid.id, pid)?;
        audit::deleted(
            conn,
            &u.actor(),
            "grid_person",
            pid,
            &before.name,
            &before,
            &grid.path,
        )?;
        Ok(before.photo)
    })
    .await?;
    if let Some(key) = photo {
        state.uploads.delete(&key).await;
    }
    flash(&session, "ok", "flash.deleted", &[]);
    Ok(see_other(&format!("/org/{id}")))
}

fn site_page(
    ctx: Ctx,
    grid: OrgUnit,
    crumbs: Vec<Crumb>,
    site_id: Option<i32>,
    form: SiteForm,
    errors: FormErrors,
) -> SiteFormPage {
    let kinds = SITE_KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("site_kind.{k}"))))
        .collect();
    let intervals = PATROL_INTERVALS
        .iter()
        .map(|d| Choice::new(d, ctx.t(format!("interval.{d}"))))
        .collect();
    SiteFormPage {
        ctx,
        grid,
        crumbs,
        site_id,
        kinds,
        intervals,
        form,
        errors,
        conflicts: Vec::new(),
    }
}

/// GET /grids/{id}/sites/new
pub async fn new_site_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, id) = (user.clone(), id.into_inner());
    let (grid, crumbs) = db::run(&state.pool, move |conn| grid_with_crumbs(conn, &u, id)).await?;
    let form = SiteForm {
        patrol_days: "7".into(),
        active: "on".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&site_page(
        Ctx::build(&req, Some(user)),
        grid,
        crumbs,
        None,
        form,
        FormErrors::new(),
    ))
}

/// POST /grids/{id}/sites
pub async fn create_site(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    form: CsrfForm<SiteForm>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, id, form) = (user.clone(), id.into_inner(), form.0);
    let (grid, crumbs) = db::run(&state.pool, move |conn| grid_with_crumbs(conn, &u, id)).await?;
    let fields = match form.parse() {
        Ok(f) => f,
        Err(errors) => {
            return render_status(
                &site_page(
                    Ctx::build(&req, Some(user)),
                    grid,
                    crumbs,
                    None,
                    form,
                    errors,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let (actor, token, uid) = (user.actor(), form.form_token.clone(), user.id);
    let location = idempotency::create_once(&state.pool, token, uid, move |conn| {
        let sid = models::create_site(conn, grid.id, &fields)?;
        crate::org::models::refresh_counts(conn, &[grid.id])?;
        audit::created(
            conn,
            &actor,
            "key_site",
            sid,
            &fields.name,
            &fields,
            &grid.path,
        )?;
        Ok(format!("/org/{}", grid.id))
    })
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

/// GET /grids/{id}/sites/{sid}/edit
pub async fn edit_site_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, (id, sid)) = (user.clone(), path.into_inner());
    let (grid, crumbs, site) = db::run(&state.pool, move |conn| {
        let (grid, crumbs) = grid_with_crumbs(conn, &u, id)?;
        let site = models::site(conn, grid.id, sid)?;
        Ok((grid, crumbs, site))
    })
    .await?;
    render_ok(&site_page(
        Ctx::build(&req, Some(user)),
        grid,
        crumbs,
        Some(sid),
        SiteForm::from_site(&site),
        FormErrors::new(),
    ))
}

/// POST /grids/{id}/sites/{sid}
pub async fn update_site(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<SiteForm>,
) -> AppResult<HttpResponse> {
    user.require_grid_editor()?;
    let (u, (id, sid), mut form) = (user.clone(), path.into_inner(), form.0);
    let (grid, crumbs) = db::run(&state.pool, move |conn| {
        let gc = grid_with_crumbs(conn, &u, id)?;
        models::site(conn, gc.0.id, sid)?;
        Ok(gc)
    })
    .await?;
    let fields = match form.parse() {
        Ok(f) => f,
        Err(errors) => {
            return render_status(
                &site_page(
                    Ctx::build(&req, Some(user)),
                    grid,
                    crumbs,
                    Some(sid),
                    form,
                    errors,
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let (actor, expected, grid_id, scope) = (
        user.actor(),
        version(&form.version),
        grid.id,
        grid.path.clone(),
    );
    let saved = db::run_write(&state.pool, move |conn| {
        let before = models::site(conn, grid_id, sid)?;
        if !models::update_site(conn, grid_id, sid, expected, &fields)? {
            return Ok(false);
        }
        crate::org::models::refresh_counts(conn, &[grid_id])?;
        let after = models::site(conn, grid_id, sid)?;
        audit::updated(
            conn,
            &actor,
            "key_site",
            sid,
            &after.name,
            &before,
            &after,
            &scope,
        )?;
        Ok(true)
    })
    .await?;
    if !saved {
        let latest = db::run(&state.pool, move |conn| models::site(conn, grid_id, sid)).await?;
        let rows = conflicts(&form.labelled(), &SiteForm::from_site(&latest).labelled());
        form.version = latest.version.to_string();
        let mut page = site_page(
            Ctx::build(&req, Some(user)),
            grid,
            crumbs,
            Some(sid),
            form,
            FormErrors::new(),
        );
        page.conflicts = rows;
        return render_status(&page, StatusCode::CONFLICT);
    }
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&format!("/org/{id}")))
}
