use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use diesel::prelude::*;

use super::domain::{self, Action, Refusal, SOURCES, STATES, URGENCIES};
use super::forms::{ActionForm, ListQuery, ReportForm};
use super::models::{self, CategoryRow};
use super::pages::{
    ActionView, CategoryGroup, EventView, ListPage, ListRowView, NewPage, ShowPage, TodoTab,
};
use super::photos;
use super::workflow::{self, Clock, StepError};
use crate::auth::CurrentUser;
use crate::db::schema::org_units;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, ConflictRow, FormErrors, version};
use crate::web::pagination::Pager;
use crate::web::{AppState, multipart, render_ok, render_status, see_other};

/// "Major / minor" names by id.
fn category_names(cats: &[CategoryRow]) -> HashMap<i32, String> {
    let majors: HashMap<i32, &str> = cats
        .iter()
        .filter(|c| c.1.is_none())
        .map(|c| (c.0, c.2.as_str()))
        .collect();
    cats.iter()
        .map(|c| {
            let name = match c.1.and_then(|p| majors.get(&p)) {
                Some(m) => format!("{m} / {}", c.2),
                None => c.2.clone(),
            };
            (c.0, name)
        })
        .collect()
}

fn choices(ctx: &Ctx, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice::new(c, ctx.t(format!("{prefix}.{c}"))))
        .collect()
}

/// The grids a user can report in: those in their scope.
fn grid_choices(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Choice>> {
    let (lo, hi) = user.scope();
    let rows: Vec<(i32, String)> = org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq("grid"))
        .order(org_units::path)
        .select((org_units::id, org_units::name))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, n)| Choice::new(id, n)).collect())
}

// ---------------------------------------------------------------------------------------------
// The list and its export

struct ListData {
    rows: Vec<models::ListRow>,
    cats: Vec<CategoryRow>,
    grids: HashMap<i32, String>,
    units: Vec<Choice>,
    todos: Vec<(models::Todo, i64)>,
}

/// The filter of a list query, with its unit resolved inside the user's scope (a unit outside
/// it is a 404, like any other id).
fn resolve_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
    cats: &[CategoryRow],
    tz: chrono_tz::Tz,
) -> AppResult<models::Filter> {
    let mut f = q.filter(cats, tz);
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    Ok(f)
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
    let mut pager = Pager::open_ended("/issues", q.page.as_deref(), q.base());
    let (u, qq, tz, now) = (user.clone(), q.clone(), state.tz, db::now());
    let (offset, fetch) = (pager.offset(), pager.fetch());
    let mut data = db::run(&state.pool, move |conn| {
        let cats = models::categories(conn)?;
        let f = resolve_filter(conn, &u, &qq, &cats, tz)?;
        let rows = models::list(conn, &u, &f, now, offset, fetch)?;
        let grids = models::unit_names(conn, rows.iter().map(|r| r.grid_id))?;
        let units = crate::org::models::options(conn, &u, false)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect();
        let todos = todos.counts(conn, &u, now)?;
        Ok(ListData {
            rows,
            cats,
            grids,
            units,
            todos,
        })
    })
    .await?;
    pager.trim(&mut data.rows);
    let ctx = Ctx::build(&req, Some(user));
    let names = category_names(&data.cats);
    let rows = data
        .rows
        .iter()
        .map(|r| ListRowView {
            id: r.id,
            number: r.number.clone(),
            title: r.title.clone(),
            state: r.state.clone(),
            urgent: r.urgency == "urgent",
            pending: r.pending.clone(),
            category: names.get(&r.category_id).cloned().unwrap_or_default(),
            grid: data.grids.get(&r.grid_id).cloned().unwrap_or_default(),
            address: r.address.clone(),
            reported: ctx.dt(&r.reported_at),
            deadline: ctx.dt_opt(&r.deadline),
            overdue: domain::State::parse(&r.state).is_some_and(|s| s.clock_runs())
                && r.deadline.is_some_and(|d| d < now),
        })
        .collect();
    let todos = data
        .todos
        .iter()
        .map(|(t, n)| TodoTab {
            code: t.code(),
            count: *n,
            active: q.todo == t.code(),
        })
        .collect();
    let states: Vec<&str> = STATES.iter().map(|s| s.code()).collect();
    render_ok(&ListPage {
        states: choices(&ctx, "issue_state", &states),
        sources: choices(&ctx, "source", &SOURCES),
        categories: CategoryGroup::all(&data.cats, true),
        units: data.units,
        todos,
        rows,
        pager,
        q,
        ctx,
    })
}

