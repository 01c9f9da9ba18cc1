//! Edit and move-out handlers of households and persons. Each reads its record in the user's
//! scope (404 outside), checks who may write (403), parses (422 beside the field), writes only at
//! the version the form was opened on (409 with both versions) and audits the change. A
//! person's form shows the ID number and phone in full, so only who reads them in full edits it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{HouseholdEdit, MoveOutForm, PersonEdit};
use super::models;
use super::pages::{HouseholdPage, PersonPage, Where, building_choices};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::register::compounds::models::{self as compounds, Building, Compound};
use crate::register::domain;
use crate::register::households::models::{self as households, Household, Person};
use crate::register::households::pages::{ShowPage, place};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

const HOUSEHOLD: &str = "register_household";
const PERSON: &str = "register_person";

struct Loaded {
    h: Household,
    c: Compound,
    buildings: Vec<Building>,
    person: Option<Person>,
}

impl Loaded {
    fn at(&self) -> Where {
        Where {
            household_id: self.h.id,
            compound_id: self.c.id,
            compound: self.c.name.clone(),
            place: place(&self.h, &self.buildings),
        }
    }
}

/// A household (or, with `person`, a person and their household) in scope, for a writer.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    household: Option<i32>,
    person: Option<i32>,
) -> AppResult<Loaded> {
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| {
        let person = match person {
            Some(id) => Some(households::person_scoped(conn, &u, id)?),
            None => None,
        };
        let hid = person.as_ref().map(|p| p.household_id).or(household);
        let h = households::get_scoped(conn, &u, hid.unwrap_or_default())?;
        let c = compounds::get_scoped(conn, &u, h.compound_id)?;
        let buildings = compounds::buildings(conn, c.id)?;
        Ok(Loaded {
            h,
            c,
            buildings,
            person,
        })
    })
    .await?;
    let may = match d.person {
        Some(_) => domain::may_edit_personal(user, &d.h.scope_path),
        None => domain::may_write(user, &d.h.scope_path),
    };
    if !may {
        return Err(AppError::Forbidden);
    }
    Ok(d)
}

fn household_page(
    ctx: Ctx,
    d: &Loaded,
    form: HouseholdEdit,
    errors: FormErrors,
    out: (MoveOutForm, FormErrors),
) -> HouseholdPage {
    HouseholdPage {
        moved_out: d.h.moved_out.map(|x| ctx.date(&x)),
        at: d.at(),
        buildings: building_choices(&d.buildings),
        form,
        errors,
        out: out.0,
        out_errors: out.1,
        conflicts: Vec::new(),
        ctx,
    }
}

fn person_page(
    ctx: Ctx,
    d: &Loaded,
    p: &Person,
    form: PersonEdit,
    errors: FormErrors,
    out: (MoveOutForm, FormErrors),
) -> PersonPage {
    let (relations, sexes, tags) = ShowPage::choices(&ctx);
    PersonPage {
        moved_out: p.moved_out.map(|x| ctx.date(&x)),
        at: d.at(),
        person_id: p.id,
        form,
        errors,
        relations,
        sexes,
        tags,
        out: out.0,
        out_errors: out.1,
        conflicts: Vec::new(),
        ctx,
    }
}

/// GET /register/households/{id}/edit
pub async fn household_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, Some(path.into_inner()), None).await?;
    let out = MoveOutForm::new(d.h.version, state.today());
    let ctx = Ctx::build(&req, Some(user));
    let form = HouseholdEdit::of(&d.h);
    render_ok(&household_page(
        ctx,
        &d,
        form,
        FormErrors::new(),
        (out, FormErrors::new()),
    ))
}

/// POST /register/households/{id} — the household edited.
pub async fn household_update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<HouseholdEdit>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let d = load(&state, &user, Some(id), None).await?;
    let out = || {
        (
            MoveOutForm::new(d.h.version, state.today()),
            FormErrors::new(),
        )
    };
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&d.c, &d.buildings) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&household_page(ctx(), &d, form, e, out())),
    };
    let before = labelled_json(&HouseholdEdit::of(&d.h).labelled(&d.buildings));
    let after = labelled_json(&form.labelled(&d.buildings));
    let (u, seen, scope) = (user.clone(), form.seen_version(), d.h.scope_path.clone());
    let name = format!("{} {}", d.c.name, d.at().place);
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update_household(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(households::get_scoped(conn, &u, id)?));
        }
        crate::audit::updated(
            conn,
            &u.actor(),
            HOUSEHOLD,
            id,
            &name,
            &before,
            &after,
            &scope,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/register/households/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (
                form.labelled(&d.buildings),
                HouseholdEdit::of(l).labelled(&d.buildings),
            );
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut p = household_page(ctx(), &d, form, e, out());
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}

