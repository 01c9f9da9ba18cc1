//! Round handlers: the list and its export, a round's page, the round form (new and edit).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{FormData, ListQuery, OfferedUnit, RoundForm, labelled};
use super::models::{self, Filter, Inspector, Loaded};
use super::pages::{FormPage, ListPage, RoundRow, ShowPage, mode_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::inspections::domain;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::list::{self, ListParams};
use crate::web::{AppState, render_ok};

/// The audit log's name for a round.
pub const ENTITY: &str = "inspection_round";

/// The rounds and their (units, items) counts, with the filter's messages.
async fn rows(
    state: &AppState,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(Vec<(models::Round, i64, i64)>, FormErrors)> {
    let mut errors = FormErrors::new();
    let p = list::period(&mut errors, &q.from, &q.to);
    let f = Filter {
        mode: q.mode(),
        from: p.from,
        to: p.to,
    };
    let empty = errors.has("to");
    let u = user.clone();
    let rows = db::run(&state.pool, move |conn| {
        if empty {
            return Ok(Vec::new());
        }
        let rounds = models::list(conn, &u, &f)?;
        let ids: Vec<i32> = rounds.iter().map(|r| r.id).collect();
        let counts = models::counts(conn, &ids)?;
        Ok(rounds
            .into_iter()
            .zip(counts)
            .map(|(r, (_, units, items))| (r, units, items))
            .collect())
    })
    .await?;
    Ok((rows, errors))
}

/// GET /inspections — the rounds in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (rows, errors) = rows(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ListPage {
        modes: mode_choices(&ctx),
        rows: rows
            .iter()
            .map(|(r, u, i)| RoundRow::of(&ctx, r, *u, *i))
            .collect(),
        export_query: q.base(),
        may_plan: domain::may_plan(user.role, &user.org_path),
        errors,
        q,
        ctx,
    })
}

/// GET /inspections/export.xlsx — the round list with its filters.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (rows, _) = rows(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|(r, u, i)| {
            let v = RoundRow::of(&ctx, r, *u, *i);
            vec![
                v.title,
                v.mode,
                ctx.date(&r.planned_from),
                ctx.date(&r.planned_to),
                v.units.to_string(),
                v.items.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "inspection-rounds.xlsx",
        "rounds",
        &[
            "inspect.round_title",
            "inspect.mode",
            "inspect.planned_from",
            "inspect.planned_to",
            "inspect.unit_count",
            "inspect.item_count",
        ],
        &out,
    )
}

/// GET /inspections/rounds/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (l, visits) = db::run(&state.pool, move |conn| {
        let l = models::load(conn, &u, id)?;
        Ok((l, crate::inspections::visits::models::of_round(conn, id)?))
    })
    .await?;
    let may_edit = domain::may_edit_round(&user, &l.round.scope_path);
    let ids: Vec<i32> = l.inspectors.iter().map(|i| i.user_id).collect();
    let may_inspect = domain::may_inspect(&user, &l.round.scope_path, &ids);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage {
        ctx,
        l,
        may_edit,
        may_inspect,
        visits,
    })
}

/// The units under the planner's own unit and the office staff of their scope who may inspect.
fn form_data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
    let units = crate::org::models::unit_options(conn, user, true)?
        .into_iter()
        .filter(|u| u.id != user.org_unit_id)
        .map(|u| OfferedUnit {
            id: u.id,
            name: u.name,
            depth: u.depth,
        })
        .collect();
    let f = crate::users::models::UserFilter {
        status: "active".into(),
        ..Default::default()
    };
    let inspectors = crate::users::models::list(conn, user, &f, 0, 1000)?
        .into_iter()
        .filter(|a| matches!(a.role.as_str(), "clerk" | "leader"))
        .map(|a| Inspector {
            user_id: a.id,
            name: format!("{} · {}", a.display_name, a.org_name),
        })
        .collect();
    Ok(FormData { units, inspectors })
}

fn require_planner(user: &CurrentUser) -> AppResult<()> {
    if domain::may_plan(user.role, &user.org_path) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// GET /inspections/rounds/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    require_planner(&user)?;
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| form_data(conn, &u)).await?;
    let form = RoundForm {
        mode: "covert".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, None))
}

/// POST /inspections/rounds
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    require_planner(&user)?;
    let form = RoundForm::from_pairs(&form.0);
    let u = user.clone();
    let d = db::run(&state.pool, move |conn| form_data(conn, &u)).await?;
    let fields = match form.parse(&d, (user.org_unit_id, &user.org_path)) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&FormPage::new(ctx, form, e, &d, None));
        }
    };
    let after = labelled_json(&labelled(&form, &d));
    let (actor, by) = (user.actor(), user.id);
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, by, db::now())?;
        let (title, scope) = (&fields.title, &fields.scope_path);
        crate::audit::created(conn, &actor, ENTITY, id, title, &after, scope)?;
        Ok(format!("/inspections/rounds/{id}"))
    })
    .await
}

/// The round if the user may edit it, with the form's data.
async fn load_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Loaded, FormData)> {
    let u = user.clone();
    let (l, d) = db::run(&state.pool, move |conn| {
        Ok((models::load(conn, &u, id)?, form_data(conn, &u)?))
    })
    .await?;
    if !domain::may_edit_round(user, &l.round.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((l, d))
}

/// GET /inspections/rounds/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (l, d) = load_for_edit(&state, &user, id).await?;
    let form = RoundForm::from_loaded(&l);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &d, Some(id)))
}

/// POST /inspections/rounds/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = RoundForm::from_pairs(&form.0);
    let (l, d) = load_for_edit(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let planner = (l.round.unit_id, l.round.scope_path.as_str());
    let fields = match form.parse(&d, planner) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), form, e, &d, Some(id))),
    };
    let before = labelled_json(&labelled(&RoundForm::from_loaded(&l), &d));
    let after = labelled_json(&labelled(&form, &d));
    let (u, seen) = (user.clone(), form.seen_version());
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::load(conn, &u, id)?));
        }
        let (title, scope) = (&fields.title, &fields.scope_path);
        crate::audit::updated(conn, &u.actor(), ENTITY, id, title, &before, &after, scope)?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/inspections/rounds/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (
                labelled(&form, &d),
                labelled(&RoundForm::from_loaded(l), &d),
            );
            edit::stale(&mut form, l.round.version, &mine, &theirs)
        });
        let mut p = FormPage::new(ctx(), form, e, &d, Some(id));
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}
