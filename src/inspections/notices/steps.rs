//! The steps on an issued notice: 签收 and the answers by the responsible unit, an extension
//! asked for by it (before the deadline only) and decided by the issuing office (never by the
//! one who asked). Each step is audited; the versioned ones answer 409 when someone moved first.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain;
use super::forms::{AnswerForm, DecideForm, ExtForm, SignForm};
use super::handlers::{ENTITY, page};
use super::models::{self, Notice};
use super::pages::Typed;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::flash;
use crate::web::edit::{self, Labelled, Saved, VersionedForm, labelled_json};
use crate::web::{AppState, see_other};

/// The audit log's name for an answer.
pub const ANSWER: &str = "inspection_answer";

/// The notice in scope, if `allowed` says the user may take this step on it (403 otherwise).
async fn allowed(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    rule: fn(&CurrentUser, &Notice) -> bool,
) -> AppResult<Notice> {
    let u = user.clone();
    let n = db::run(&state.pool, move |c| models::get_scoped(c, &u, id)).await?;
    if rule(user, &n) {
        Ok(n)
    } else {
        Err(AppError::Forbidden)
    }
}

fn responds(u: &CurrentUser, n: &Notice) -> bool {
    domain::may_respond(u, &n.issuer_path, &n.unit_path)
}

fn decides(u: &CurrentUser, n: &Notice) -> bool {
    domain::may_decide(u, &n.issuer_path, n.ext_asked_by)
}

fn sign_fields(n: &Notice) -> Labelled {
    vec![("notices.signed_name", n.signed_name.clone())]
}

fn ext_fields(n: &Notice) -> Labelled {
    vec![
        ("notices.ext_days", n.ext_days.to_string()),
        ("notices.ext_reason", n.ext_reason.clone()),
        ("notices.ext_state_label", n.ext_state.clone()),
    ]
}

/// One versioned step's write: the notice at `seen`, or Stale; `step` refuses or writes.
async fn versioned(
    state: &AppState,
    user: &CurrentUser,
    (id, seen): (i32, i32),
    fields: fn(&Notice) -> Labelled,
    step: impl FnOnce(&mut AnyConnection, &Notice) -> AppResult<Option<Saved<Notice>>> + Send + 'static,
) -> AppResult<Saved<Notice>> {
    let actor = user.actor();
    db::run_write(&state.pool, move |conn| {
        let before = models::get(conn, id)?;
        if before.version != seen {
            return Ok(Saved::Stale(before));
        }
        if let Some(refused) = step(conn, &before)? {
            return Ok(refused);
        }
        let after = models::get(conn, id)?;
        crate::audit::updated(
            conn,
            &actor,
            ENTITY,
            id,
            &after.unit_name,
            &labelled_json(&fields(&before)),
            &labelled_json(&fields(&after)),
            &after.unit_path,
        )?;
        Ok(Saved::Done)
    })
    .await
}

/// The end of a versioned step: 303 back to the notice, its page with the messages (422), or
/// with both versions (409).
#[expect(
    clippy::too_many_arguments,
    reason = "the step's request, its outcome and its form"
)]
async fn finish(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    session: &Session,
    id: i32,
    saved: Saved<Notice>,
    mut t: Typed,
    mine: Labelled,
    fields: fn(&Notice) -> Labelled,
) -> AppResult<HttpResponse> {
    let done = format!("/inspections/notices/{id}");
    match saved {
        Saved::Done => {
            flash(session, "ok", "flash.saved", &[]);
            Ok(see_other(&done))
        }
        Saved::Refused(errors) => {
            t.errors = errors;
            edit::invalid(&page(req, user, state, id, t).await?)
        }
        Saved::Stale(latest) => {
            t.conflicts = crate::web::forms::conflicts(&mine, &fields(&latest));
            t.sign.set_version(latest.version);
            t.ext.set_version(latest.version);
            let p = page(req, user, state, id, t).await?;
            edit::conflict(session, &p, ("flash.saved", &done))
        }
    }
}

/// POST /inspections/notices/{id}/sign — 签收 by the responsible unit.
pub async fn sign(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<SignForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.0);
    allowed(&state, &user, id, responds).await?;
    let t = Typed {
        sign: form.clone(),
        ..Default::default()
    };
    let name = match form.parse() {
        Ok(n) => n,
        Err(errors) => {
            return edit::invalid(&page(&req, user, &state, id, Typed { errors, ..t }).await?);
        }
    };
    let (by, mine) = (user.id, vec![("notices.signed_name", name.clone())]);
    let saved = versioned(
        &state,
        &user,
        (id, form.seen_version()),
        sign_fields,
        move |c, n| {
            if n.signed() {
                return Ok(Some(Saved::refused(
                    "signed_name",
                    "notices.already_signed",
                )));
            }
            models::sign(c, n.id, n.version, &name, by, db::now())?;
            Ok(None)
        },
    )
    .await?;
    finish(
        &req,
        user,
        &state,
        &session,
        id,
        saved,
        t,
        mine,
        sign_fields,
    )
    .await
}

