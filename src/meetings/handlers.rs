//! A meeting's handlers: the list and its export, the new-meeting form and the create (which
//! drafts the agenda), the meeting's page and its state steps (held, minutes finalized).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::agenda::forms::AddForm;
use super::domain::{self, State};
use super::forms::{ListQuery, NewForm, NewQuery, ShowQuery, StateForm};
use super::models;
use super::pages::{
    EXPORT_COLUMNS, ListPage, ListRowView, NewPage, ShowPage, kind_tabs, state_choices,
};
use super::record::models::{Staff, default_people};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::issues::models as issue_models;
use crate::issues::workflow::Clock;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::list;
use crate::web::{AppState, render_ok, see_other};

/// The list: its page and how its rows are read (the export reads the same).
const LIST: list::At<models::Filter, models::ListRow> = list::At {
    path: "/meetings",
    rows: models::list,
    count: models::count,
};

/// The list's export.
const SHEET: list::Sheet<ListRowView> = list::Sheet {
    file: "meetings.xlsx",
    sheet: "meetings",
    columns: EXPORT_COLUMNS,
};

/// GET /meetings
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner().with_default_kind(&user);
    let page = list::page(&state.pool, &user, &q, LIST, |conn, u, _, rows| {
        let names = issue_models::unit_names(conn, rows.iter().map(|r| r.unit_id))?;
        Ok((names, models::meeting_units(conn, u)?))
    })
    .await?;
    let (names, units) = page.more;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ListPage {
        tabs: kind_tabs(&ctx, &q),
        states: state_choices(&ctx),
        may_create: domain::may_call(&user),
        rows: page
            .rows
            .iter()
            .map(|r| ListRowView::new(&ctx, r, &names))
            .collect(),
        pager: page.pager,
        q,
        errors: page.errors,
        units: units
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect(),
        ctx,
    })
}

/// GET /meetings/export.xlsx — the list with its filters, in scope.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner().with_default_kind(&user);
    list::export(
        (&req, &state.pool, user),
        q,
        LIST,
        |conn, _, _, rows| issue_models::unit_names(conn, rows.iter().map(|r| r.unit_id)),
        SHEET,
        |ctx, names, r| ListRowView::new(ctx, r, names),
    )
    .await
}

/// GET /meetings/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| models::load(conn, &u, id)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let add = (AddForm::default(), FormErrors::new());
    let left = query.left.unwrap_or(0);
    render_ok(&ShowPage::new(ctx, &user, l, add, left, state.today()))
}

/// What the new-meeting form shows besides the form: the units the user holds meetings for and
/// the chosen unit's staff.
type FormData = (Vec<crate::org::models::UnitOption>, Vec<Staff>);

async fn form_data(state: &AppState, user: &CurrentUser, unit: Option<i32>) -> AppResult<FormData> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let units = models::meeting_units(conn, &u)?;
        let staff = match unit.filter(|u| units.iter().any(|x| x.id == *u)) {
            Some(u) => default_people(conn, u)?,
            None => Vec::new(),
        };
        Ok((units, staff))
    })
    .await
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
    let wanted = query.unit.trim().parse::<i32>().ok();
    let (units, mut staff) = form_data(&state, &user, wanted).await?;
    // One unit (a community's clerk): it is chosen already.
    let unit = wanted.or_else(|| (units.len() == 1).then(|| units[0].id));
    if wanted.is_none() && unit.is_some() {
        staff = form_data(&state, &user, unit).await?.1;
    }
    let or = |typed: &str, default: String| match typed {
        "" => default,
        t => t.to_string(),
    };
    let form = NewForm {
        kind: or(&query.kind, "weekly".into()),
        unit_id: unit.map(|u| u.to_string()).unwrap_or_default(),
        day: or(&query.day, state.today().to_string()),
        start_time: "09:00".into(),
        invite: staff.iter().map(|s| s.user_id.to_string()).collect(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&NewPage::new(ctx, form, FormErrors::new(), units, staff))
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
    let wanted = form.unit_id.trim().parse::<i32>().ok();
    let (units, staff) = form_data(&state, &user, wanted).await?;
    let unit_ids: Vec<i32> = units.iter().map(|x| x.id).collect();
    let staff_ids: Vec<i32> = staff.iter().map(|x| x.user_id).collect();
    let new = match form.parse(&unit_ids, &staff_ids, state.today()) {
        Ok(n) => n,
        Err(errors) => {
            let p = NewPage::new(Ctx::build(&req, Some(user)), form, errors, units, staff);
            return edit::invalid(&p);
        }
    };
    let (u, clock) = (user.clone(), Clock::at(state.tz));
    let once = (form.form_token, user.id);
    edit::create(
        &state.pool,
        &session,
        once,
        "meetings.created_flash",
        move |conn| {
            let (id, left) = models::create(conn, &u, &new, &staff, &clock)?;
            Ok(match left {
                0 => format!("/meetings/{id}"),
                left => format!("/meetings/{id}?left={left}"),
            })
        },
    )
    .await
}

/// POST /meetings/{id}/state — draft → held (the meeting took place) → final (the minutes are
/// filed; from then on every change is a correction with a reason).
pub async fn advance(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<StateForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (u, now) = (user.clone(), Clock::at(state.tz).now);
    let version = crate::web::forms::version(&form.version);
    let moved = db::run_write(&state.pool, move |conn| {
        models::advance(conn, &u, id, &form.to, version, now)
    })
    .await?;
    match moved {
        Some(State::Held) => flash(&session, "ok", "meetings.held_flash", &[]),
        Some(_) => flash(&session, "ok", "meetings.finalized_flash", &[]),
        // Someone moved it first, or a stale page.
        None => flash(&session, "warn", "meetings.state_changed", &[]),
    }
    Ok(see_other(&format!("/meetings/{id}")))
}
