//! The issue pages: the list and its export, the report form, the issue page with its steps, and
//! the photos.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain::{Action, Refusal, SOURCES, STATES};
use super::forms::{ActionForm, ListQuery, NewQuery, ReportForm};
use super::models::{self, CategoryRow};
use super::pages::{
    CategoryGroup, EXPORT_COLUMNS, ListPage, ListRowView, NewPage, ShowPage, TodoTab, choices,
};
use super::workflow::{self, ActionInput, Clock, StepError};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::models::{UnitGroup, grid_groups};
use crate::photos::{Cache, Owner};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, VersionedForm};
use crate::web::forms::{Choice, FormErrors};
use crate::web::idempotency::{self, Once};
use crate::web::list::{self, ListParams};
use crate::web::pagination::Pager;
use crate::web::{AppState, multipart, render_ok, render_status, see_other};

// ---------------------------------------------------------------------------------------------
// The list and its export

/// The filter of a list query with its unit resolved inside the user's scope (a unit outside it
/// is a 404, like any other id), and the messages of its bad dates.
fn resolve_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
    cats: &[CategoryRow],
    tz: chrono_tz::Tz,
) -> AppResult<(models::Filter, FormErrors)> {
    let mut errors = FormErrors::new();
    let mut f = q.filter(cats, tz, &mut errors);
    f.unit_path = crate::org::models::unit_filter(conn, user, &q.unit)?;
    Ok((f, errors))
}

/// The list's rows as the page (`pager`: its page, settled) and the export (None: all, at most
/// `EXPORT_MAX`) show them, with the categories and the filter's messages.
///
/// `extra` runs in the same blocking call (the page's unit choices and to-do counts; nothing for
/// the export), so a list page is one trip to the pool.
async fn rows<E: Send + 'static>(
    state: &AppState,
    user: &CurrentUser,
    q: &ListQuery,
    ctx: &Ctx,
    mut pager: Option<Pager>,
    extra: impl FnOnce(&mut AnyConnection) -> AppResult<E> + Send + 'static,
) -> AppResult<(
    Vec<ListRowView>,
    Vec<CategoryRow>,
    (FormErrors, Option<Pager>),
    E,
)> {
    let (u, q, tz, now) = (user.clone(), q.clone(), state.tz, db::now());
    let (rows, cats, (grids, cal, urges), errors, extra) = db::run(&state.pool, move |conn| {
        let cats = models::categories(conn)?;
        let (f, errors) = resolve_filter(conn, &u, &q, &cats, tz)?;
        let (offset, limit) = pager
            .as_ref()
            .map_or((0, list::EXPORT_MAX), |p| (p.offset(), p.fetch()));
        let mut rows = models::list(conn, &u, &f, now, offset, limit)?;
        if let Some(p) = pager.as_mut() {
            p.settle(&mut rows, |cap| models::count_upto(conn, &u, &f, now, cap))?;
        }
        let grids = models::unit_names(conn, rows.iter().map(|r| r.grid_id))?;
        let cal = models::late_calendar(conn, &rows, tz, now)?;
        let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
        let urges = super::urge::models::counts(conn, &ids)?;
        Ok((
            rows,
            cats,
            (grids, cal, urges),
            (errors, pager),
            extra(conn)?,
        ))
    })
    .await?;
    let names = models::category_names(&cats);
    let views = rows
        .iter()
        .map(|r| ListRowView::of(r, (&names, &grids), &cal, ctx, now).urged(&urges))
        .collect();
    Ok((views, cats, errors, extra))
}

/// GET /issues
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    todos: web::Data<models::TodoCache>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let ctx = Ctx::build(&req, Some(user.clone()));
    let u = user.clone();
    let (rows, cats, (errors, pager), (units, todos)) = rows(
        &state,
        &user,
        &q,
        &ctx,
        Some(q.pager("/issues")),
        move |conn| {
            let units: Vec<Choice> = crate::org::models::unit_options(conn, &u, false)?
                .iter()
                .map(crate::org::models::UnitOption::choice)
                .collect();
            Ok((units, todos.with_urged(conn, &u, db::now())?))
        },
    )
    .await?;
    let Some(pager) = pager else {
        return Err(AppError::Internal("the issue list lost its pager".into()));
    };
    let todos = todos
        .iter()
        .map(|(t, n, urged)| TodoTab {
            code: t.code(),
            count: *n,
            urged: *urged,
            active: q.todo == t.code(),
        })
        .collect();
    let states: Vec<&str> = std::iter::once(crate::issues::domain::OPEN)
        .chain(STATES.iter().map(|s| s.code()))
        .collect();
    render_ok(&ListPage {
        states: choices(&ctx, "issue_state", &states),
        sources: choices(&ctx, "source", &SOURCES),
        categories: CategoryGroup::all(&cats, true),
        rows,
        units,
        todos,
        errors,
        pager,
        q,
        ctx,
    })
}

