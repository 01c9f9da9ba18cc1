//! Recording a branch's activity (党支部活动记录): the form for a new record and for an edit,
//! with attendance from the member list, the visit or pairing it was, the grids and issues it
//! served (党建引领网格治理) and photos. Nothing typed is lost: bad input comes back with
//! messages (per member row for an absence without a reason), a stale edit shows both versions,
//! a session that ended keeps the form for after the login; a double submit records once.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::activity_form_data::{FormData, as_map, form_data, form_of, label, labelled};
use super::activity_forms::{ActivityErrors, ActivityForm, AttendanceInput};
use super::activity_models::{self as am, Activity, ActivityFields};
use super::activity_pages::ActivityFormPage;
use super::domain::{self, ACTIVITY_KINDS, DIFFICULTY};
use super::models::{self as branch_models, Branch};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::issues::photos;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, conflicts, version};
use crate::web::{AppState, drafts, multipart, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "party_activity_draft";

fn require_edit(user: &CurrentUser, b: &Branch) -> AppResult<()> {
    if domain::may_edit(user, &b.scope_path, b.secretary_user_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The branch (in scope, kept by the user) and the form's data.
async fn load_branch(
    state: &AppState,
    user: &CurrentUser,
    branch_id: i32,
    numbers: Vec<String>,
) -> AppResult<FormData> {
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, branch_id)?;
        form_data(conn, b, &numbers, None)
    })
    .await?;
    require_edit(user, &d.b)?;
    Ok(d)
}

fn form_page(
    ctx: Ctx,
    state: &AppState,
    form: ActivityForm,
    errors: ActivityErrors,
    d: &FormData,
    activity: Option<i32>,
) -> ActivityFormPage {
    ActivityFormPage {
        kinds: ACTIVITY_KINDS
            .iter()
            .map(|k| Choice::new(k, ctx.t(format!("party.activity_kind.{k}"))))
            .collect(),
        members: d
            .members
            .iter()
            .filter(|m| m.2)
            .map(|m| (m.0, m.1.clone()))
            .collect(),
        visit_members: d
            .members
            .iter()
            .filter(|m| m.2)
            .map(|m| {
                let flag = label(&ctx, "party.difficulty.", &m.3);
                Choice::new(
                    m.0,
                    if flag.is_empty() {
                        m.1.clone()
                    } else {
                        format!("{} · {flag}", m.1)
                    },
                )
            })
            .collect(),
        difficulties: DIFFICULTY
            .iter()
            .map(|k| {
                Choice::new(
                    k,
                    if k.is_empty() {
                        ctx.t("party.difficulty.none")
                    } else {
                        ctx.t(format!("party.difficulty.{k}"))
                    },
                )
            })
            .collect(),
        pairings: d.pairings.iter().map(|p| Choice::new(p.0, &p.1)).collect(),
        grids: d.grids.clone(),
        action: match activity {
            Some(id) => format!("/party/activities/{id}"),
            None => format!("/party/branches/{}/activities", d.b.id),
        },
        branch_id: d.b.id,
        branch_name: d.b.name.clone(),
        activity_id: activity,
        conflicts: Vec::new(),
        restored: false,
        photo_error: None,
        upload_max_mib: state.settings.upload_max_bytes / (1024 * 1024),
        ctx,
        form,
        errors,
    }
}

#[derive(Deserialize)]
pub struct DraftQuery {
    #[serde(default)]
    draft: Option<String>,
    /// A new record's kind and pairing (the pairing page's "record a visit").
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    pairing: Option<String>,
}

async fn restore(
    state: &AppState,
    session: &Session,
    q: &DraftQuery,
) -> AppResult<Option<ActivityForm>> {
    if q.draft.is_some() {
        drafts::restore(&state.pool, session, DRAFT_KEY).await
    } else {
        Ok(None)
    }
}