/// Rows exported at most (a district-year is ~225,000 issues: narrow the filter for more).
const EXPORT_MAX: i64 = 100_000;

/// GET /issues/export.xlsx — the list with its filters, in scope.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, tz, now) = (user.clone(), q.into_inner(), state.tz, db::now());
    let (rows, cats, grids) = db::run(&state.pool, move |conn| {
        let cats = models::categories(conn)?;
        let f = resolve_filter(conn, &u, &q, &cats, tz)?;
        let rows = models::list(conn, &u, &f, now, 0, EXPORT_MAX)?;
        let grids = models::unit_names(conn, rows.iter().map(|r| r.grid_id))?;
        Ok((rows, cats, grids))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let names = category_names(&cats);
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.number.clone(),
                r.title.clone(),
                ctx.t(format!("issue_state.{}", r.state)),
                names.get(&r.category_id).cloned().unwrap_or_default(),
                ctx.t(format!("source.{}", r.source)),
                grids.get(&r.grid_id).cloned().unwrap_or_default(),
                r.address.clone(),
                ctx.dt(&r.reported_at),
                ctx.dt_opt(&r.deadline),
                ctx.dt_opt(&r.closed_at),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "issues.xlsx",
        "issues",
        &[
            "issues.number",
            "issues.title",
            "issues.state",
            "issues.category",
            "issues.source",
            "issues.grid",
            "issues.address",
            "issues.reported_at",
            "issues.deadline",
            "issues.closed_at",
        ],
        &out,
    )
}

// ---------------------------------------------------------------------------------------------
// Reporting

const DRAFT_KEY: &str = "issue_draft";

