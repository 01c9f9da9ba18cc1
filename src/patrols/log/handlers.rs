//! The log form's handlers: a new log, the one-click "nothing to report", a same-day edit and a
//! correction with a reason, and the draft kept when the session ends while a log is typed.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::Log;
use super::forms::{Context, Errors, NewQuery, PatrolForm, QuickForm};
use super::models::{self, Edit, FormData, PhotoKeys};
use super::pages::{FormPage, FormView, Limits, summary_of};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::issues::workflow::Clock;
use crate::patrols::domain::{self, Change};
use crate::patrols::models::{self as reads, Patrol};
use crate::photos::{self, Owner};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, DraftQuery, Saved, VersionedForm};
use crate::web::forms::conflicts;
use crate::web::{AppState, drafts, multipart, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "patrol_draft";

/// Local time of day now, for "the patrol cannot end in the future".
fn local_now(state: &AppState) -> chrono::NaiveTime {
    chrono::Utc::now().with_timezone(&state.tz).time()
}

fn limits(state: &AppState) -> Limits {
    Limits {
        today: state.today().to_string(),
        upload_max_mib: state.settings.upload_max_bytes / (1024 * 1024),
    }
}

/// GET /patrols/new?grid= — the log form for one of my grids (`?draft=1`: what was typed before
/// the session ended).
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let draft: Option<PatrolForm> =
        edit::restored(&state.pool, &session, DRAFT_KEY, &query.draft()).await?;
    let restored = draft.is_some();
    // A new log starts and ends now (local time): the worker logs as the patrol ends, or
    // moves the start back.
    let now = local_now(&state).format("%H:%M").to_string();
    let mut form = draft.unwrap_or_else(|| PatrolForm {
        day: state.today().to_string(),
        started_at: now.clone(),
        ended_at: now,
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    if let Some(g) = &query.grid {
        form.grid_id = g.clone();
    }
    let (u, wanted) = (user.clone(), form.grid_id.trim().parse::<i32>().ok());
    let found = db::run(&state.pool, move |conn| {
        match models::pick_grid(conn, &u, wanted)? {
            Some(grid) => Ok(Some(models::form_data(conn, &u, grid, None)?)),
            None => Ok(None),
        }
    })
    .await?;
    let Some(d) = found else {
        // Several grids: choose one on the list page.
        return Ok(see_other("/patrols"));
    };
    form.grid_id = d.grid.id.to_string();
    let ctx = Ctx::build(&req, Some(user));
    let mut page = FormPage::new(
        ctx,
        &limits(&state),
        form,
        Errors::default(),
        &FormView::new_log(),
        d,
    );
    page.restored = restored;
    render_ok(&page)
}

/// Checks and re-encodes each problem row's photos; a bad photo is a message on its row.
async fn problem_photos(
    parts: &multipart::Parts,
    form: &PatrolForm,
    errors: &mut Errors,
    max_mib: usize,
) -> AppResult<HashMap<usize, photos::Prepared>> {
    let mut out = HashMap::new();
    for row in 0..form.problems.len() {
        match photos::prepare(&parts.files, &format!("problem_photos_{row}")).await? {
            Ok(p) => {
                out.insert(row, p);
            }
            Err(key) => {
                if errors.problems.len() <= row {
                    errors.problems.resize_with(row + 1, Default::default);
                }
                let args = photos::message_args(max_mib * 1024 * 1024);
                errors.problems[row].add_args("photos", key, args);
            }
        }
    }
    Ok(out)
}

async fn store_photos(
    state: &AppState,
    prepared: HashMap<usize, photos::Prepared>,
) -> AppResult<PhotoKeys> {
    let mut keys = HashMap::new();
    for (row, p) in prepared {
        keys.insert(row, photos::store(&state.uploads, Owner::Issue, p).await?);
    }
    Ok(keys)
}

/// The form's own messages plus its photos': each problem row's photos checked and re-encoded.
async fn checked_photos(
    state: &AppState,
    parts: &multipart::Parts,
    form: &PatrolForm,
    parsed: &Result<Log, Box<Errors>>,
) -> AppResult<(Errors, HashMap<usize, photos::Prepared>)> {
    let mut errors = parsed
        .as_ref()
        .err()
        .map(|e| (**e).clone())
        .unwrap_or_default();
    let max_mib = state.settings.upload_max_bytes / (1024 * 1024);
    let prepared = problem_photos(parts, form, &mut errors, max_mib).await?;
    Ok((errors, prepared))
}

/// POST /patrols (multipart: the fields and each problem's photos)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let parts = multipart::read(payload, state.settings.upload_max_bytes).await?;
    parts.verify_csrf(&req)?;
    let form = PatrolForm::from_fields(&parts.fields);
    let next = edit::draft_return("/patrols/new");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let (u, wanted) = (
        user.clone(),
        form.grid_id.trim().parse::<i32>().unwrap_or(0),
    );
    let (mine, d) = db::run(&state.pool, move |conn| {
        let mine: Vec<i32> = reads::my_grids(conn, &u)?.iter().map(|g| g.id).collect();
        if !mine.contains(&wanted) {
            return Err(AppError::NotFound);
        }
        Ok((mine, models::form_data(conn, &u, wanted, None)?))
    })
    .await?;
    let (view, ctx) = (FormView::new_log(), Ctx::build(&req, Some(user.clone())));
    if !form.more.is_empty() {
        let page = FormPage::new(ctx, &limits(&state), form, Errors::default(), &view, d);
        return render_ok(&page);
    }
    let site_ids: Vec<i32> = d.sites.iter().map(|s| s.id).collect();
    let parsed = form.parse(&Context {
        grids: &mine,
        sites: &site_ids,
        categories: &d.cats,
        today: state.today(),
        now: local_now(&state),
        correcting: false,
        fixed_grid: None,
    });
    let (errors, prepared) = checked_photos(&state, &parts, &form, &parsed).await?;
    let log = match parsed {
        Ok(log) if errors.is_empty() => log,
        _ => {
            let page = FormPage::new(ctx, &limits(&state), form, errors, &view, d);
            return edit::invalid(&page);
        }
    };
    let keys = store_photos(&state, prepared).await?;
    let (u, c, path) = (user.clone(), Clock::at(state.tz), d.grid_path);
    let token = form.form_token.clone();
    edit::create(
        &state.pool,
        &session,
        (token, user.id),
        "patrols.saved_flash",
        move |conn| {
            let id = models::create(conn, &u, &log, &path, &keys, &c)?;
            Ok(format!("/patrols/{id}"))
        },
    )
    .await
}

/// POST /patrols/quick — "patrolled, nothing to report" (今日巡查无异常) for one of my grids,
/// today: one click, one log (a second click or a log already made today leads to that log).
pub async fn quick(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<QuickForm>,
) -> AppResult<HttpResponse> {
    let form = form.0;
    let grid_id = form.grid_id.trim().parse::<i32>().unwrap_or(0);
    let (u, c, today) = (user.clone(), Clock::at(state.tz), state.today());
    let token = if form.form_token.is_empty() {
        crate::web::csrf::random_token()
    } else {
        form.form_token
    };
    edit::create(
        &state.pool,
        &session,
        (token, user.id),
        "patrols.quick_flash",
        move |conn| {
            let id = models::create_quick(conn, &u, grid_id, today, &c)?;
            Ok(format!("/patrols/{id}"))
        },
    )
    .await
}

/// A saved log as an edit is checked against: the log, the log as a form, the form's data, and
/// what this user may do to it.
struct Current {
    p: Patrol,
    saved: PatrolForm,
    d: FormData,
    mode: Change,
}

/// A saved log in scope for the edit page and its post (nothing this user may do: 403).
async fn load_saved(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Current> {
    let u = user.clone();
    let (p, saved, d) = db::run(&state.pool, move |conn| {
        let p = reads::get_scoped(conn, &u, id)?;
        let saved = models::saved_form(conn, &p)?;
        let d = models::form_data(conn, &u, p.grid_id, Some(p.id))?;
        Ok((p, saved, d))
    })
    .await?;
    let mode = domain::change_allowed(user, &p, state.today(), state.settings.patrol_edit_days)
        .ok_or(AppError::Forbidden)?;
    Ok(Current { p, saved, d, mode })
}

/// GET /patrols/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    query: web::Query<DraftQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft: Option<PatrolForm> =
        edit::restored(&state.pool, &session, DRAFT_KEY, &query).await?;
    let s = load_saved(&state, &user, id).await?;
    let restored = draft.is_some();
    let ctx = Ctx::build(&req, Some(user));
    let view = FormView::saved(id, s.mode);
    let form = draft.unwrap_or(s.saved);
    let mut page = FormPage::new(ctx, &limits(&state), form, Errors::default(), &view, s.d);
    page.restored = restored;
    render_ok(&page)
}

/// The edit as it will be written: a correction that changes nothing is refused (beside the
/// reason), its changes are recorded as [label, before, after].
fn checked_edit(
    ctx: &Ctx,
    s: &Current,
    form: &PatrolForm,
    parsed: Result<Log, Box<Errors>>,
    errors: &mut Errors,
) -> Option<Edit> {
    let correcting = s.mode == Change::Correct;
    let before = summary_of(ctx, &s.saved, &s.d.sites).fields();
    let after = summary_of(ctx, form, &s.d.sites).fields();
    let changes = conflicts(&before, &after);
    if let Ok(log) = &parsed
        && correcting
        && changes.is_empty()
        && log.problems.is_empty()
    {
        errors.form.add("reason", "patrols.nothing_changed");
    }
    match parsed {
        Ok(log) if errors.is_empty() => Some(Edit {
            log,
            keys: PhotoKeys::new(),
            seen: s.p.version,
            correcting,
            changes_json: edit::changes_json(&changes),
            before,
            after,
        }),
        _ => None,
    }
}

/// POST /patrols/{id} (multipart) — a same-day edit, or a correction with a reason.
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
    let mut form = PatrolForm::from_fields(&parts.fields);
    let next = edit::draft_return(&format!("/patrols/{id}/edit"));
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let s = load_saved(&state, &user, id).await?;
    // The grid and day of a log are what it is a record of: they stay.
    form.grid_id = s.p.grid_id.to_string();
    form.day = s.p.day.to_string();
    let (view, ctx) = (
        FormView::saved(id, s.mode),
        Ctx::build(&req, Some(user.clone())),
    );
    if !form.more.is_empty() {
        let page = FormPage::new(ctx, &limits(&state), form, Errors::default(), &view, s.d);
        return render_ok(&page);
    }
    let site_ids: Vec<i32> = s.d.sites.iter().map(|s| s.id).collect();
    let parsed = form.parse(&Context {
        grids: &[s.p.grid_id],
        sites: &site_ids,
        categories: &s.d.cats,
        today: state.today(),
        now: local_now(&state),
        correcting: s.mode == Change::Correct,
        fixed_grid: Some(s.p.grid_id),
    });
    let (mut errors, prepared) = checked_photos(&state, &parts, &form, &parsed).await?;
    let mut rows = Vec::new();
    let correcting = s.mode == Change::Correct;
    let outcome = if form.seen_version() != s.p.version {
        // Stale already: no need to check the rest.
        Saved::Stale(Box::new((s.p.clone(), s.saved.clone())))
    } else {
        let Some(mut change) = checked_edit(&ctx, &s, &form, parsed, &mut errors) else {
            let page = FormPage::new(ctx, &limits(&state), form, errors, &view, s.d);
            return edit::invalid(&page);
        };
        change.keys = store_photos(&state, prepared).await?;
        let (u, c) = (user.clone(), Clock::at(state.tz));
        db::run_write(&state.pool, move |conn| {
            models::save(conn, &u, id, &change, &c)
        })
        .await?
    };
    let status = match outcome {
        Saved::Done => {
            let key = match correcting {
                true => "patrols.corrected_flash",
                false => "flash.saved",
            };
            flash(&session, "ok", key, &[]);
            return Ok(see_other(&format!("/patrols/{id}")));
        }
        Saved::Refused(e) => {
            errors.form = e;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        // 409: both versions side by side, the typed form kept with the current version, so
        // submitting again saves it deliberately.
        Saved::Stale(latest) => {
            let mine = summary_of(&ctx, &form, &s.d.sites).fields();
            let theirs = summary_of(&ctx, &latest.1, &s.d.sites).fields();
            rows = edit::stale(&mut form, latest.0.version, &mine, &theirs);
            StatusCode::CONFLICT
        }
    };
    let mut page = FormPage::new(ctx, &limits(&state), form, errors, &view, s.d);
    page.conflicts = rows;
    if status == StatusCode::CONFLICT {
        return edit::conflict(&session, &page, ("flash.saved", &format!("/patrols/{id}")));
    }
    render_status(&page, status)
}
