//! Household and person handlers: a household added on its compound's page, its page, a person
//! added on it, a person's page (a full view audited).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::PersonForm;
use super::models::{self, Household};
use super::pages::{PersonPage, PersonView, ShowPage, place};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::register::compounds::models::{self as compounds, Building, Compound};
use crate::register::domain;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

const PERSON: &str = "register_person";

/// What a household's page reads.
struct Loaded {
    h: Household,
    c: Compound,
    buildings: Vec<Building>,
    persons: Vec<models::Person>,
}

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let h = models::get_scoped(conn, &u, id)?;
        let c = compounds::get_scoped(conn, &u, h.compound_id)?;
        let buildings = compounds::buildings(conn, c.id)?;
        let persons = models::persons(conn, id)?;
        Ok(Loaded {
            h,
            c,
            buildings,
            persons,
        })
    })
    .await
}

fn page(ctx: Ctx, user: &CurrentUser, d: Loaded, form: PersonForm, errors: FormErrors) -> ShowPage {
    let full = domain::sees_personal(user, &d.h.scope_path);
    let (relations, sexes, tags) = ShowPage::choices(&ctx);
    ShowPage {
        place: place(&d.h, &d.buildings),
        persons: d
            .persons
            .iter()
            .map(|p| PersonView::of(&ctx, p, full))
            .collect(),
        may_write: domain::may_write(user, &d.h.scope_path),
        h: d.h,
        compound: d.c,
        form,
        errors,
        relations,
        sexes,
        tags,
        ctx,
    }
}

/// GET /register/households/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, path.into_inner()).await?;
    let form = PersonForm {
        relation: "householder".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&page(ctx, &user, d, form, FormErrors::new()))
}

/// POST /register/households/{id}/persons — a person added to the household.
pub async fn add_person(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<PersonForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let d = load(&state, &user, id).await?;
    if !domain::may_write(&user, &d.h.scope_path) {
        return Err(AppError::Forbidden);
    }
    let fields = match form.parse(&d.h, state.today()) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user.clone()));
            return edit::invalid(&page(ctx, &user, d, form, e));
        }
    };
    // The audit keeps the person with the ID number and phone masked.
    let mut logged = fields.clone();
    logged.id_number = domain::mask_id(&logged.id_number);
    logged.phone = crate::web::privacy::mask_phone(&logged.phone);
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let pid = models::insert_person(conn, &fields, db::now())?;
        let scope = &fields.scope_path;
        crate::audit::created(conn, &actor, PERSON, pid, &fields.name, &logged, scope)?;
        Ok(format!("/register/households/{id}#persons"))
    })
    .await
}

/// GET /register/persons/{id} — a person's record; shown in full only to who keeps the
/// register, and each full view audited (who, whom, when) before it is shown.
pub async fn person(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (p, h, c, buildings) = db::run(&state.pool, move |conn| {
        let p = models::person_scoped(conn, &u, id)?;
        let h = models::get_scoped(conn, &u, p.household_id)?;
        let c = compounds::get_scoped(conn, &u, h.compound_id)?;
        let b = compounds::buildings(conn, c.id)?;
        Ok((p, h, c, b))
    })
    .await?;
    let full = domain::sees_personal(&user, &p.scope_path);
    if full {
        let (actor, pid, scope) = (user.actor(), p.id, p.scope_path.clone());
        let summary = format!("{} {}", p.name, domain::mask_id(&p.id_number));
        db::run_write(&state.pool, move |conn| {
            crate::audit::record(
                conn,
                &actor,
                "view_personal",
                PERSON,
                Some(pid),
                &summary,
                None::<&()>,
                None::<&()>,
                &scope,
            )
        })
        .await?;
    }
    let may_edit = domain::may_edit_personal(&user, &p.scope_path);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&PersonPage {
        p: PersonView::of(&ctx, &p, full),
        household_id: h.id,
        place: place(&h, &buildings),
        compound: c.name,
        full,
        may_edit,
        ctx,
    })
}