/// POST /inspections/notices/{id}/answers — the unit's answer to one finding (once per token).
pub async fn answer(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<AnswerForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.0);
    let n = allowed(&state, &user, id, responds).await?;
    let held = db::run(&state.pool, move |c| models::findings_of(c, id)).await?;
    let parsed = form.parse(&held).and_then(|p| {
        if n.signed() {
            Ok(p)
        } else {
            let mut e = crate::web::forms::FormErrors::new();
            e.add("body", "notices.sign_first");
            Err(e)
        }
    });
    let (finding, body) = match parsed {
        Ok(p) => p,
        Err(errors) => {
            let t = Typed {
                answer: form,
                errors,
                ..Default::default()
            };
            return edit::invalid(&page(&req, user, &state, id, t).await?);
        }
    };
    let (u, once) = (user.clone(), (form.form_token.clone(), user.id));
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let who = (u.id, u.display_name.as_str());
        let aid = models::insert_answer(conn, id, finding, &body, who, db::now())?;
        let after = serde_json::json!({ "notice": id, "finding": finding, "body": body });
        crate::audit::created(
            conn,
            &u.actor(),
            ANSWER,
            aid,
            &n.unit_name,
            &after,
            &n.unit_path,
        )?;
        Ok(format!("/inspections/notices/{id}#finding-{finding}"))
    })
    .await
}

/// POST /inspections/notices/{id}/extension — asked for by the unit, before the deadline.
pub async fn ask(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<ExtForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.0);
    allowed(&state, &user, id, responds).await?;
    let t = Typed {
        ext: form.clone(),
        ..Default::default()
    };
    let (days, reason) = match form.parse() {
        Ok(p) => p,
        Err(errors) => {
            return edit::invalid(&page(&req, user, &state, id, Typed { errors, ..t }).await?);
        }
    };
    let mine = vec![
        ("notices.ext_days", days.to_string()),
        ("notices.ext_reason", reason.clone()),
        ("notices.ext_state_label", "asked".to_string()),
    ];
    let (by, today) = (user.id, state.today());
    let saved = versioned(
        &state,
        &user,
        (id, form.seen_version()),
        ext_fields,
        move |c, n| {
            if let Some(key) = domain::ask_refused(&n.ext_state, n.deadline, today) {
                return Ok(Some(Saved::refused("ext_days", key)));
            }
            models::ask_extension(c, n.id, n.version, (days, &reason), by, db::now())?;
            Ok(None)
        },
    )
    .await?;
    finish(&req, user, &state, &session, id, saved, t, mine, ext_fields).await
}

/// POST /inspections/notices/{id}/extension/decide — by the issuing office, not the asker.
pub async fn decide(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<DecideForm>,
) -> AppResult<HttpResponse> {
    let (id, form) = (path.into_inner(), form.0);
    allowed(&state, &user, id, decides).await?;
    let decision = match form.parse() {
        Ok(d) => d,
        Err(errors) => {
            let t = Typed {
                errors,
                ..Default::default()
            };
            return edit::invalid(&page(&req, user, &state, id, t).await?);
        }
    };
    let seen = crate::web::forms::version(&form.version);
    let by = user.id;
    let saved = versioned(&state, &user, (id, seen), ext_fields, move |c, n| {
        if n.ext_state != "asked" {
            return Ok(Some(Saved::refused("decision", "notices.ext_none")));
        }
        let deadline = if decision == "approved" {
            let horizon = n.deadline + chrono::Duration::days(i64::from(n.ext_days) * 3 + 60);
            let cal = crate::calendar::models::load(c, n.deadline, horizon)?;
            domain::deadline(&cal, n.deadline, n.ext_days)
        } else {
            n.deadline
        };
        models::decide_extension(c, n.id, n.version, (decision, deadline), by, db::now())?;
        Ok(None)
    })
    .await?;
    let mine = vec![];
    finish(
        &req,
        user,
        &state,
        &session,
        id,
        saved,
        Typed::default(),
        mine,
        ext_fields,
    )
    .await
}
