//! The log form: a new log (with its problems filed as issues), the one-click "nothing to
//! report", a same-day edit and a correction with a reason, and the draft kept when the session
//! ends while a log is typed.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::domain::{self, Change, Summary};
use super::forms::{Context, Errors, Log, PatrolForm, ProblemInput, SiteInput};
use super::models::{self, NewPatrol, Patrol, PatrolChange};
use super::pages::{FormPage, SiteView};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::domain::URGENCIES;
use crate::issues::models::{self as issue_models, CategoryRow};
use crate::issues::pages::CategoryGroup;
use crate::issues::photos;
use crate::issues::workflow::{self, Clock, Report};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, ConflictRow, conflicts, version};
use crate::web::{AppState, drafts, multipart, render_ok, render_status, see_other};

const DRAFT_KEY: &str = "patrol_draft";

/// Local time of day now, for "the patrol cannot end in the future".
fn local_now(state: &AppState) -> chrono::NaiveTime {
    chrono::Utc::now().with_timezone(&state.tz).time()
}

// ---------------------------------------------------------------------------------------------
// The form

/// What a form page needs besides the form: the grid, its key sites, the categories.
struct FormData {
    grid: (i32, String),
    grid_path: String,
    sites: Vec<(i32, String, String, i32)>,
    cats: Vec<CategoryRow>,
    issues: Vec<models::IssueLink>,
}

fn load_form_data(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    grid_id: i32,
    patrol: Option<i32>,
) -> AppResult<FormData> {
    let grid = crate::org::models::get_grid(conn, user, grid_id)?;
    Ok(FormData {
        sites: models::active_sites(conn, grid.id)?,
        cats: issue_models::categories(conn)?,
        issues: match patrol {
            Some(id) => models::issues_of(conn, id)?,
            None => Vec::new(),
        },
        grid_path: grid.path,
        grid: (grid.id, grid.name),
    })
}

struct FormView {
    mode: Change,
    new: bool,
    action: String,
}