/// GET /party/branches/{id}/activities/new — every active member present to begin with.
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    q: web::Query<DraftQuery>,
) -> AppResult<HttpResponse> {
    let draft = restore(&state, &session, &q).await?;
    let numbers = draft
        .as_ref()
        .map(|f| f.issue_numbers())
        .unwrap_or_default();
    let d = load_branch(&state, &user, path.into_inner(), numbers).await?;
    let restored = draft.is_some();
    let form = draft.unwrap_or_else(|| ActivityForm {
        kind: q
            .kind
            .clone()
            .filter(|k| ACTIVITY_KINDS.contains(&k.as_str()))
            .unwrap_or_else(|| "committee".into()),
        pairing_id: q.pairing.clone().unwrap_or_default(),
        day: state.today().to_string(),
        host: d.b.secretary.clone(),
        att: d
            .members
            .iter()
            .filter(|m| m.2)
            .map(|m| {
                (
                    m.0,
                    AttendanceInput {
                        attendance: "present".into(),
                        reason: String::new(),
                    },
                )
            })
            .collect(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    let mut p = form_page(
        Ctx::build(&req, Some(user)),
        &state,
        form,
        ActivityErrors::default(),
        &d,
        None,
    );
    p.restored = restored;
    render_ok(&p)
}

/// Checks and re-encodes the photos; a bad photo is a message beside the field.
async fn prepare_photos(
    state: &AppState,
    parts: &multipart::Parts,
    ctx: &Ctx,
) -> AppResult<Result<photos::Prepared, String>> {
    Ok(photos::prepare(&parts.files, "photos")
        .await?
        .map_err(|key| {
            ctx.ta(
                key,
                &[(
                    "max",
                    (state.settings.upload_max_bytes / (1024 * 1024)).to_string(),
                )],
            )
        }))
}

/// POST /party/branches/{id}/activities (multipart: the fields and photos)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let branch_id = path.into_inner();
    let parts = multipart::read(payload, state.settings.upload_max_bytes).await?;
    parts.verify_csrf(&req)?;
    let form = ActivityForm::from_fields(&parts.fields);
    let next = format!("/party/branches/{branch_id}/activities/new?draft=1");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let d = load_branch(&state, &user, branch_id, form.issue_numbers()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let parsed = d.check(&form, state.today());
    let prepared = prepare_photos(&state, &parts, &ctx).await?;
    let (a, prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().map(|e| *e).unwrap_or_default();
            let mut p = form_page(ctx, &state, form, errors, &d, None);
            p.photo_error = prepared.err();
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = photos::store(&state, prepared).await?;
    let after = as_map(&labelled(&ctx, &form, &d));
    let (u, b) = (user.clone(), d.b);
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let now = db::now();
            let id = am::insert(conn, &b, &ActivityFields::of(&a), u.id, now)?;
            am::set_children(conn, id, &a)?;
            am::add_photos(conn, id, &keys, u.id, now)?;
            am::refresh_last_activity(conn, b.id)?;
            crate::audit::created(
                conn,
                &u.actor(),
                "party_activity",
                id,
                &format!("{} · {} {}", b.name, a.day, a.title),
                &after,
                &b.scope_path,
            )?;
            Ok(format!("/party/activities/{id}"))
        },
    )
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

/// A saved activity the user may edit, as a form, with the form's data.
async fn load_saved(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    numbers: Vec<String>,
) -> AppResult<(Activity, ActivityForm, FormData)> {
    let u = user.clone();
    let (a, saved, d) = db::run(&state.pool, move |conn| {
        let (a, b) = am::get_scoped(conn, &u, id)?;
        let saved = form_of(conn, &a)?;
        let mut numbers = numbers;
        numbers.extend(saved.issue_numbers());
        let d = form_data(conn, b, &numbers, a.pairing_id)?;
        Ok((a, saved, d))
    })
    .await?;
    require_edit(user, &d.b)?;
    Ok((a, saved, d))
}

/// GET /party/activities/{id}/edit (`?draft=1`: what was typed before the session ended)
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    q: web::Query<DraftQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft = restore(&state, &session, &q).await?;
    let numbers = draft
        .as_ref()
        .map(|f| f.issue_numbers())
        .unwrap_or_default();
    let (_, saved, d) = load_saved(&state, &user, id, numbers).await?;
    let restored = draft.is_some();
    let mut p = form_page(
        Ctx::build(&req, Some(user)),
        &state,
        draft.unwrap_or(saved),
        ActivityErrors::default(),
        &d,
        Some(id),
    );
    p.restored = restored;
    render_ok(&p)
}

enum Outcome {
    Done,
    /// Someone saved first: the activity as a form now, and its version.
    Stale(Box<(ActivityForm, i32)>),
}

/// POST /party/activities/{id} (multipart) — an edit; new photos are added to the record.
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let parts = multipart::read(payload, state.settings.upload_max_bytes).await?;
    parts.verify_csrf(&req)?;
    let form = ActivityForm::from_fields(&parts.fields);
    let next = format!("/party/activities/{id}/edit?draft=1");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let (a, saved, d) = load_saved(&state, &user, id, form.issue_numbers()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    if version(&form.version) != a.version {
        return stale(ctx, &state, form, &d, &saved, a.version, id);
    }
    let parsed = d.check(&form, state.today());
    let prepared = prepare_photos(&state, &parts, &ctx).await?;
    let (parsed, prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().map(|e| *e).unwrap_or_default();
            let mut p = form_page(ctx, &state, form, errors, &d, Some(id));
            p.photo_error = prepared.err();
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = photos::store(&state, prepared).await?;
    let before = as_map(&labelled(&ctx, &saved, &d));
    let after = as_map(&labelled(&ctx, &form, &d));
    let (u, seen, b) = (user.clone(), a.version, d.b.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let now = db::now();
        if !am::update(conn, id, seen, &ActivityFields::of(&parsed), now)? {
            let (current, _) = am::get_scoped(conn, &u, id)?;
            let theirs = form_of(conn, &current)?;
            return Ok(Outcome::Stale(Box::new((theirs, current.version))));
        }
        am::set_children(conn, id, &parsed)?;
        am::add_photos(conn, id, &keys, u.id, now)?;
        am::refresh_last_activity(conn, b.id)?;
        crate::audit::updated(
            conn,
            &u.actor(),
            "party_activity",
            id,
            &format!("{} · {} {}", b.name, parsed.day, parsed.title),
            &before,
            &after,
            &b.scope_path,
        )?;
        Ok(Outcome::Done)
    })
    .await?;
    match outcome {
        Outcome::Done => {
            flash(&session, "ok", "flash.saved", &[]);
            Ok(see_other(&format!("/party/activities/{id}")))
        }
        Outcome::Stale(s) => stale(ctx, &state, form, &d, &s.0, s.1, id),
    }
}

/// 409: someone saved the activity since this form was opened. Both versions are shown; the
/// typed form is kept with the current version, so submitting again saves it deliberately.
fn stale(
    ctx: Ctx,
    state: &AppState,
    mut form: ActivityForm,
    d: &FormData,
    theirs: &ActivityForm,
    current_version: i32,
    id: i32,
) -> AppResult<HttpResponse> {
    let rows = conflicts(&labelled(&ctx, &form, d), &labelled(&ctx, theirs, d));
    form.version = current_version.to_string();
    let mut p = form_page(ctx, state, form, ActivityErrors::default(), d, Some(id));
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
}