/// POST /register/households/{id}/move_out — the household moves out on a day, its persons
/// living there with it; nothing is deleted.
pub async fn household_move_out(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<MoveOutForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut out = form.0;
    let d = load(&state, &user, Some(id), None).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let page = |out: MoveOutForm, e: FormErrors| {
        household_page(
            ctx(),
            &d,
            HouseholdEdit::of(&d.h),
            FormErrors::new(),
            (out, e),
        )
    };
    let day = match out.parse(d.h.moved_in, state.today()) {
        Ok(day) => day,
        Err(e) => return edit::invalid(&page(out, e)),
    };
    let (u, seen, scope) = (user.clone(), out.seen_version(), d.h.scope_path.clone());
    let name = format!("{} {}", d.c.name, d.at().place);
    let saved = db::run_write(&state.pool, move |conn| {
        let Some(n) = models::move_household_out(conn, id, seen, day, db::now())? else {
            return Ok(Saved::Stale(households::get_scoped(conn, &u, id)?));
        };
        let after = serde_json::json!({ "register.moved_out": day.to_string(), "persons": n });
        let actor = u.actor();
        let none = None::<&()>;
        crate::audit::record(
            conn,
            &actor,
            "move_out",
            HOUSEHOLD,
            Some(id),
            &name,
            none,
            Some(&after),
            &scope,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/register/households/{id}");
    edit::answer(&session, saved, ("regimport.moved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let theirs = MoveOutForm::latest(l.moved_out, l.version).labelled();
            let mine = out.labelled();
            edit::stale(&mut out, l.version, &mine, &theirs)
        });
        let mut p = page(out, e);
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}

/// GET /register/persons/{id}/edit
pub async fn person_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, None, Some(path.into_inner())).await?;
    let p = d.person.clone().ok_or(AppError::NotFound)?;
    let out = MoveOutForm::new(p.version, state.today());
    let ctx = Ctx::build(&req, Some(user));
    let form = PersonEdit::of(&p);
    render_ok(&person_page(
        ctx,
        &d,
        &p,
        form,
        FormErrors::new(),
        (out, FormErrors::new()),
    ))
}

/// POST /register/persons/{id} — the person edited; an ID number another living person holds
/// is refused.
pub async fn person_update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<PersonEdit>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let d = load(&state, &user, None, Some(id)).await?;
    let p = d.person.clone().ok_or(AppError::NotFound)?;
    let out = || {
        (
            MoveOutForm::new(p.version, state.today()),
            FormErrors::new(),
        )
    };
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&d.h, state.today()) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&person_page(ctx(), &d, &p, form, e, out())),
    };
    let before = labelled_json(&PersonEdit::of(&p).labelled(true));
    let after = labelled_json(&form.labelled(true));
    let (u, seen, scope) = (user.clone(), form.seen_version(), p.scope_path.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        if models::id_taken(conn, &fields.id_number, Some(id))? {
            return Ok(Saved::refused("id_number", "regimport.id_taken"));
        }
        if !models::update_person(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(households::person_scoped(conn, &u, id)?));
        }
        let name = &fields.name;
        crate::audit::updated(conn, &u.actor(), PERSON, id, name, &before, &after, &scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/register/persons/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (form.labelled(false), PersonEdit::of(l).labelled(false));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut page = person_page(ctx(), &d, &p, form, e, out());
        page.conflicts = conflicts.unwrap_or_default();
        page
    })
}

/// POST /register/persons/{id}/move_out — the person moves out on a day; the record stays.
pub async fn person_move_out(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<MoveOutForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut out = form.0;
    let d = load(&state, &user, None, Some(id)).await?;
    let p = d.person.clone().ok_or(AppError::NotFound)?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let page = |out: MoveOutForm, e: FormErrors| {
        person_page(
            ctx(),
            &d,
            &p,
            PersonEdit::of(&p),
            FormErrors::new(),
            (out, e),
        )
    };
    let day = match out.parse(p.moved_in, state.today()) {
        Ok(day) => day,
        Err(e) => return edit::invalid(&page(out, e)),
    };
    let (u, seen, scope) = (user.clone(), out.seen_version(), p.scope_path.clone());
    let name = p.name.clone();
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::move_person_out(conn, id, seen, day, db::now())? {
            return Ok(Saved::Stale(households::person_scoped(conn, &u, id)?));
        }
        let after = serde_json::json!({ "register.moved_out": day.to_string() });
        let actor = u.actor();
        let none = None::<&()>;
        crate::audit::record(
            conn,
            &actor,
            "move_out",
            PERSON,
            Some(id),
            &name,
            none,
            Some(&after),
            &scope,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/register/persons/{id}");
    edit::answer(&session, saved, ("regimport.moved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let theirs = MoveOutForm::latest(l.moved_out, l.version).labelled();
            let mine = out.labelled();
            edit::stale(&mut out, l.version, &mine, &theirs)
        });
        let mut pg = page(out, e);
        pg.conflicts = conflicts.unwrap_or_default();
        pg
    })
}
