//! Changing the agenda before and during the meeting: add an issue by its number or a free
//! topic, remove a line (kept aside, can be put back), move it up or down, and re-draft (add
//! what the register has gained since). A finalized meeting's agenda is fixed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{AddForm, MoveForm, Op};
use super::models;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::workflow::Clock;
use crate::meetings::domain::{self, State};
use crate::meetings::models::{self as meeting, Meeting};
use crate::meetings::pages::ShowPage;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::idempotency::{self, Once};
use crate::web::{AppState, render_status, see_other};

/// The meeting, if the user may change its agenda now (not finalized).
fn open_meeting(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Meeting> {
    let m = meeting::get_scoped(conn, user, id)?;
    if !domain::may_record(user, &m.scope_path) || m.state() == State::Final {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

/// After an agenda change: the meeting's version and counts, and the audit entry.
fn changed(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    m: &Meeting,
    what: serde_json::Value,
) -> AppResult<()> {
    meeting::touch(conn, m.id, db::now())?;
    meeting::refresh_counts(conn, m.id)?;
    crate::audit::record(
        conn,
        &user.actor(),
        "meeting_agenda",
        "meeting",
        Some(m.id),
        &format!("{} {}", m.kind, m.day),
        None::<&()>,
        Some(&what),
        &m.scope_path,
    )
}

/// POST /meetings/{id}/items — an issue by its number, or a free topic.
pub async fn add(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<AddForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (u, f, clock) = (user.clone(), form.clone(), Clock::at(state.tz));
    let done_at = format!("/meetings/{id}#agenda");
    let outcome = db::run_write(&state.pool, move |conn| {
        idempotency::once(conn, &f.form_token, u.id, &done_at, |conn| {
            let m = open_meeting(conn, &u, id)?;
            let number = f.number.trim().to_uppercase();
            let added = models::add_line(conn, &m, &number, f.topic.trim(), &clock)?;
            if let Ok(what) = &added {
                changed(conn, &u, &m, what.clone())?;
            }
            Ok(added.map(|_| ()))
        })
    })
    .await?;
    match outcome {
        Once::Done(()) | Once::Repeat => {
            flash(&session, "ok", "meetings.item_added_flash", &[]);
            Ok(see_other(&format!("/meetings/{id}#agenda")))
        }
        Once::Refused((field, key)) => {
            let u = user.clone();
            let l = db::run(&state.pool, move |conn| meeting::load(conn, &u, id)).await?;
            let mut errors = FormErrors::new();
            errors.add(field, key);
            let ctx = Ctx::build(&req, Some(user.clone()));
            let page = ShowPage::new(ctx, &user, l, (form, errors), 0, state.today());
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// POST /meetings/{id}/items/{item}/move — op: up, down, remove, restore.
pub async fn move_item(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let op_code = form.0.op.clone();
    let op = form.0.op();
    let u = user.clone();
    db::run_write(&state.pool, move |conn| {
        let m = open_meeting(conn, &u, id)?;
        let item = models::item(conn, id, item_id)?;
        let op = op.ok_or(AppError::BadRequest)?;
        match op {
            Op::Remove | Op::Restore => models::set_removed(conn, item.id, op == Op::Remove)?,
            Op::Up | Op::Down => models::move_line(conn, id, item.id, op == Op::Up)?,
        }
        let what = serde_json::json!({"item": item.id, "title": item.title, "op": op_code});
        changed(conn, &u, &m, what)
    })
    .await?;
    Ok(see_other(&format!("/meetings/{id}#item-{item_id}")))
}

/// POST /meetings/{id}/redraft — adds what the register now puts on the agenda and is not on it
/// (removed items stay removed). Before the meeting only.
pub async fn redraft(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    _form: CsrfForm<crate::web::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (u, clock) = (user.clone(), Clock::at(state.tz));
    let added = db::run_write(&state.pool, move |conn| {
        let m = open_meeting(conn, &u, id)?;
        if m.state() != State::Draft {
            return Err(AppError::Forbidden);
        }
        let unit = crate::org::models::get(conn, m.unit_id)?;
        let (added, _) = models::draft_into(conn, &m, &unit, &clock)?;
        changed(conn, &u, &m, serde_json::json!({"redrafted": added}))?;
        Ok(added)
    })
    .await?;
    flash(
        &session,
        "ok",
        "meetings.redrafted_flash",
        &[("n", added.to_string())],
    );
    Ok(see_other(&format!("/meetings/{id}#agenda")))
}
