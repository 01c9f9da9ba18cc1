//! The meeting's record: times, place, chair, recorder, attendance (with reasons for absence),
//! guests and the minutes. Long minutes are never lost: a timed-out session keeps the form for
//! after the login, a stale edit is refused with both versions and the typed form kept, a bad
//! field is a message beside it. Once finalized, a change is a correction with a reason.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::domain::{self, State};
use super::forms::{RecordErrors, RecordForm};
use super::models::{self, Meeting, MeetingChange, NewPerson, Person};
use super::pages::{RecordPage, meeting_name};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{ConflictRow, conflicts, version};
use crate::web::{AppState, drafts, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "meeting_record_draft";

/// The saved record as a form.
fn form_of(m: &Meeting, people: &[Person]) -> RecordForm {
    RecordForm {
        start_time: m.start_time.clone(),
        end_time: m.end_time.clone(),
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        minutes: m.minutes.clone(),
        people: people
            .iter()
            .map(|p| {
                (
                    p.id,
                    super::forms::AttendanceInput {
                        attendance: p.attendance.clone(),
                        reason: p.reason.clone(),
                    },
                )
            })
            .collect(),
        version: m.version.to_string(),
        ..Default::default()
    }
}

/// A record as the lines a person compares (and a correction keeps): labels and values.
fn fields(ctx: &Ctx, f: &RecordForm, people: &[Person]) -> Vec<(&'static str, String)> {
    let attendance = people
        .iter()
        .map(|p| {
            let code = f.attendance(&p.id);
            let code = if code.is_empty() {
                "expected".into()
            } else {
                code
            };
            let reason = if domain::needs_reason(&code) {
                f.absence(&p.id)
            } else {
                String::new()
            };
            super::pages::attendance_line(ctx, &p.name, &code, &reason)
        })
        .collect::<Vec<_>>()
        .join(&ctx.t("meetings.list_sep"));
    let time = if f.start_time.trim().is_empty() {
        String::new()
    } else {
        format!("{}–{}", f.start_time.trim(), f.end_time.trim())
    };
    vec![
        ("meetings.time", time),
        ("meetings.place", f.place.trim().to_string()),
        ("meetings.chair", f.chair.trim().to_string()),
        ("meetings.recorder", f.recorder.trim().to_string()),
        ("meetings.attendance", attendance),
        ("meetings.guests_added", f.guests.trim().to_string()),
        ("meetings.minutes", f.minutes.trim().to_string()),
    ]
}

struct Saved {
    m: Meeting,
    unit_name: String,
    people: Vec<Person>,
}

async fn load_saved(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Saved> {
    let u = user.clone();
    let s = db::run(&state.pool, move |conn| {
        let m = models::get_scoped(conn, &u, id)?;
        let unit_name = crate::org::models::get(conn, m.unit_id)?.name;
        let people = models::people(conn, id)?;
        Ok(Saved {
            m,
            unit_name,
            people,
        })
    })
    .await?;
    if !domain::may_record(user, &s.m.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok(s)
}

fn page(ctx: Ctx, s: Saved, form: RecordForm, errors: RecordErrors) -> RecordPage {
    let mut names: Vec<String> = s
        .people
        .iter()
        .filter(|p| p.user_id.is_some())
        .map(|p| p.name.clone())
        .collect();
    names.dedup();
    RecordPage {
        name: meeting_name(&ctx, &s.unit_name, &s.m.kind, &s.m.day),
        correcting: s.m.state() == State::Final,
        m: s.m,
        people: s.people,
        form,
        errors,
        conflicts: Vec::new(),
        restored: false,
        names,
        ctx,
    }
}

#[derive(Deserialize)]
pub struct EditQuery {
    #[serde(default)]
    draft: Option<String>,
}

/// GET /meetings/{id}/record
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    query: web::Query<EditQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft: Option<RecordForm> = if query.draft.is_some() {
        drafts::restore(&state.pool, &session, DRAFT_KEY).await?
    } else {
        None
    };
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

enum Outcome {
    Done,
    Stale(Box<(Meeting, Vec<Person>)>),
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
    let next = format!("/meetings/{id}/record?draft=1");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let s = load_saved(&state, &user, id).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let correcting = s.m.state() == State::Final;
    let ids: Vec<i32> = s.people.iter().map(|p| p.id).collect();
    let saved = form_of(&s.m, &s.people);
    let before = fields(&ctx, &saved, &s.people);
    let after = fields(&ctx, &form, &s.people);
    if version(&form.version) != s.m.version {
        let (m, people) = (s.m.clone(), s.people.clone());
        return stale(ctx, s, form, RecordErrors::default(), &m, &people);
    }
    let parsed = form.parse(&ids, correcting);
    let changes = conflicts(&before, &after);
    let record = match parsed {
        Ok(_) if correcting && changes.is_empty() => {
            let mut e = RecordErrors::default();
            e.form.add("reason", "meetings.nothing_changed");
            let p = page(ctx, s, form, e);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Ok(r) => r,
        Err(e) => {
            let p = page(ctx, s, form, *e);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let changes_json = serde_json::to_string(
        &changes
            .iter()
            .map(|c| (c.label, c.mine.clone(), c.theirs.clone()))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (u, seen, now) = (user.clone(), s.m.version, db::now());
    let outcome = db::run_write(&state.pool, move |conn| {
        let current = models::get_scoped(conn, &u, id)?;
        let change = MeetingChange {
            start_time: record.start_time.clone(),
            end_time: record.end_time.clone(),
            place: record.place.clone(),
            chair: record.chair.clone(),
            recorder: record.recorder.clone(),
            minutes: record.minutes.clone(),
            updated_at: now,
        };
        if !models::update(conn, id, seen, &change)? {
            let people = models::people(conn, id)?;
            return Ok(Outcome::Stale(Box::new((current, people))));
        }
        write_people(conn, id, &record)?;
        models::refresh_counts(conn, id)?;
        if correcting {
            models::add_correction(conn, id, u.id, &record.reason, &changes_json)?;
        }
        let map = |f: &[(&str, String)]| -> serde_json::Map<String, serde_json::Value> {
            f.iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect()
        };
        crate::audit::updated(
            conn,
            &u.actor(),
            "meeting",
            id,
            &if correcting {
                format!("{} correction: {}", current.day, record.reason)
            } else {
                current.day.to_string()
            },
            &map(&before),
            &map(&after),
            &current.scope_path,
        )?;
        Ok(Outcome::Done)
    })
    .await?;
    match outcome {
        Outcome::Done => {
            let key = if correcting {
                "meetings.corrected_flash"
            } else {
                "flash.saved"
            };
            flash(&session, "ok", key, &[]);
            Ok(see_other(&format!("/meetings/{id}")))
        }
        Outcome::Stale(b) => {
            let s = load_saved(&state, &user, id).await?;
            stale(ctx, s, form, RecordErrors::default(), &b.0, &b.1)
        }
    }
}

/// Attendance of each attendee, and the guests added.
fn write_people(conn: &mut AnyConnection, id: i32, r: &super::forms::Record) -> AppResult<()> {
    for (pid, a) in &r.people {
        models::set_attendance(conn, *pid, &a.attendance, &a.reason)?;
    }
    let guests: Vec<NewPerson> = r
        .guests
        .iter()
        .map(|(name, unit)| NewPerson {
            meeting_id: id,
            user_id: None,
            name: name.clone(),
            unit: unit.clone(),
            attendance: "present".into(),
            reason: String::new(),
            position: 1,
        })
        .collect();
    models::add_people(conn, &guests)
}

/// 409: someone saved the record since this form was opened. Both versions are shown; the typed
/// form is kept and carries the current version, so submitting again saves it deliberately.
fn stale(
    ctx: Ctx,
    s: Saved,
    mut form: RecordForm,
    errors: RecordErrors,
    current: &Meeting,
    people: &[Person],
) -> AppResult<HttpResponse> {
    let theirs = fields(&ctx, &form_of(current, people), people);
    let mine = fields(&ctx, &form, people);
    let rows: Vec<ConflictRow> = conflicts(&mine, &theirs);
    form.version = current.version.to_string();
    let mut p = page(ctx, s, form, errors);
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
}