/// GET /issues/export.xlsx — the list with its filters, in scope (a bad date's bound is left
/// open, as on the page).
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let ctx = Ctx::build(&req, Some(user.clone()));
    let (rows, _, _, ()) = rows(&state, &user, &q, &ctx, None, |_| Ok(())).await?;
    list::xlsx(&ctx, "issues.xlsx", "issues", &EXPORT_COLUMNS, rows)
}

// ---------------------------------------------------------------------------------------------
// Reporting

const DRAFT_KEY: &str = "issue_draft";

/// The categories and the grids the user can report in (by community).
async fn report_choices(
    state: &AppState,
    user: &CurrentUser,
) -> AppResult<(Vec<CategoryRow>, Vec<UnitGroup>)> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let grids = grid_groups(conn, &u.org_path, false)?;
        Ok((models::categories(conn)?, grids))
    })
    .await
}

/// GET /issues/new — the report form; `?draft=1` brings back what was typed before a session
/// ended.
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let draft: Option<ReportForm> = if query.draft.is_some() {
        crate::web::drafts::restore(&state.pool, &session, DRAFT_KEY).await?
    } else {
        None
    };
    let (cats, grids) = report_choices(&state, &user).await?;
    let restored = draft.is_some();
    let mut form = draft.unwrap_or_else(|| ReportForm {
        source: "patrol".into(),
        urgency: "normal".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    if let Some(g) = &query.grid {
        form.grid_id = g.clone();
    } else if let ([g], true) = (&grids[..], form.grid_id.is_empty())
        && let [only] = &g.options[..]
    {
        form.grid_id = only.value.clone();
    }
    let ctx = Ctx::build(&req, Some(user));
    let max = state.settings.upload_max_bytes;
    let mut page = NewPage::new(ctx, form, FormErrors::new(), &cats, grids, max);
    page.restored = restored;
    render_ok(&page)
}

/// POST /issues (multipart: the fields and up to `photos::MAX_FILES` photos; more, like a photo
/// too large, is a 422 with everything typed kept and the photos to choose again)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let max = state.settings.upload_max_bytes;
    let parts = multipart::read(payload, max).await?;
    parts.verify_csrf(&req)?;
    let form: ReportForm = parts.form()?;
    let next = "/issues/new?draft=1".to_string();
    let user =
        crate::web::drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let (cats, grids) = report_choices(&state, &user).await?;
    let grid_ids = UnitGroup::ids(&grids);
    let parsed = form.parse(&cats, &grid_ids);
    let prepared = crate::photos::prepare(&parts.files, "photos").await?;
    let (report, prepared) = match (parsed, prepared) {
        (Ok(r), Ok(p)) => (r, p),
        (parsed, prepared) => {
            let errors = parsed.err().unwrap_or_default();
            let ctx = Ctx::build(&req, Some(user));
            let mut page = NewPage::new(ctx, form, errors, &cats, grids, max);
            if let Err(key) = prepared {
                page.photo_error = Some(crate::photos::message(&page.ctx, key, max));
            }
            return edit::invalid(&page);
        }
    };
    let keys = crate::photos::store(&state.uploads, Owner::Issue, prepared).await?;
    let (u, c, token) = (user.clone(), Clock::at(state.tz), form.form_token.clone());
    edit::create(
        &state.pool,
        &session,
        (token, user.id),
        "issues.reported_flash",
        move |conn| {
            let (issue, event) = workflow::report(conn, &u, &report, &c)?;
            for k in &keys {
                models::add_photo(conn, issue.id, event, "before", k, u.id)?;
            }
            Ok(format!("/issues/{}", issue.id))
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The issue page and its steps

/// GET /issues/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), id.into_inner());
    let d = db::run(&state.pool, move |conn| models::detail(conn, &u, id)).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage::fresh(ctx, d, state.settings.upload_max_bytes))
}

/// The issue page again with the typed step form and its messages.
async fn show_again(
    req: &HttpRequest,
    state: &AppState,
    user: CurrentUser,
    id: i32,
    form: ActionForm,
    errors: FormErrors,
) -> AppResult<ShowPage> {
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| models::detail(conn, &u, id)).await?;
    let ctx = Ctx::build(req, Some(user));
    let mut page = ShowPage::new(ctx, d, form, state.settings.upload_max_bytes);
    page.errors = errors;
    Ok(page)
}

