//! A new meeting: the form (unit first, then its staff to invite) and the create, which drafts
//! the agenda from the issue register in the same transaction.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::agenda;
use super::domain::{self, KINDS};
use super::forms::NewForm;
use super::models::{self, NewPerson};
use super::pages::NewPage;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::workflow::Clock;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors};
use crate::web::{AppState, render_ok, render_status, see_other};

/// Units the user may hold a meeting for: non-grid units in scope (id, name, depth, kind).
pub fn meeting_units(
    conn: &mut AnyConnection,
    user: &CurrentUser,
) -> AppResult<Vec<(i32, String, i32, String)>> {
    Ok(crate::org::models::options(conn, user, false)?
        .into_iter()
        .filter(|u| domain::holds_meetings(&u.3))
        .collect())
}

/// What the form shows besides the form: the units and the chosen unit's staff.
struct FormData {
    units: Vec<(i32, String, i32, String)>,
    staff: Vec<(i32, String, String)>,
}

fn load(conn: &mut AnyConnection, user: &CurrentUser, unit: Option<i32>) -> AppResult<FormData> {
    let units = meeting_units(conn, user)?;
    let staff = match unit.filter(|u| units.iter().any(|x| x.0 == *u)) {
        Some(u) => models::default_people(conn, u)?,
        None => Vec::new(),
    };
    Ok(FormData { units, staff })
}

fn page(ctx: Ctx, form: NewForm, errors: FormErrors, d: FormData) -> NewPage {
    let mut names: Vec<String> = d.staff.iter().map(|s| s.1.clone()).collect();
    names.dedup();
    NewPage {
        kinds: KINDS
            .iter()
            .map(|k| Choice::new(k.code(), ctx.t(format!("meetings.kind.{}", k.code()))))
            .collect(),
        units: d
            .units
            .into_iter()
            .map(crate::org::models::choice)
            .collect(),
        staff: d.staff,
        names,
        ctx,
        form,
        errors,
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    day: String,
}

/// GET /meetings/new?unit=&kind=&day=
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    if !domain::may_call(&user) {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let wanted = query.unit.trim().parse::<i32>().ok();
    let mut d = db::run(&state.pool, move |conn| load(conn, &u, wanted)).await?;
    // One unit (a community's clerk): it is chosen already.
    let unit = match wanted {
        Some(u) => Some(u),
        None if d.units.len() == 1 => Some(d.units[0].0),
        None => None,
    };
    if wanted.is_none()
        && let Some(u) = unit
    {
        let uc = user.clone();
        d = db::run(&state.pool, move |conn| load(conn, &uc, Some(u))).await?;
    }
    let form = NewForm {
        kind: if query.kind.is_empty() {
            "weekly".into()
        } else {
            query.kind.clone()
        },
        unit_id: unit.map(|u| u.to_string()).unwrap_or_default(),
        day: if query.day.is_empty() {
            state.today().to_string()
        } else {
            query.day.clone()
        },
        start_time: "09:00".into(),
        invite: d.staff.iter().map(|s| s.0.to_string()).collect(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&page(
        Ctx::build(&req, Some(user)),
        form,
        FormErrors::new(),
        d,
    ))
}

/// POST /meetings — creates the meeting with its attendees and drafted agenda (once per form).
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    if !domain::may_call(&user) {
        return Err(AppError::Forbidden);
    }
    let form = NewForm::from_pairs(&form.0);
    let u = user.clone();
    let wanted = form.unit_id.trim().parse::<i32>().ok();
    let d = db::run(&state.pool, move |conn| load(conn, &u, wanted)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let unit_ids: Vec<i32> = d.units.iter().map(|x| x.0).collect();
    let staff_ids: Vec<i32> = d.staff.iter().map(|x| x.0).collect();
    let new = match form.parse(&unit_ids, &staff_ids, state.today()) {
        Ok(n) => n,
        Err(errors) => {
            let p = page(ctx, form, errors, d);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let staff = d.staff.clone();
    let (u, clock) = (user.clone(), Clock::at(state.tz));
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let unit = crate::org::models::get_scoped(conn, &u, new.unit_id)?;
            let since = agenda::since(conn, unit.id, new.kind, new.day, None, &clock)?;
            let id = models::insert(
                conn,
                &models::NewMeeting {
                    unit_id: unit.id,
                    scope_path: unit.path.clone(),
                    kind: new.kind.code().into(),
                    day: new.day,
                    start_time: new.start_time.clone(),
                    end_time: new.end_time.clone(),
                    place: new.place.clone(),
                    chair: new.chair.clone(),
                    recorder: new.recorder.clone(),
                    since,
                    created_by: Some(u.id),
                    created_at: clock.now,
                    updated_at: clock.now,
                },
            )?;
            let mut people: Vec<NewPerson> = staff
                .iter()
                .filter(|s| new.invite.contains(&s.0))
                .map(|(uid, name, unit)| NewPerson {
                    meeting_id: id,
                    user_id: Some(*uid),
                    name: name.clone(),
                    unit: unit.clone(),
                    attendance: "expected".into(),
                    reason: String::new(),
                    position: 0,
                })
                .collect();
            people.extend(new.guests.iter().map(|(name, unit)| NewPerson {
                meeting_id: id,
                user_id: None,
                name: name.clone(),
                unit: unit.clone(),
                attendance: "expected".into(),
                reason: String::new(),
                position: 1,
            }));
            models::add_people(conn, &people)?;
            let (lines, left) = agenda::draft(conn, &unit, new.kind, since, Some(id), &clock)?;
            let items = agenda::items_of(conn, id, new.day, &lines, 1, &clock)?;
            models::add_items(conn, &items)?;
            models::refresh_counts(conn, id)?;
            crate::audit::created(
                conn,
                &u.actor(),
                "meeting",
                id,
                &format!("{} {} {}", unit.name, new.kind.code(), new.day),
                &new,
                &unit.path,
            )?;
            Ok(if left > 0 {
                format!("/meetings/{id}?left={left}")
            } else {
                format!("/meetings/{id}")
            })
        },
    )
    .await?;
    flash(&session, "ok", "meetings.created_flash", &[]);
    Ok(see_other(&location))
}