fn form_page(
    ctx: Ctx,
    state: &AppState,
    mut form: PatrolForm,
    errors: Errors,
    view: &FormView,
    d: FormData,
) -> FormPage {
    form.pad_rows();
    FormPage {
        urgencies: URGENCIES
            .iter()
            .map(|u| Choice::new(u, ctx.t(format!("urgency.{u}"))))
            .collect(),
        categories: CategoryGroup::all(&d.cats, false),
        sites: d
            .sites
            .into_iter()
            .map(|(id, name, kind, interval)| SiteView {
                id,
                name,
                kind,
                interval,
            })
            .collect(),
        today: state.today().to_string(),
        ctx,
        form,
        errors,
        mode: match (view.new, view.mode) {
            (true, _) => "new",
            (false, Change::Edit) => "edit",
            (false, Change::Correct) => "correct",
        },
        action: view.action.clone(),
        grid_id: d.grid.0,
        grid_name: d.grid.1,
        conflicts: Vec::new(),
        issues: d.issues,
        restored: false,
        upload_max_mib: state.settings.upload_max_bytes / (1024 * 1024),
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    grid: Option<String>,
    #[serde(default)]
    draft: Option<String>,
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
    let draft: Option<PatrolForm> = if query.draft.is_some() {
        drafts::restore(&state.pool, &session, DRAFT_KEY).await?
    } else {
        None
    };
    let restored = draft.is_some();
    let mut form = draft.unwrap_or_else(|| PatrolForm {
        day: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    if let Some(g) = &query.grid {
        form.grid_id = g.clone();
    }
    let u = user.clone();
    let wanted = form.grid_id.trim().parse::<i32>().ok();
    let found = db::run(&state.pool, move |conn| {
        let mine = models::my_grids(conn, &u)?;
        let grid = match wanted {
            Some(g) if mine.iter().any(|m| m.0 == g) => g,
            // Not one of my grids (outside my scope, or one I am not assigned to).
            Some(_) => return Err(AppError::NotFound),
            None if mine.len() == 1 => mine[0].0,
            None if mine.is_empty() => return Err(AppError::Forbidden),
            None => return Ok(None),
        };
        Ok(Some(load_form_data(conn, &u, grid, None)?))
    })
    .await?;
    let Some(d) = found else {
        // Several grids: choose one on the list page.
        return Ok(see_other("/patrols"));
    };
    form.grid_id = d.grid.0.to_string();
    let view = FormView {
        mode: Change::Edit,
        new: true,
        action: "/patrols".into(),
    };
    let mut page = form_page(
        Ctx::build(&req, Some(user)),
        &state,
        form,
        Errors::default(),
        &view,
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
                errors.problems[row].add_args("photos", key, vec![("max", max_mib.to_string())]);
            }
        }
    }
    Ok(out)
}

/// Files each problem as an issue reported from the patrol, with its photos.
fn report_problems(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    patrol_id: i32,
    log: &Log,
    photo_keys: &HashMap<usize, Vec<(String, String)>>,
    clock: &Clock,
) -> AppResult<()> {
    for p in &log.problems {
        let report = Report {
            title: p.title.clone(),
            description: p.description.clone(),
            category_id: p.category_id,
            source: "patrol".into(),
            grid_id: log.grid_id,
            address: p.address.clone(),
            people: String::new(),
            urgency: p.urgency.clone(),
        };
        let (issue, event) = workflow::report(conn, user, &report, clock)?;
        for k in photo_keys.get(&p.row).into_iter().flatten() {
            issue_models::add_photo(conn, issue.id, event, "before", k, user.id)?;
        }
        models::link_issue(conn, patrol_id, issue.id)?;
    }
    Ok(())
}

async fn store_photos(
    state: &AppState,
    prepared: HashMap<usize, photos::Prepared>,
) -> AppResult<HashMap<usize, Vec<(String, String)>>> {
    let mut keys = HashMap::new();
    for (row, p) in prepared {
        keys.insert(row, photos::store(state, p).await?);
    }
    Ok(keys)
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
    let user = drafts::poster(
        &req,
        &state.pool,
        &session,
        DRAFT_KEY,
        &form,
        "/patrols/new?draft=1".into(),
    )
    .await?;
    let u = user.clone();
    let wanted = form.grid_id.trim().parse::<i32>().unwrap_or(0);
    let (mine, d) = db::run(&state.pool, move |conn| {
        let mine: Vec<i32> = models::my_grids(conn, &u)?
            .into_iter()
            .map(|g| g.0)
            .collect();
        if !mine.contains(&wanted) {
            return Err(AppError::NotFound);
        }
        Ok((mine, load_form_data(conn, &u, wanted, None)?))
    })
    .await?;
    let view = FormView {
        mode: Change::Edit,
        new: true,
        action: "/patrols".into(),
    };
    let ctx = Ctx::build(&req, Some(user.clone()));
    if !form.more.is_empty() {
        return render_ok(&form_page(ctx, &state, form, Errors::default(), &view, d));
    }
    let site_ids: Vec<i32> = d.sites.iter().map(|s| s.0).collect();
    let parsed = form.parse(&Context {
        grids: &mine,
        sites: &site_ids,
        categories: &d.cats,
        today: state.today(),
        now: local_now(&state),
        correcting: false,
        fixed_grid: None,
    });
    let max_mib = state.settings.upload_max_bytes / (1024 * 1024);
    let mut errors = parsed
        .as_ref()
        .err()
        .map(|e| (**e).clone())
        .unwrap_or_default();
    let prepared = problem_photos(&parts, &form, &mut errors, max_mib).await?;
    let log = match parsed {
        Ok(log) if errors.is_empty() => log,
        _ => {
            let page = form_page(ctx, &state, form, errors, &view, d);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = store_photos(&state, prepared).await?;
    let (u, c, path) = (user.clone(), Clock::at(state.tz), d.grid_path.clone());
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let id = models::insert(
                conn,
                &NewPatrol {
                    grid_id: log.grid_id,
                    scope_path: path.clone(),
                    worker_id: u.id,
                    day: log.day,
                    started_at: log.started_at.clone(),
                    ended_at: log.ended_at.clone(),
                    route: log.route.clone(),
                    notes: log.notes.clone(),
                    quick: false,
                    created_at: c.now,
                    updated_at: c.now,
                },
            )?;
            report_problems(conn, &u, id, &log, &keys, &c)?;
            let patrol = models::get(conn, id)?;
            models::set_children(conn, &patrol, &log, false)?;
            crate::audit::created(
                conn,
                &u.actor(),
                "patrol",
                id,
                &log.day.to_string(),
                &audit_view(&log),
                &path,
            )?;
            Ok(format!("/patrols/{id}"))
        },
    )
    .await?;
    flash(&session, "ok", "patrols.saved_flash", &[]);
    Ok(see_other(&location))
}

/// What the audit log keeps of a log: everything but residents' phone numbers.
fn audit_view(log: &Log) -> serde_json::Value {
    let mut v = serde_json::to_value(log).unwrap_or_default();
    if let Some(visits) = v.get_mut("visits").and_then(|x| x.as_array_mut()) {
        for visit in visits {
            if let Some(p) = visit.get_mut("phone") {
                *p = serde_json::Value::String(crate::web::forms::mask_phone(
                    p.as_str().unwrap_or_default(),
                ));
            }
        }
    }
    v
}

#[derive(Deserialize)]
pub struct QuickForm {
    #[serde(default)]
    grid_id: String,
    #[serde(default)]
    form_token: String,
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
    let location = crate::web::idempotency::create_once(&state.pool, token, user.id, move |conn| {
        if !models::my_grids(conn, &u)?.iter().any(|g| g.0 == grid_id) {
            return Err(AppError::NotFound);
        }
        if let Some(id) = models::logged(conn, u.id, grid_id, today)? {
            return Ok(format!("/patrols/{id}"));
        }
        let grid = crate::org::models::get_grid(conn, &u, grid_id)?;
        let id = models::insert(
            conn,
            &NewPatrol {
                grid_id,
                scope_path: grid.path.clone(),
                worker_id: u.id,
                day: today,
                started_at: String::new(),
                ended_at: String::new(),
                route: String::new(),
                notes: String::new(),
                quick: true,
                created_at: c.now,
                updated_at: c.now,
            },
        )?;
        crate::audit::created(
            conn,
            &u.actor(),
            "patrol",
            id,
            &format!("{today} quick"),
            &serde_json::json!({"grid_id": grid_id, "day": today, "quick": true}),
            &grid.path,
        )?;
        Ok(format!("/patrols/{id}"))
    })
    .await?;
    flash(&session, "ok", "patrols.quick_flash", &[]);
    Ok(see_other(&location))
}

// ---------------------------------------------------------------------------------------------
// Edit and correction

/// The saved log as a form (for the edit page and the conflict comparison).
fn form_of(conn: &mut AnyConnection, p: &Patrol) -> AppResult<PatrolForm> {
    let sites = models::site_checks(conn, p.id)?
        .into_iter()
        .map(|(id, _, _, finding, note)| (id, SiteInput { finding, note }))
        .collect();
    let visits = models::visits(conn, p.id)?
        .into_iter()
        .map(|v| super::forms::VisitInput {
            address: v.address,
            householder: v.householder,
            phone: v.phone,
            learned: v.learned,
            needs: v.needs,
        })
        .collect();
    Ok(PatrolForm {
        grid_id: p.grid_id.to_string(),
        day: p.day.to_string(),
        started_at: p.started_at.clone(),
        ended_at: p.ended_at.clone(),
        route: p.route.clone(),
        notes: p.notes.clone(),
        sites,
        visits,
        problems: Vec::<ProblemInput>::new(),
        version: p.version.to_string(),
        ..Default::default()
    })
}

/// A form as the comparison lines: site names and findings in words.
fn summary_of(ctx: &Ctx, f: &PatrolForm, sites: &[(i32, String, String, i32)]) -> Summary {
    let names: HashMap<i32, &str> = sites.iter().map(|s| (s.0, s.1.as_str())).collect();
    let checks: Vec<(String, String, String)> = f
        .sites
        .iter()
        .filter(|(_, s)| !s.finding.trim().is_empty())
        .map(|(id, s)| {
            (
                names
                    .get(id)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| id.to_string()),
                ctx.t(format!("patrols.finding.{}", s.finding.trim())),
                s.note.trim().to_string(),
            )
        })
        .collect();
    let visits: Vec<(String, String)> = f
        .visits
        .iter()
        .filter(|v| !v.address.trim().is_empty())
        .map(|v| {
            (
                v.address.trim().to_string(),
                v.householder.trim().to_string(),
            )
        })
        .collect();
    Summary::new(
        f.started_at.trim(),
        f.ended_at.trim(),
        f.route.trim(),
        f.notes.trim(),
        &checks,
        &visits,
    )
}