/// POST /issues/{id}/steps (multipart: a step's fields and, for progress and the handling
/// result, photos) — takes one step of the life cycle.
pub async fn take_step(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    id: web::Path<i32>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let parts = multipart::read(payload, state.settings.upload_max_bytes).await?;
    parts.verify_csrf(&req)?;
    let form: ActionForm = parts.form()?;
    let u = user.clone();
    let cats = db::run(&state.pool, move |conn| {
        models::get_scoped(conn, &u, id)?;
        models::categories(conn)
    })
    .await?;
    let parsed = form.parse(&cats);
    let takes_photos = Action::parse(&form.action).is_some_and(|a| a.takes_photos());
    let files = if takes_photos {
        parts.files
    } else {
        Vec::new()
    };
    let prepared = crate::photos::prepare(&files, "photos").await?;
    let ((action, input), prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().unwrap_or_default();
            let mut page = show_again(&req, &state, user, id, form, errors).await?;
            if let Err(key) = prepared {
                page.photo_refused(key);
            }
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = crate::photos::store(&state.uploads, Owner::Issue, prepared).await?;
    let result = write_step(&state, &user, id, &form, (action, input), keys).await?;
    match result {
        Ok(()) => {
            flash(&session, "ok", "issues.done_flash", &[]);
            Ok(see_other(&format!("/issues/{id}")))
        }
        Err(StepError::Stale) | Err(StepError::Refused(Refusal::WrongState)) => {
            stale(&req, &state, user, id, form).await
        }
        Err(StepError::Refused(Refusal::NotPermitted)) => Err(AppError::Forbidden),
        Err(StepError::BadTarget) => {
            let mut errors = FormErrors::new();
            errors.add("target_kind", "issues.choose_target");
            let page = show_again(&req, &state, user, id, form, errors).await?;
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StepError::App(e)) => Err(e),
    }
}

/// Takes the step with its stored photos, once per form token: a double click's second step is
/// the first one's success (its own copy of the photos is deleted again).
async fn write_step(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    form: &ActionForm,
    (action, input): (Action, ActionInput),
    keys: Vec<(String, String)>,
) -> AppResult<Result<(), StepError>> {
    let (u, c, expected) = (user.clone(), Clock::at(state.tz), form.seen_version());
    let (token, done_at, stored) = (
        form.form_token.clone(),
        format!("/issues/{id}"),
        keys.clone(),
    );
    let once = db::run_write(&state.pool, move |conn| {
        idempotency::once(conn, &token, u.id, &done_at, |conn| {
            match workflow::step(conn, &u, id, expected, action, &input, &c) {
                Ok((issue, event)) => {
                    for k in &keys {
                        models::add_photo(conn, issue.id, event, "after", k, u.id)?;
                    }
                    Ok(Ok(()))
                }
                Err(StepError::App(e)) => Err(e),
                Err(other) => Ok(Err(other)),
            }
        })
    })
    .await?;
    Ok(match once {
        Once::Done(()) => Ok(()),
        Once::Repeat => {
            let files = stored.iter().flat_map(|(f, t)| [f.as_str(), t.as_str()]);
            crate::photos::delete(&state.uploads, files).await;
            Ok(())
        }
        Once::Refused(e) => Err(e),
    })
}

/// Someone acted first: the issue's state now beside the one this user saw and what they were
/// doing (409, the edit kit's table); the typed note stays in the form, which is offered again
/// for the current version only if the step is still possible.
async fn stale(
    req: &HttpRequest,
    state: &AppState,
    user: CurrentUser,
    id: i32,
    mut form: ActionForm,
) -> AppResult<HttpResponse> {
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| models::detail(conn, &u, id)).await?;
    let ctx = Ctx::build(req, Some(user));
    let state_label = |s: &str| ctx.t(format!("issue_state.{s}"));
    let doing = format!("{} {}", ctx.t(format!("act.{}", form.action)), form.note);
    let mine = [
        ("issues.state", state_label(&form.seen_state)),
        ("issues.your_action", doing),
    ];
    let theirs = [
        ("issues.state", state_label(&d.issue.state)),
        ("issues.your_action", String::new()),
    ];
    let conflicts = edit::stale(&mut form, d.issue.version, &mine, &theirs);
    let mut page = ShowPage::new(ctx, d, form, state.settings.upload_max_bytes);
    page.conflicts = conflicts;
    render_status(&page, StatusCode::CONFLICT)
}

/// POST /issues/{id}/act — the step form's address before `/issues/{id}/steps`, kept for pages
/// still open and scripts: 308 keeps the method and the body.
pub async fn act_moved(id: web::Path<i32>) -> HttpResponse {
    HttpResponse::PermanentRedirect()
        .insert_header(("Location", format!("/issues/{}/steps", id.into_inner())))
        .finish()
}

// ---------------------------------------------------------------------------------------------
// Photos

/// Serves photo `pid` of issue `id` once the issue is found in the user's scope.
async fn serve_photo(
    user: CurrentUser,
    state: &AppState,
    path: web::Path<(i32, i32)>,
    thumb: bool,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let p = db::run(&state.pool, move |conn| models::photo(conn, &user, id, pid)).await?;
    let key = if thumb { p.thumb_key } else { p.file_key };
    crate::photos::serve(&state.uploads, &key, Cache::Hour).await
}

/// GET /issues/{id}/photos/{pid}
pub async fn photo(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    serve_photo(user, &state, path, false).await
}

/// GET /issues/{id}/photos/{pid}/thumb
pub async fn photo_thumb(
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    serve_photo(user, &state, path, true).await
}
