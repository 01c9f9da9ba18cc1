//! Milestone handlers: the edit form and saving it.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{MilestoneForm, labelled};
use super::models::{self, Milestone};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::projects::domain;
use crate::projects::models::{self as project_models, Project};
use crate::projects::pages::MilestonePage;
use crate::web::AppState;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;

/// The audit log's name for a milestone.
const ENTITY: &str = "project_milestone";

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    mid: i32,
) -> AppResult<(Project, Milestone)> {
    let u = user.clone();
    let (p, m) = db::run(&state.pool, move |conn| {
        let p = project_models::get_scoped(conn, &u, id)?;
        Ok((p, models::get(conn, id, mid)?))
    })
    .await?;
    if !domain::may_edit(user, &p.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((p, m))
}

/// GET /projects/{id}/milestones/{mid}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, mid) = path.into_inner();
    let (p, m) = load(&state, &user, id, mid).await?;
    let form = MilestoneForm::from_milestone(&m);
    let ctx = Ctx::build(&req, Some(user));
    crate::web::render_ok(&MilestonePage::new(ctx, &p, &m, form, FormErrors::new()))
}

/// POST /projects/{id}/milestones/{mid}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<MilestoneForm>,
) -> AppResult<HttpResponse> {
    let (id, mid) = path.into_inner();
    let mut form = form.0;
    let (p, m) = load(&state, &user, id, mid).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(state.today()) {
        Ok(f) => f,
        Err(e) => return edit::invalid(&MilestonePage::new(ctx(), &p, &m, form, e)),
    };
    let before = labelled_json(&labelled(&MilestoneForm::from_milestone(&m)));
    let after = labelled_json(&labelled(&form));
    let (u, seen, scope) = (user.clone(), form.seen_version(), p.scope_path.clone());
    let name = format!("{} · {}", p.name, m.stage);
    let saved = db::run_write(&state.pool, move |conn| {
        if !models::update(conn, mid, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::get(conn, id, mid)?));
        }
        crate::audit::updated(
            conn,
            &u.actor(),
            ENTITY,
            mid,
            &name,
            &before,
            &after,
            &scope,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/projects/{id}#milestones");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&MilestoneForm::from_milestone(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut page = MilestonePage::new(ctx(), &p, latest.as_ref().unwrap_or(&m), form, e);
        page.conflicts = conflicts.unwrap_or_default();
        page
    })
}
