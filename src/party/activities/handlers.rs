//! Activity handlers: an activity's page, the list and its export, the record form (new, edit).

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::forms::{ActivityErrors, ActivityForm, AttendanceInput, FormData, ListQuery};
use super::models::{self as am, ActivityFields};
use super::pages::{
    ActivityRow, EXPORT_HEADERS, FormPage, ListPage, ShowPage, export_rows, kind_choices, labelled,
};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::party::branches::models as branch_models;
use crate::party::domain::{self, ACTIVITY_KINDS};
use crate::party::pairings::models as pairing_models;
use crate::photos::{self, Owner};
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, DraftQuery, Saved, VersionedForm, labelled_json};
use crate::web::forms::Choice;
use crate::web::list;
use crate::web::{AppState, drafts, multipart, render_ok, see_other};

const DRAFT_KEY: &str = "party_activity_draft";

/// The audit log's name for an activity.
const ENTITY: &str = "party_activity";

/// The list: its page and how its rows are read (the export reads the same).
const LIST: list::At<am::Filter, am::ListRow> = list::At {
    path: "/party/activities",
    rows: am::list,
    count: am::count,
};

/// GET /party/activities/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (a, b, attendance, (grids, issues), photos, pairing) = db::run(&state.pool, move |conn| {
        let (a, b) = am::get_scoped(conn, &u, id)?;
        let attendance = am::attendance(conn, id)?;
        let links = am::links(conn, id)?;
        let photos = super::photos::models::photos(conn, id)?;
        let pairing = match a.pairing_id {
            Some(p) => Some(pairing_models::pairing(conn, b.id, p)?),
            None => None,
        };
        Ok((a, b, attendance, links, photos, pairing))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ShowPage {
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        attendance,
        grids,
        issues,
        photos: photos.into_iter().map(|p| p.id).collect(),
        pairing: pairing.map(|p| (p.pairing.id, p.label())),
        branch_id: b.id,
        branch_name: b.name,
        a,
        ctx,
    })
}

/// GET /party/activities
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = list::page(&state.pool, &user, &q, LIST, |conn, u, _, _| {
        let units = crate::org::models::unit_options(conn, u, false)?;
        Ok((units, branch_models::list(conn, u, &Default::default())?))
    })
    .await?;
    let (units, branches) = page.more;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ListPage {
        kinds: kind_choices(&ctx),
        rows: page.rows.iter().map(|r| ActivityRow::of(&ctx, r)).collect(),
        units: units
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect(),
        branches: branches
            .into_iter()
            .map(|b| Choice::new(b.id, b.name))
            .collect(),
        pager: page.pager,
        errors: page.errors,
        q,
        ctx,
    })
}

/// GET /party/activities/export.xlsx — the list with its filters, in scope.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (rows, ()) = list::all(
        &state.pool,
        &user,
        q.into_inner(),
        LIST,
        |_, _, _, _| Ok(()),
    )
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let out = export_rows(&ctx, &rows);
    crate::web::xlsx::respond(
        &ctx,
        "party-activities.xlsx",
        "activities",
        &EXPORT_HEADERS,
        &out,
    )
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
        am::form_data(conn, b, &numbers, None)
    })
    .await?;
    domain::require_edit(user, &d.b.scope_path, d.b.secretary_user_id)?;
    Ok(d)
}

fn form_page(
    ctx: Ctx,
    state: &AppState,
    form: ActivityForm,
    errors: ActivityErrors,
    d: &FormData,
    activity: Option<i32>,
) -> FormPage {
    let mib = state.settings.upload_max_bytes / (1024 * 1024);
    FormPage::new(ctx, form, errors, d, activity, mib)
}

/// The new form's query: a draft to bring back, or a new record's kind and pairing (the pairing
/// page's "record a visit").
#[derive(Deserialize)]
pub struct NewQuery {
    #[serde(flatten)]
    draft: DraftQuery,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    pairing: Option<String>,
}

/// GET /party/branches/{id}/activities/new — every active member present to begin with.
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let draft: Option<ActivityForm> =
        edit::restored(&state.pool, &session, DRAFT_KEY, &q.draft).await?;
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
            .filter(|m| m.active)
            .map(|m| (m.id, AttendanceInput::present()))
            .collect(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    });
    let ctx = Ctx::build(&req, Some(user));
    let mut p = form_page(ctx, &state, form, ActivityErrors::default(), &d, None);
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
        .map_err(|key| photos::message(ctx, key, state.settings.upload_max_bytes)))
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
    let next = edit::draft_return(&format!("/party/branches/{branch_id}/activities/new"));
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let d = load_branch(&state, &user, branch_id, form.issue_numbers()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let parsed = form.parse(&d, state.today());
    let prepared = prepare_photos(&state, &parts, &ctx).await?;
    let (a, prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().map(|e| *e).unwrap_or_default();
            let mut p = form_page(ctx, &state, form, errors, &d, None);
            p.photo_error = prepared.err();
            return edit::invalid(&p);
        }
    };
    let keys = photos::store(&state.uploads, Owner::PartyActivity, prepared).await?;
    let after = labelled_json(&labelled(&ctx, &form, &d));
    let (actor, uid, b) = (user.actor(), user.id, d.b);
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let now = db::now();
        let id = am::insert(conn, &b, &ActivityFields::of(&a), uid, now)?;
        am::set_children(conn, id, &a)?;
        super::photos::models::add_photos(conn, id, &keys, uid, now)?;
        am::refresh_last_activity(conn, b.id)?;
        let name = format!("{} · {} {}", b.name, a.day, a.title);
        crate::audit::created(conn, &actor, ENTITY, id, &name, &after, &b.scope_path)?;
        Ok(format!("/party/activities/{id}"))
    })
    .await
}

