//! An agenda item's handlers: its page with the decision form, saving the decision (written
//! back to the issue), and a free topic turned into an issue.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{DecisionForm, DecisionInput, TopicIssueForm};
use super::models::{self, ItemData, MeetingLabel, Save};
use super::pages::{ItemPage, fields, form_of, typed_name};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::issues::decision;
use crate::issues::workflow::Clock;
use crate::meetings::agenda::models::Item;
use crate::meetings::domain::{self, State};
use crate::meetings::pages::{meeting_name, meeting_ref};
use crate::org::models::UnitGroup;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, DraftQuery, Saved, VersionedForm};
use crate::web::forms::{FormErrors, conflicts};
use crate::web::{AppState, drafts, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "meeting_item_draft";

async fn load(state: &AppState, user: &CurrentUser, id: i32, item_id: i32) -> AppResult<ItemData> {
    let u = user.clone();
    db::run(&state.pool, move |conn| models::load(conn, &u, id, item_id)).await
}

/// GET /meetings/{id}/items/{item}
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    query: web::Query<DraftQuery>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let draft: Option<DecisionForm> =
        edit::restored(&state.pool, &session, DRAFT_KEY, &query).await?;
    let d = load(&state, &user, id, item_id).await?;
    let restored = draft.is_some();
    let form = draft.unwrap_or_else(|| form_of(&d.item));
    let ctx = Ctx::build(&req, Some(user.clone()));
    let mut p = ItemPage::new(ctx, &user, d, form, FormErrors::new(), state.today());
    p.restored = restored;
    render_ok(&p)
}

/// The typed decision, parsed and checked against whom the meeting's unit can name and, for an
/// issue, against `issues::decision::check`.
async fn check(
    state: &AppState,
    user: &CurrentUser,
    d: &ItemData,
    form: &DecisionForm,
    no_change: bool,
) -> AppResult<Result<DecisionInput, FormErrors>> {
    let correcting = d.l.m.state() == State::Final;
    let input = match form.parse(d.l.m.day, correcting) {
        Ok(i) => i,
        Err(e) => return Ok(Err(e)),
    };
    let mut e = FormErrors::new();
    match d.targets.name(&input.target) {
        None => e.add("target_kind", "meetings.target_outside"),
        Some(_) if correcting && no_change => e.add("reason", "meetings.nothing_changed"),
        Some(_) => {}
    }
    if let (Some(issue), Some(t)) = (d.item.issue_id, &input.target) {
        let (u, t) = (user.clone(), t.clone());
        let checked = db::run(&state.pool, move |conn| {
            Ok(decision::check(conn, &u, issue, &t))
        })
        .await?;
        if let Err(key) = checked {
            e.add("target_kind", key);
        }
    }
    Ok(e.finish(|| input))
}

/// POST /meetings/{id}/items/{item} — saves the discussion and decision; a decision on an issue
/// is written back to it in the same transaction.
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let form = form.0;
    let next = edit::draft_return(&format!("/meetings/{id}/items/{item_id}"));
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let d = load(&state, &user, id, item_id).await?;
    if !domain::may_record(&user, &d.l.m.scope_path) {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::build(&req, Some(user.clone()));
    let today = state.today();
    if d.l.m.state() == State::Draft {
        let mut e = FormErrors::new();
        e.add("solution", "meetings.hold_first");
        let p = ItemPage::new(ctx, &user, d, form, e, today);
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    if form.seen_version() != d.item.version {
        let latest = d.item.clone();
        return stale((ctx, &session), &user, d, form, &latest, today);
    }
    let saved = form_of(&d.item);
    let before = fields(&saved, &typed_name(&d.targets, &saved));
    let after = fields(&form, &typed_name(&d.targets, &form));
    let changes = conflicts(&before, &after);
    let input = match check(&state, &user, &d, &form, changes.is_empty()).await? {
        Ok(i) => i,
        Err(e) => {
            let p = ItemPage::new(ctx, &user, d, form, e, today);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let m = d.l.m.clone();
    let save = Save {
        resp_name: d.targets.name(&input.target).unwrap_or_default(),
        meeting_label: meeting_ref(&d.l.unit_name, &m.kind, &m.day),
        correction: (m.state() == State::Final).then(|| edit::changes_json(&changes)),
        clock: Clock::at(state.tz),
        input,
    };
    let (u, item) = (user.clone(), d.item.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        models::save(conn, &u, &m, &item, &save)
    })
    .await?;
    match saved {
        Saved::Done => {
            flash(&session, "ok", "meetings.decision_saved_flash", &[]);
            Ok(see_other(&format!("/meetings/{id}#item-{item_id}")))
        }
        Saved::Refused(e) => {
            let d = load(&state, &user, id, item_id).await?;
            let p = ItemPage::new(ctx, &user, d, form, e, today);
            render_status(&p, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Saved::Stale(latest) => {
            let d = load(&state, &user, id, item_id).await?;
            stale((ctx, &session), &user, d, form, &latest, today)
        }
    }
}

/// 409: someone saved this item since the form was opened; both versions shown, typed kept
/// (`edit::conflict`: when nothing differs, it was saved already).
fn stale(
    (ctx, session): (Ctx, &Session),
    user: &CurrentUser,
    d: ItemData,
    mut form: DecisionForm,
    latest: &Item,
    today: chrono::NaiveDate,
) -> AppResult<HttpResponse> {
    let theirs = fields(&form_of(latest), &latest.resp_name);
    let mine = fields(&form, &typed_name(&d.targets, &form));
    let rows = edit::stale(&mut form, latest.version, &mine, &theirs);
    let done = format!("/meetings/{}#item-{}", d.l.m.id, d.item.id);
    let mut p = ItemPage::new(ctx, user, d, form, FormErrors::new(), today);
    p.conflicts = rows;
    edit::conflict(session, &p, ("meetings.decision_saved_flash", &done))
}

/// POST /meetings/{id}/items/{item}/issue — a free topic becomes an issue in the register
/// (source: meeting), linked to the item; the item's decision, if any, is written to it.
pub async fn make_issue(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<TopicIssueForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let form = form.0;
    let d = load(&state, &user, id, item_id).await?;
    if !domain::may_record(&user, &d.l.m.scope_path) || d.l.m.state() == State::Final {
        return Err(AppError::Forbidden);
    }
    if d.item.issue_id.is_some() {
        return Ok(see_other(&format!("/meetings/{id}/items/{item_id}")));
    }
    let grid_ids = UnitGroup::ids(&d.grids);
    let ctx = Ctx::build(&req, Some(user.clone()));
    let topic = match form.parse(&d.cats, &grid_ids) {
        Ok(t) => t,
        Err(e) => {
            let saved = form_of(&d.item);
            let mut p = ItemPage::new(ctx, &user, d, saved, FormErrors::new(), state.today());
            p.topic = form;
            p.topic_errors = e;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let label = MeetingLabel {
        stored: meeting_ref(&d.l.unit_name, &d.l.m.kind, &d.l.m.day),
        shown: meeting_name(&ctx, &d.l.unit_name, &d.l.m.kind, &d.l.m.day),
    };
    let (u, clock, item) = (user.clone(), Clock::at(state.tz), d.item);
    let token = form.form_token.clone();
    let location = crate::web::idempotency::create_once(&state.pool, token, user.id, move |conn| {
        models::make_issue(conn, &u, id, &item, &topic, &label, &clock)?;
        Ok(format!("/meetings/{id}/items/{}", item.id))
    })
    .await?;
    flash(&session, "ok", "meetings.topic_issue_flash", &[]);
    Ok(see_other(&location))
}
