//! Object handlers: a command's objects (page, export), the object form, an object's page and
//! recording its next step.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::forms::{HouseholdForm, StepForm, labelled};
use super::models::{self, Household};
use super::pages::{COLUMNS, FormPage, ListPage, Row, ShowPage, group_choices};
use crate::auth::CurrentUser;
use crate::db;
use crate::demolition::domain::{self, NOT_STARTED};
use crate::demolition::handlers::load;
use crate::demolition::models::{self as command_models, Command, Group};
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::render_ok;

const ENTITY: &str = "demolition_household";
const STEP: &str = "demolition_step";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub group: String,
}

async fn rows(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    q: &ListQuery,
) -> AppResult<(Command, Vec<Group>, Vec<Household>)> {
    let c = load(state, user, id, false).await?;
    let group = q.group.trim().parse::<i32>().ok();
    db::run(&state.pool, move |conn| {
        let groups = command_models::groups(conn, c.id)?;
        let rows = models::list(conn, c.id, group)?;
        Ok((c, groups, rows))
    })
    .await
}

/// GET /campaigns/demolition/{id}/households — the objects, of one group when chosen.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (c, groups, hs) = rows(&state, &user, path.into_inner(), &q).await?;
    let may_write = domain::may_write(&user, &c.scope_path);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ListPage {
        rows: hs.iter().map(|h| Row::of(&ctx, h, &groups)).collect(),
        groups: group_choices(&groups),
        group: q.into_inner().group,
        ctx,
        c,
        may_write,
    })
}

/// GET /campaigns/demolition/{id}/households/export.xlsx
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (_, groups, hs) = rows(&state, &user, path.into_inner(), &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = hs
        .iter()
        .map(|h| Row::of(&ctx, h, &groups).cells())
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "demolition-households.xlsx",
        "households",
        &COLUMNS,
        &out,
    )
}

async fn groups_of(state: &AppState, c: &Command) -> AppResult<Vec<Group>> {
    let id = c.id;
    db::run(&state.pool, move |conn| command_models::groups(conn, id)).await
}

/// GET /campaigns/demolition/{id}/households/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let groups = groups_of(&state, &c).await?;
    let form = HouseholdForm {
        group_id: q.into_inner().group,
        kind: "household".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, c, form, FormErrors::new(), &groups))
}

/// POST /campaigns/demolition/{id}/households
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<HouseholdForm>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner(), true).await?;
    let groups = groups_of(&state, &c).await?;
    let form = form.0;
    let fields = match form.parse(c.id, &groups) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&FormPage::new(ctx, c, form, e, &groups));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let hid = models::insert(conn, &fields, NOT_STARTED, db::now())?;
        let name = format!("{} {}", fields.address, fields.head);
        crate::audit::created(conn, &actor, ENTITY, hid, &name, &fields, &c.scope_path)?;
        Ok(format!("/campaigns/demolition/{}/households/{hid}", c.id))
    })
    .await
}

type Loaded = (Command, Household, Vec<Group>, Vec<models::Step>);

async fn load_one(state: &AppState, user: &CurrentUser, id: i32, hid: i32) -> AppResult<Loaded> {
    let c = load(state, user, id, false).await?;
    db::run(&state.pool, move |conn| {
        let h = models::get(conn, c.id, hid)?;
        let groups = command_models::groups(conn, c.id)?;
        let steps = models::steps(conn, hid)?;
        Ok((c, h, groups, steps))
    })
    .await
}

/// GET /campaigns/demolition/{id}/households/{hid} — the object, its steps, the next step's form.
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, hid) = path.into_inner();
    let (c, h, groups, steps) = load_one(&state, &user, id, hid).await?;
    let may = domain::may_write(&user, &c.scope_path);
    let form = StepForm {
        step: domain::next_step(&h.stage).unwrap_or("").into(),
        done_on: state.today().to_string(),
        version: h.version.to_string(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage::new(
        ctx,
        c,
        &h,
        &groups,
        &steps,
        form,
        FormErrors::new(),
        may,
    ))
}

/// POST /campaigns/demolition/{id}/households/{hid}/steps — records the next step.
pub async fn take_step(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<StepForm>,
) -> AppResult<HttpResponse> {
    let (id, hid) = path.into_inner();
    let (c, h, groups, steps) = load_one(&state, &user, id, hid).await?;
    if !domain::may_write(&user, &c.scope_path) {
        return Err(crate::error::AppError::Forbidden);
    }
    let mut form = form.0;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let page = |ctx, h: &Household, form, e| {
        ShowPage::new(ctx, c.clone(), h, &groups, &steps, form, e, true)
    };
    let f = match form.parse() {
        Ok(f) => f,
        Err(e) => return edit::invalid(&page(ctx(), &h, form, e)),
    };
    let (u, seen, today) = (user.clone(), form.seen_version(), state.today());
    let (h2, scope) = (h.clone(), c.scope_path.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        let now = models::get(conn, h2.command_id, h2.id)?;
        if now.version != seen {
            return Ok(Saved::Stale(now));
        }
        let last = models::steps(conn, now.id)?.last().map(|s| s.done_on);
        let frozen = command_models::frozen_until(conn, now.group_id)?;
        if let Some((field, key)) =
            domain::refuse_step(&now.stage, &f.step, f.done_on, last, today, frozen)
        {
            return Ok(Saved::refused(field, key));
        }
        if !models::record_step(
            conn,
            &now,
            seen,
            &f.step,
            f.done_on,
            &f.note,
            Some(u.id),
            db::now(),
        )? {
            return Ok(Saved::Stale(models::get(conn, now.command_id, now.id)?));
        }
        let name = format!("{} {} · {}", now.address, now.head, f.step);
        crate::audit::created(conn, &u.actor(), STEP, now.id, &name, &f, &scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/campaigns/demolition/{id}/households/{hid}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let theirs = StepForm {
                step: l.stage.clone(),
                ..Default::default()
            };
            let mine = labelled(&form);
            edit::stale(&mut form, l.version, &mine, &labelled(&theirs))
        });
        let mut p = page(ctx(), latest.as_ref().unwrap_or(&h), form, e);
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}