/// A saved activity the user may edit, as a form, with the form's data.
async fn load_saved(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    numbers: Vec<String>,
) -> AppResult<(am::Activity, ActivityForm, FormData)> {
    let u = user.clone();
    let (a, saved, d) = db::run(&state.pool, move |conn| {
        let (a, b) = am::get_scoped(conn, &u, id)?;
        let saved = am::saved_form(conn, &a)?;
        let mut numbers = numbers;
        numbers.extend(saved.issue_numbers());
        let d = am::form_data(conn, b, &numbers, a.pairing_id)?;
        Ok((a, saved, d))
    })
    .await?;
    domain::require_edit(user, &d.b.scope_path, d.b.secretary_user_id)?;
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
    let draft: Option<ActivityForm> = edit::restored(&state.pool, &session, DRAFT_KEY, &q).await?;
    let numbers = draft
        .as_ref()
        .map(|f| f.issue_numbers())
        .unwrap_or_default();
    let (_, saved, d) = load_saved(&state, &user, id, numbers).await?;
    let restored = draft.is_some();
    let ctx = Ctx::build(&req, Some(user));
    let form = draft.unwrap_or(saved);
    let mut p = form_page(ctx, &state, form, ActivityErrors::default(), &d, Some(id));
    p.restored = restored;
    render_ok(&p)
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
    let next = edit::draft_return(&format!("/party/activities/{id}/edit"));
    let user = drafts::poster(&req, &state.pool, &session, DRAFT_KEY, &form, next).await?;
    let (a, saved, d) = load_saved(&state, &user, id, form.issue_numbers()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    if form.seen_version() != a.version {
        return stale(ctx, (&state, &session), form, &d, (saved, a.version), id);
    }
    let parsed = form.parse(&d, state.today());
    let prepared = prepare_photos(&state, &parts, &ctx).await?;
    let (parsed, prepared) = match (parsed, prepared) {
        (Ok(a), Ok(p)) => (a, p),
        (parsed, prepared) => {
            let errors = parsed.err().map(|e| *e).unwrap_or_default();
            let mut p = form_page(ctx, &state, form, errors, &d, Some(id));
            p.photo_error = prepared.err();
            return edit::invalid(&p);
        }
    };
    let keys = photos::store(&state.uploads, Owner::PartyActivity, prepared).await?;
    let before = labelled_json(&labelled(&ctx, &saved, &d));
    let after = labelled_json(&labelled(&ctx, &form, &d));
    let (u, seen, b) = (user.clone(), a.version, d.b.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let now = db::now();
        if !am::update(conn, id, seen, &ActivityFields::of(&parsed), now)? {
            let (current, _) = am::get_scoped(conn, &u, id)?;
            let theirs = am::saved_form(conn, &current)?;
            return Ok(Saved::Stale(Box::new((theirs, current.version))));
        }
        am::set_children(conn, id, &parsed)?;
        super::photos::models::add_photos(conn, id, &keys, u.id, now)?;
        am::refresh_last_activity(conn, b.id)?;
        crate::audit::updated(
            conn,
            &u.actor(),
            ENTITY,
            id,
            &format!("{} · {} {}", b.name, parsed.day, parsed.title),
            &before,
            &after,
            &b.scope_path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    match outcome {
        Saved::Done => {
            flash(&session, "ok", "flash.saved", &[]);
            Ok(see_other(&format!("/party/activities/{id}")))
        }
        Saved::Refused(errors) => {
            let errors = ActivityErrors {
                form: errors,
                ..Default::default()
            };
            edit::invalid(&form_page(ctx, &state, form, errors, &d, Some(id)))
        }
        Saved::Stale(latest) => stale(ctx, (&state, &session), form, &d, *latest, id),
    }
}

/// 409: someone saved the activity since this form was opened. Both versions are shown; the
/// typed form is kept with the current version, so submitting again saves it deliberately
/// (`edit::conflict`: when nothing differs, it was saved already).
fn stale(
    ctx: Ctx,
    (state, session): (&AppState, &Session),
    mut form: ActivityForm,
    d: &FormData,
    (theirs, latest_version): (ActivityForm, i32),
    id: i32,
) -> AppResult<HttpResponse> {
    let (mine, theirs) = (labelled(&ctx, &form, d), labelled(&ctx, &theirs, d));
    let rows = edit::stale(&mut form, latest_version, &mine, &theirs);
    let mut p = form_page(ctx, state, form, ActivityErrors::default(), d, Some(id));
    p.conflicts = rows;
    let done = format!("/party/activities/{id}");
    edit::conflict(session, &p, ("flash.saved", &done))
}