fn new_page(
    ctx: Ctx,
    form: ReportForm,
    errors: FormErrors,
    cats: &[CategoryRow],
    grids: Vec<Choice>,
    upload_max: usize,
) -> NewPage {
    NewPage {
        sources: choices(&ctx, "source", &SOURCES),
        urgencies: choices(&ctx, "urgency", &URGENCIES),
        categories: CategoryGroup::all(cats, false),
        ctx,
        form,
        errors,
        grids,
        photo_error: None,
        upload_max_mib: upload_max / (1024 * 1024),
        restored: false,
    }
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    draft: Option<String>,
    #[serde(default)]
    grid: Option<String>,
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
    let u = user.clone();
    let (cats, grids) = db::run(&state.pool, move |conn| {
        Ok((models::categories(conn)?, grid_choices(conn, &u)?))
    })
    .await?;
    let restored = draft.is_some();
    let mut form = draft.unwrap_or_else(|| ReportForm {
        source: "patrol".into(),
        urgency: "normal".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    if let Some(g) = &query.grid {
        form.grid_id = g.clone();
    } else if form.grid_id.is_empty() && grids.len() == 1 {
        form.grid_id = grids[0].value.clone();
    }
    let mut page = new_page(
        Ctx::build(&req, Some(user)),
        form,
        FormErrors::new(),
        &cats,
        grids,
        state.settings.upload_max_bytes,
    );
    page.restored = restored;
    render_ok(&page)
}

/// POST /issues (multipart: the fields and up to nine photos)
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let parts = multipart::read(payload, state.settings.upload_max_bytes).await?;
    parts.verify_csrf(&req)?;
    let form: ReportForm = parts.form()?;
    let next = "/issues/new?draft=1".to_string();
    let user =
        crate::web::drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let u = user.clone();
    let (cats, grids) = db::run(&state.pool, move |conn| {
        Ok((models::categories(conn)?, grid_choices(conn, &u)?))
    })
    .await?;
    let grid_ids: Vec<i32> = grids.iter().filter_map(|g| g.value.parse().ok()).collect();
    let parsed = form.parse(&cats, &grid_ids);
    let prepared = photos::prepare(&parts.files, "photos").await?;
    let (report, prepared) = match (parsed, prepared) {
        (Ok(r), Ok(p)) => (r, p),
        (parsed, prepared) => {
            let errors = parsed.err().unwrap_or_default();
            let mut page = new_page(
                Ctx::build(&req, Some(user)),
                form,
                errors,
                &cats,
                grids,
                state.settings.upload_max_bytes,
            );
            if let Err(key) = prepared {
                page.photo_error = Some(page.ctx.ta(
                    key,
                    &[(
                        "max",
                        (state.settings.upload_max_bytes / (1024 * 1024)).to_string(),
                    )],
                ));
            }
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = photos::store(&state, prepared).await?;
    let (u, c, token) = (user.clone(), Clock::at(state.tz), form.form_token.clone());
    let location = crate::web::idempotency::create_once(&state.pool, token, user.id, move |conn| {
        let (issue, event) = workflow::report(conn, &u, &report, &c)?;
        for k in &keys {
            models::add_photo(conn, issue.id, event, "before", k, u.id)?;
        }
        Ok(format!("/issues/{}", issue.id))
    })
    .await?;
    flash(&session, "ok", "issues.reported_flash", &[]);
    Ok(see_other(&location))
}

// ---------------------------------------------------------------------------------------------
// The issue page and its actions

struct ShowData {
    issue: models::Issue,
    cats: Vec<CategoryRow>,
    names: HashMap<i32, String>,
    units: HashMap<i32, String>,
    events: Vec<models::EventRow>,
    photos: Vec<models::PhotoRow>,
    actions: Vec<Action>,
    target_users: Vec<(i32, String, String)>,
    target_units: Vec<(i32, String, i32)>,
    patrol: Option<i32>,
    meetings: Vec<(i32, String, chrono::NaiveDate, i32)>,
    opinion: Option<i32>,
    party_activities: Vec<crate::party::activity_models::IssueActivity>,
}

fn show_data(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<ShowData> {
    let issue = models::get_scoped(conn, user, id)?;
    let (standing, owner) = workflow::standing(conn, user, &issue)?;
    let actions = domain::allowed(
        issue.state(),
        domain::Pending::parse(&issue.pending),
        &standing,
    );
    let (target_users, target_units) = if actions.contains(&Action::Dispatch) {
        let (lo, hi) = crate::db::subtree_range(&owner.path);
        let units: Vec<(i32, String, i32)> = org_units::table
            .filter(org_units::path.ge(lo))
            .filter(org_units::path.lt(hi))
            .filter(org_units::depth.le(owner.depth + 1))
            .order(org_units::path)
            .select((org_units::id, org_units::name, org_units::depth))
            .load(conn)?;
        (models::dispatch_users(conn, &owner.path)?, units)
    } else {
        (Vec::new(), Vec::new())
    };
    let user_ids: Vec<i32> = [
        Some(issue.reporter_id),
        issue.handler_user_id,
        issue.handled_by,
    ]
    .into_iter()
    .flatten()
    .collect();
    let names = models::user_names(conn, &user_ids)?.into_iter().collect();
    let unit_ids: Vec<i32> = [
        Some(issue.grid_id),
        Some(issue.owner_unit_id),
        issue.handler_unit_id,
    ]
    .into_iter()
    .flatten()
    .collect();
    let units = models::unit_names(conn, unit_ids)?;
    Ok(ShowData {
        patrol: crate::patrols::models::patrol_of_issue(conn, issue.id)?,
        meetings: crate::meetings::models::of_issue(conn, issue.id)?,
        opinion: crate::party::opinion_models::of_issue(conn, issue.id)?,
        party_activities: crate::party::activity_models::of_issue(conn, issue.id)?,
        events: models::events(conn, issue.id)?,
        photos: models::photos(conn, issue.id)?,
        cats: models::categories(conn)?,
        issue,
        names,
        units,
        actions,
        target_users,
        target_units,
    })
}

fn show_page(ctx: Ctx, d: ShowData, form: ActionForm, upload_max: usize) -> ShowPage {
    let i = &d.issue;
    let handler = if let Some(u) = i.handler_user_id {
        d.names.get(&u).cloned().unwrap_or_default()
    } else if let Some(u) = i.handler_unit_id {
        d.units.get(&u).cloned().unwrap_or_default()
    } else {
        i.handler_party.clone()
    };
    let cat_names = category_names(&d.cats);
    let events = d
        .events
        .into_iter()
        .map(|row| EventView {
            photos: d
                .photos
                .iter()
                .filter(|p| p.event_id == Some(row.id) && p.stage == "after")
                .cloned()
                .collect(),
            row,
        })
        .collect();
    ShowPage {
        category: cat_names.get(&i.category_id).cloned().unwrap_or_default(),
        grid: d.units.get(&i.grid_id).cloned().unwrap_or_default(),
        owner: d.units.get(&i.owner_unit_id).cloned().unwrap_or_default(),
        reporter: d.names.get(&i.reporter_id).cloned().unwrap_or_default(),
        handler,
        patrol: d.patrol,
        meetings: d.meetings,
        opinion: d.opinion,
        party_activities: d.party_activities,
        overdue: i.overdue(db::now()),
        events,
        before_photos: d
            .photos
            .iter()
            .filter(|p| p.stage == "before")
            .cloned()
            .collect(),
        actions: d
            .actions
            .iter()
            .map(|a| ActionView {
                code: a.code(),
                needs_note: a.needs_note(),
                takes_photos: a.takes_photos(),
            })
            .collect(),
        categories: CategoryGroup::all(&d.cats, false),
        target_users: d
            .target_users
            .iter()
            .map(|(id, n, unit)| Choice::new(id, format!("{n}（{unit}）")))
            .collect(),
        target_units: d
            .target_units
            .iter()
            .map(|(id, n, _)| Choice::new(id, n))
            .collect(),
        issue: d.issue,
        form,
        errors: FormErrors::new(),
        conflicts: Vec::new(),
        photo_error: None,
        upload_max_mib: upload_max / (1024 * 1024),
        ctx,
    }
}

/// GET /issues/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    id: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), id.into_inner());
    let d = db::run(&state.pool, move |conn| show_data(conn, &u, id)).await?;
    let form = ActionForm {
        version: d.issue.version.to_string(),
        ..Default::default()
    };
    render_ok(&show_page(
        Ctx::build(&req, Some(user)),
        d,
        form,
        state.settings.upload_max_bytes,
    ))
}

/// POST /issues/{id}/act (multipart: an action's fields and, for progress and the handling
/// result, photos)
pub async fn act(
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
    let mut form: ActionForm = parts.form()?;
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
    let prepared = photos::prepare(&files, "photos").await?;
    let max = state.settings.upload_max_bytes;
    let rerender =
        |user: CurrentUser, form: ActionForm, errors: FormErrors, photo: Option<&'static str>| {
            let state = state.clone();
            let req = req.clone();
            async move {
                let u = user.clone();
                let d = db::run(&state.pool, move |conn| show_data(conn, &u, id)).await?;
                let mut page = show_page(Ctx::build(&req, Some(user)), d, form, max);
                page.errors = errors;
                if let Some(key) = photo {
                    page.photo_error = Some(
                        page.ctx
                            .ta(key, &[("max", (max / (1024 * 1024)).to_string())]),
                    );
                }
                Ok::<_, AppError>(page)
            }
        };
    let ((action, input), prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().unwrap_or_default();
            let page = rerender(user, form, errors, prepared.err()).await?;
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let keys = photos::store(&state, prepared).await?;
    let (u, c, expected) = (user.clone(), Clock::at(state.tz), version(&form.version));
    let result = db::run_write(&state.pool, move |conn| {
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
    .await?;
    match result {
        Ok(()) => {
            flash(&session, "ok", "issues.done_flash", &[]);
            Ok(see_other(&format!("/issues/{id}")))
        }
        Err(StepError::Stale) | Err(StepError::Refused(Refusal::WrongState)) => {
            // Someone acted first: show what the issue is now next to what this user was
            // doing; the typed note stays in the form.
            let seen = form.seen_state.clone();
            let mut page = rerender(user, form.clone(), FormErrors::new(), None).await?;
            page.conflicts = vec![
                ConflictRow {
                    label: "issues.state",
                    mine: page.ctx.t(format!("issue_state.{seen}")),
                    theirs: page.ctx.t(format!("issue_state.{}", page.issue.state)),
                },
                ConflictRow {
                    label: "issues.your_action",
                    mine: format!(
                        "{} {}",
                        page.ctx.t(format!("act.{}", form.action)),
                        form.note
                    ),
                    theirs: String::new(),
                },
            ];
            // The form is shown again for the current version only if the action is still
            // possible.
            form.version = page.issue.version.to_string();
            page.form.version = form.version.clone();
            Ok(render_status(&page, StatusCode::CONFLICT)?)
        }
        Err(StepError::Refused(Refusal::NotPermitted)) => Err(AppError::Forbidden),
        Err(StepError::BadTarget) => {
            let mut errors = FormErrors::new();
            errors.add("target_kind", "issues.choose_target");
            let page = rerender(user, form, errors, None).await?;
            render_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(StepError::App(e)) => Err(e),
    }
}
