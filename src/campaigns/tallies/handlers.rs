//! Tally handlers: the entry form, entering a tally, and correcting one (a new entry).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{CorrectForm, TallyForm, labelled};
use super::models::{self, Tally, TallyFields};
use super::pages::{CorrectPage, TallyPage};
use crate::auth::CurrentUser;
use crate::campaigns::domain;
use crate::campaigns::models::{self as campaign_models, Campaign, Target};
use crate::campaigns::pages::TallyView;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's name for a tally entry.
const ENTITY: &str = "campaign_tally";

type Units = Vec<(i32, String, i32, String)>;

/// The campaign, its targets and the units this user may enter tallies for (403 when none).
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Campaign, Vec<Target>, Units)> {
    let u = user.clone();
    let (c, ts, units) = db::run(&state.pool, move |conn| {
        let c = campaign_models::get_scoped(conn, &u, id)?;
        let ts = campaign_models::targets(conn, id)?;
        let units = models::tally_units(conn, &u, &c.scope_path)?;
        Ok((c, ts, units))
    })
    .await?;
    if !domain::may_enter(user, &c.scope_path) || units.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok((c, ts, units))
}

/// GET /campaigns/{id}/tallies/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (c, ts, units) = load(&state, &user, path.into_inner()).await?;
    let form = TallyForm {
        target_id: ts.first().map(|t| t.id.to_string()).unwrap_or_default(),
        unit_id: units.last().map(|u| u.0.to_string()).unwrap_or_default(),
        done_on: state.today().min(c.ends_on).to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&TallyPage::new(
        ctx,
        &c,
        &ts,
        &units,
        form,
        FormErrors::new(),
    ))
}

/// POST /campaigns/{id}/tallies — one entry, frozen once written.
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<TallyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (c, ts, units) = load(&state, &user, id).await?;
    let p = match form.parse(&c, &ts, &units, state.today()) {
        Ok(p) => p,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&TallyPage::new(ctx, &c, &ts, &units, form, e));
        }
    };
    let fields = TallyFields {
        campaign_id: id,
        target_id: p.target_id,
        unit_id: p.unit_id,
        scope_path: p.scope_path,
        done_on: p.done_on,
        amount: p.amount,
        note: p.note,
        corrects_id: None,
        reason: String::new(),
        entered_by: user.id,
    };
    let actor = user.actor();
    let name = format!("{} · {}", c.name, fields.done_on);
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let tid = models::insert(conn, &fields, db::now())?;
        let scope = fields.scope_path.clone();
        crate::audit::created(conn, &actor, ENTITY, tid, &name, &fields, &scope)?;
        Ok(format!("/campaigns/{id}#tallies"))
    })
    .await
}

/// The entry (in the user's scope and writable by them), the latest entry of its chain, and
/// the view of that one.
async fn load_entry(
    state: &AppState,
    req: &HttpRequest,
    user: &CurrentUser,
    (id, tid): (i32, i32),
) -> AppResult<(Campaign, Tally, Tally, TallyView)> {
    let u = user.clone();
    let (c, ts, all) = db::run(&state.pool, move |conn| {
        let c = campaign_models::get_scoped(conn, &u, id)?;
        Ok((
            c,
            campaign_models::targets(conn, id)?,
            models::of_campaign(conn, id)?,
        ))
    })
    .await?;
    let t = all
        .iter()
        .find(|t| t.id == tid)
        .cloned()
        .ok_or(AppError::NotFound)?;
    if !user.sees(&t.scope_path) && !user.sees(&c.scope_path) {
        return Err(AppError::NotFound);
    }
    if !domain::may_tally(user, &t.scope_path) {
        return Err(AppError::Forbidden);
    }
    let entries: Vec<domain::Entry> = all.iter().map(Tally::entry).collect();
    let head_id = domain::head_of(&entries, tid).unwrap_or(tid);
    let head = all
        .iter()
        .find(|x| x.id == head_id)
        .cloned()
        .unwrap_or_else(|| t.clone());
    let unit = t.unit_id;
    let names = db::run(&state.pool, move |conn| {
        crate::issues::models::unit_names(conn, [unit])
    })
    .await?;
    let ctx = Ctx::build(req, Some(user.clone()));
    let view = TallyView::of(&ctx, &head, &ts, &names, true);
    Ok((c, t, head, view))
}

/// GET /campaigns/{id}/tallies/{tid}/correct
pub async fn correct_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (c, _, head, entry) = load_entry(&state, &req, &user, path.into_inner()).await?;
    let form = CorrectForm {
        amount: head.amount.to_string(),
        version: head.id.to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&CorrectPage {
        ctx: Ctx::build(&req, Some(user)),
        campaign_id: c.id,
        campaign: c.name,
        entry,
        form,
        errors: FormErrors::new(),
        conflicts: Vec::new(),
    })
}

/// POST /campaigns/{id}/tallies/{tid}/correct — a new entry replacing the chain's figure, with
/// its reason; stale (409) when another correction came first.
pub async fn correct(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<CorrectForm>,
) -> AppResult<HttpResponse> {
    let (id, tid) = path.into_inner();
    let mut form = form.0;
    let (c, first, head, entry) = load_entry(&state, &req, &user, (id, tid)).await?;
    let page = |form, errors, conflicts| CorrectPage {
        ctx: Ctx::build(&req, Some(user.clone())),
        campaign_id: c.id,
        campaign: c.name.clone(),
        entry,
        form,
        errors,
        conflicts,
    };
    let (amount, reason) = match form.parse() {
        Ok(p) => p,
        Err(e) => return edit::invalid(&page(form, e, Vec::new())),
    };
    let done = format!("/campaigns/{id}#tallies");
    if form.seen_version() != head.id {
        let mine = labelled(&form.amount, &form.reason);
        let theirs = labelled(&head.amount.to_string(), &head.reason);
        let conflicts = edit::stale(&mut form, head.id, &mine, &theirs);
        return edit::conflict(
            &session,
            &page(form, FormErrors::new(), conflicts),
            ("flash.saved", &done),
        );
    }
    let fields = TallyFields {
        campaign_id: id,
        target_id: first.target_id,
        unit_id: first.unit_id,
        scope_path: first.scope_path.clone(),
        done_on: first.done_on,
        amount,
        note: first.note.clone(),
        corrects_id: Some(head.id),
        reason,
        entered_by: user.id,
    };
    let actor = user.actor();
    let name = format!("{} · {} · #{}", c.name, first.done_on, first.id);
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let entries: Vec<domain::Entry> = models::of_campaign(conn, id)?
            .iter()
            .map(Tally::entry)
            .collect();
        if domain::head_of(&entries, tid) != Some(head.id) {
            return Err(AppError::Conflict);
        }
        let nid = models::insert(conn, &fields, db::now())?;
        let scope = fields.scope_path.clone();
        crate::audit::created(conn, &actor, ENTITY, nid, &name, &fields, &scope)?;
        Ok(done)
    })
    .await
}
