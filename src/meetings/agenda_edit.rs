//! Changing the agenda before and during the meeting: add an issue by its number or a free
//! topic, remove an item (kept aside, can be put back), move it up or down, and re-draft (add
//! what the register has gained since). A finalized meeting's agenda is fixed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use super::agenda;
use super::domain::{self, Kind, Reason, State};
use super::forms::AddForm;
use super::handlers::{load, show_page};
use super::models::{self, Meeting, NewItem};
use crate::auth::CurrentUser;
use crate::db::schema::issues;
use crate::db::{self, AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::issues::workflow::Clock;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_status, see_other};

/// The meeting, if the user may change its agenda now (not finalized).
fn open_meeting(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Meeting> {
    let m = models::get_scoped(conn, user, id)?;
    if !domain::may_record(user, &m.scope_path) || m.state() == State::Final {
        return Err(AppError::Forbidden);
    }
    Ok(m)
}

fn audit_agenda(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    m: &Meeting,
    what: serde_json::Value,
) -> AppResult<()> {
    models::touch(conn, m.id, db::now())?;
    models::refresh_counts(conn, m.id)?;
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

/// What adding to the agenda came to.
enum Added {
    Done,
    /// A message for the add form's field.
    Refused(&'static str, &'static str),
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
    let outcome = db::run_write(&state.pool, move |conn| {
        let m = open_meeting(conn, &u, id)?;
        let number = f.number.trim().to_uppercase();
        let topic = f.topic.trim().to_string();
        if number.is_empty() && topic.is_empty() {
            return Ok(Added::Refused("number", "meetings.number_or_topic"));
        }
        if topic.chars().count() > 200 {
            return Ok(Added::Refused("topic", "meetings.topic_too_long"));
        }
        let position = models::next_position(conn, id)?;
        if !number.is_empty() {
            let (lo, hi) = crate::db::subtree_range(&m.scope_path);
            let found: Option<(i32, String, i32, chrono::NaiveDateTime)> = issues::table
                .filter(issues::number.eq(&number))
                .filter(issues::scope_path.ge(lo))
                .filter(issues::scope_path.lt(hi))
                .select((
                    issues::id,
                    issues::title,
                    issues::grid_id,
                    issues::reported_at,
                ))
                .first_row(conn)
                .optional()?;
            let Some((issue_id, title, grid_id, reported_at)) = found else {
                return Ok(Added::Refused("number", "meetings.no_such_issue"));
            };
            let items = models::items(conn, id)?;
            if let Some(it) = items.iter().find(|i| i.issue_id == Some(issue_id)) {
                if !it.removed {
                    return Ok(Added::Refused("number", "meetings.already_on_agenda"));
                }
                models::set_removed(conn, it.id, false)?;
            } else {
                let line = agenda::Line {
                    issue_id,
                    title,
                    grid_id,
                    reported_at,
                    reasons: vec![Reason::Added],
                };
                let rows = agenda::items_of(conn, id, m.day, &[line], position, &clock)?;
                models::add_items(conn, &rows)?;
            }
            audit_agenda(conn, &u, &m, serde_json::json!({"added": number}))?;
        } else {
            models::add_items(
                conn,
                &[NewItem {
                    meeting_id: id,
                    position,
                    issue_id: None,
                    reasons: Reason::Topic.code().into(),
                    title: topic.clone(),
                    grid_id: None,
                    discussed_before: 0,
                    age_days: 0,
                }],
            )?;
            audit_agenda(conn, &u, &m, serde_json::json!({"topic": topic}))?;
        }
        Ok(Added::Done)
    })
    .await?;
    match outcome {
        Added::Done => {
            flash(&session, "ok", "meetings.item_added_flash", &[]);
            Ok(see_other(&format!("/meetings/{id}#agenda")))
        }
        Added::Refused(field, key) => {
            let u = user.clone();
            let l = db::run(&state.pool, move |conn| load(conn, &u, id)).await?;
            let mut errors = FormErrors::new();
            errors.add(field, key);
            let ctx = Ctx::build(&req, Some(user.clone()));
            let page = show_page(ctx, &state, &user, l, form, errors, 0);
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    op: String,
}

/// POST /meetings/{id}/items/{item}/move — op: up, down, remove, restore.
pub async fn move_item(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let (id, item_id) = path.into_inner();
    let op = form.0.op;
    let u = user.clone();
    db::run_write(&state.pool, move |conn| {
        let m = open_meeting(conn, &u, id)?;
        let item = models::item(conn, id, item_id)?;
        match op.as_str() {
            "remove" | "restore" => models::set_removed(conn, item.id, op == "remove")?,
            "up" | "down" => {
                let mut order: Vec<i32> = models::items(conn, id)?
                    .into_iter()
                    .filter(|i| !i.removed)
                    .map(|i| i.id)
                    .collect();
                if let Some(at) = order.iter().position(|x| *x == item.id) {
                    let to = if op == "up" {
                        at.checked_sub(1)
                    } else {
                        Some(at + 1).filter(|t| *t < order.len())
                    };
                    if let Some(to) = to {
                        order.swap(at, to);
                        models::reorder(conn, &order)?;
                    }
                }
            }
            _ => return Err(AppError::BadRequest),
        }
        audit_agenda(
            conn,
            &u,
            &m,
            serde_json::json!({"item": item.id, "title": item.title, "op": op}),
        )
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
        let kind = Kind::parse(&m.kind).unwrap_or(Kind::Weekly);
        let (lines, _) = agenda::draft(conn, &unit, kind, m.since, Some(id), &clock)?;
        let on: Vec<i32> = models::items(conn, id)?
            .into_iter()
            .filter_map(|i| i.issue_id)
            .collect();
        let fresh: Vec<agenda::Line> = lines
            .into_iter()
            .filter(|l| !on.contains(&l.issue_id))
            .collect();
        let position = models::next_position(conn, id)?;
        let rows = agenda::items_of(conn, id, m.day, &fresh, position, &clock)?;
        models::add_items(conn, &rows)?;
        audit_agenda(conn, &u, &m, serde_json::json!({"redrafted": rows.len()}))?;
        Ok(rows.len())
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