/// A saved log in scope for the edit page and its post: the log, the log as a form, the form's
/// data, and what this user may do to it (nothing: 403).
async fn load_saved(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Patrol, PatrolForm, FormData, Change)> {
    let u = user.clone();
    let (p, saved, d) = db::run(&state.pool, move |conn| {
        let p = models::get_scoped(conn, &u, id)?;
        let saved = form_of(conn, &p)?;
        let d = load_form_data(conn, &u, p.grid_id, Some(p.id))?;
        Ok((p, saved, d))
    })
    .await?;
    let mode = domain::change_allowed(user, &p, state.today(), state.settings.patrol_edit_days)
        .ok_or(AppError::Forbidden)?;
    Ok((p, saved, d, mode))
}

#[derive(Deserialize)]
pub struct EditQuery {
    #[serde(default)]
    draft: Option<String>,
}

/// GET /patrols/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    query: web::Query<EditQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft: Option<PatrolForm> = if query.draft.is_some() {
        drafts::restore(&state.pool, &session, DRAFT_KEY).await?
    } else {
        None
    };
    let (_, saved, d, mode) = load_saved(&state, &user, id).await?;
    let restored = draft.is_some();
    let view = FormView {
        mode,
        new: false,
        action: format!("/patrols/{id}"),
    };
    let mut page = form_page(
        Ctx::build(&req, Some(user)),
        &state,
        draft.unwrap_or(saved),
        Errors::default(),
        &view,
        d,
    );
    page.restored = restored;
    render_ok(&page)
}

