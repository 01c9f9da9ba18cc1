//! The record's handlers. Long minutes are never lost: a timed-out session keeps the form for
//! after the login, a stale edit is refused with both versions and the typed form kept, a bad
//! field is a message beside it. Once finalized, a change is a correction with a reason.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{RecordErrors, RecordForm};
use super::models::{self, Person, Save};
use super::pages::{RecordPage, fields, form_of};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::meetings::domain::{self, State};
use crate::meetings::models::{self as meeting, Meeting};
use crate::web::crumbs::Crumb;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, DraftQuery, Saved, VersionedForm};
use crate::web::forms::conflicts;
use crate::web::{AppState, drafts, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "meeting_record_draft";

/// The meeting as saved, with where its unit sits (its name last) and its attendees.
struct Loaded {
    m: Meeting,
    crumbs: Vec<Crumb>,
    people: Vec<Person>,
}

async fn load_saved(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let u = user.clone();
    let s = db::run(&state.pool, move |conn| {
        let m = meeting::get_scoped(conn, &u, id)?;
        let crumbs = crate::org::crumbs_for(conn, &u, &m.scope_path)?;
        let people = models::people(conn, id)?;
        Ok(Loaded { m, crumbs, people })
    })
    .await?;
    if !domain::may_record(user, &s.m.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

fn page(ctx: Ctx, s: Loaded, form: RecordForm, errors: RecordErrors) -> RecordPage {
    RecordPage::new(ctx, s.m, s.crumbs, s.people, form, errors)
}

/// GET /meetings/{id}/record
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    query: web::Query<DraftQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft: Option<RecordForm> =
        edit::restored(&state.pool, &session, DRAFT_KEY, &query).await?;
    let s = load_saved(&state, &user, id).await?;
    let restored = draft.is_some();
    let form = draft.unwrap_or_else(|| form_of(&s.m, &s.people));
    let mut p = page(
        Ctx::build(&req, Some(user)),
        s,
        form,
        RecordErrors::default(),
    );
    p.restored = restored;
    render_ok(&p)
}

/// POST /meetings/{id}/record
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = RecordForm::from_pairs(&form.0);
    let next = edit::draft_return(&format!("/meetings/{id}/record"));
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let s = load_saved(&state, &user, id).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let correcting = s.m.state() == State::Final;
    let ids: Vec<i32> = s.people.iter().map(|p| p.id).collect();
    let before = fields(&ctx, &form_of(&s.m, &s.people), &s.people);
    let after = fields(&ctx, &form, &s.people);
    if form.seen_version() != s.m.version {
        let latest = Box::new((s.m.clone(), s.people.clone()));
        return stale(ctx, &session, s, form, &latest);
    }
    let changes = conflicts(&before, &after);
    let record = match form.parse(&ids, correcting) {
        Ok(_) if correcting && changes.is_empty() => {
            let mut e = RecordErrors::default();
            e.form.add("reason", "meetings.nothing_changed");
            return render_status(&page(ctx, s, form, e), StatusCode::UNPROCESSABLE_ENTITY);
        }
        Ok(r) => r,
        Err(e) => return render_status(&page(ctx, s, form, *e), StatusCode::UNPROCESSABLE_ENTITY),
    };
    let save = Save {
        record,
        seen: s.m.version,
        correction: correcting.then(|| edit::changes_json(&changes)),
        before: edit::labelled_json(&before),
        after: edit::labelled_json(&after),
        now: db::now(),
    };
    let u = user.clone();
    let saved = db::run_write(&state.pool, move |conn| models::save(conn, &u, id, &save)).await?;
    match saved {
        Saved::Done => {
            let key = match correcting {
                true => "meetings.corrected_flash",
                false => "flash.saved",
            };
            flash(&session, "ok", key, &[]);
            Ok(see_other(&format!("/meetings/{id}")))
        }
        Saved::Refused(e) => {
            let errors = RecordErrors {
                form: e,
                ..Default::default()
            };
            render_status(
                &page(ctx, s, form, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
        Saved::Stale(latest) => {
            let s = load_saved(&state, &user, id).await?;
            stale(ctx, &session, s, form, &latest)
        }
    }
}

/// 409: someone saved the record since this form was opened. Both versions are shown; the typed
/// form is kept and carries the current version, so submitting again saves it deliberately.
fn stale(
    ctx: Ctx,
    session: &Session,
    s: Loaded,
    mut form: RecordForm,
    latest: &(Meeting, Vec<Person>),
) -> AppResult<HttpResponse> {
    let (current, people) = latest;
    let theirs = fields(&ctx, &form_of(current, people), people);
    let mine = fields(&ctx, &form, people);
    let rows = edit::stale(&mut form, current.version, &mine, &theirs);
    let done = format!("/meetings/{}", current.id);
    let mut p = page(ctx, s, form, RecordErrors::default());
    p.conflicts = rows;
    edit::conflict(session, &p, ("flash.saved", &done))
}