/// What happened to an edit inside its transaction.
enum Saved {
    Done,
    /// Someone saved first: the log as it is now.
    Stale(Box<(Patrol, PatrolForm)>),
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
    let next = format!("/patrols/{id}/edit?draft=1");
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let (p, saved, d, mode) = load_saved(&state, &user, id).await?;
    // The grid and day of a log are what it is a record of: they stay.
    form.grid_id = p.grid_id.to_string();
    form.day = p.day.to_string();
    let view = FormView {
        mode,
        new: false,
        action: format!("/patrols/{id}"),
    };
    let ctx = Ctx::build(&req, Some(user.clone()));
    if !form.more.is_empty() {
        return render_ok(&form_page(ctx, &state, form, Errors::default(), &view, d));
    }
    let site_ids: Vec<i32> = d.sites.iter().map(|s| s.0).collect();
    let correcting = mode == Change::Correct;
    let parsed = form.parse(&Context {
        grids: &[p.grid_id],
        sites: &site_ids,
        categories: &d.cats,
        today: state.today(),
        now: local_now(&state),
        correcting,
        fixed_grid: Some(p.grid_id),
    });
    let max_mib = state.settings.upload_max_bytes / (1024 * 1024);
    let mut errors = parsed
        .as_ref()
        .err()
        .map(|e| (**e).clone())
        .unwrap_or_default();
    let prepared = problem_photos(&parts, &form, &mut errors, max_mib).await?;
    let before = summary_of(&ctx, &saved, &d.sites);
    let after = summary_of(&ctx, &form, &d.sites);
    let changes = conflicts(&before.fields(), &after.fields());
    if version(&form.version) != p.version {
        return stale(ctx, &state, form, errors, &view, d, &saved, &p);
    }
    if let Ok(log) = &parsed
        && correcting
        && changes.is_empty()
        && log.problems.is_empty()
    {
        errors.form.add("reason", "patrols.nothing_changed");
    }
    let log = match parsed {
        Ok(log) if errors.is_empty() => log,
        _ => {
            let page = form_page(ctx, &state, form, errors, &view, d);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = store_photos(&state, prepared).await?;
    let changes_json = serde_json::to_string(
        &changes
            .iter()
            .map(|c| (c.label, c.mine.clone(), c.theirs.clone()))
            .collect::<Vec<_>>(),
    )
    .map_err(|e| AppError::Internal(e.to_string()))?;
    let (u, c, seen) = (user.clone(), Clock::at(state.tz), p.version);
    let (before_fields, after_fields) = (before.fields(), after.fields());
    let outcome = db::run_write(&state.pool, move |conn| {
        let current = models::get_scoped(conn, &u, id)?;
        let change = PatrolChange {
            started_at: log.started_at.clone(),
            ended_at: log.ended_at.clone(),
            route: log.route.clone(),
            notes: log.notes.clone(),
            quick: current.quick
                && log.sites.is_empty()
                && log.visits.is_empty()
                && log.started_at.is_empty(),
            updated_at: c.now,
        };
        if !models::update(conn, id, seen, &change)? {
            let saved = form_of(conn, &current)?;
            return Ok(Saved::Stale(Box::new((current, saved))));
        }
        report_problems(conn, &u, id, &log, &keys, &c)?;
        models::set_children(conn, &current, &log, correcting)?;
        if correcting {
            models::add_correction(conn, id, u.id, &log.reason, &changes_json)?;
        }
        let summary = if correcting {
            format!("{} correction: {}", current.day, log.reason)
        } else {
            current.day.to_string()
        };
        let as_map = |f: &[(&str, String)]| -> serde_json::Map<String, serde_json::Value> {
            f.iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone())))
                .collect()
        };
        crate::audit::updated(
            conn,
            &u.actor(),
            "patrol",
            id,
            &summary,
            &as_map(&before_fields),
            &as_map(&after_fields),
            &current.scope_path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    match outcome {
        Saved::Done => {
            let key = if correcting {
                "patrols.corrected_flash"
            } else {
                "flash.saved"
            };
            flash(&session, "ok", key, &[]);
            Ok(see_other(&format!("/patrols/{id}")))
        }
        Saved::Stale(b) => stale(ctx, &state, form, errors, &view, d, &b.1, &b.0),
    }
}

/// 409: someone saved the log since this form was opened. Both versions are shown, the typed
/// form is kept and carries the current version, so submitting again saves it deliberately.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of the page, each used once"
)]
fn stale(
    ctx: Ctx,
    state: &AppState,
    mut form: PatrolForm,
    errors: Errors,
    view: &FormView,
    d: FormData,
    saved: &PatrolForm,
    current: &Patrol,
) -> AppResult<HttpResponse> {
    let mine = summary_of(&ctx, &form, &d.sites);
    let theirs = summary_of(&ctx, saved, &d.sites);
    let rows: Vec<ConflictRow> = conflicts(&mine.fields(), &theirs.fields());
    form.version = current.version.to_string();
    let mut page = form_page(ctx, state, form, errors, view, d);
    page.conflicts = rows;
    render_status(&page, StatusCode::CONFLICT)
}
