//! Target handlers: the form and adding a target to a campaign.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::TargetForm;
use super::pages::TargetPage;
use crate::auth::CurrentUser;
use crate::campaigns::domain;
use crate::campaigns::models::{self, Campaign, TargetFields};
use crate::campaigns::pages::unit_choices;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's name for a target.
const ENTITY: &str = "campaign_target";

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Campaign> {
    let u = user.clone();
    let c = db::run(&state.pool, move |conn| models::get_scoped(conn, &u, id)).await?;
    if !domain::may_keep(user, &c.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok(c)
}

fn page(ctx: Ctx, c: &Campaign, form: TargetForm, errors: FormErrors) -> TargetPage {
    TargetPage {
        units: unit_choices(&ctx),
        campaign_id: c.id,
        campaign: c.name.clone(),
        ctx,
        form,
        errors,
    }
}

/// GET /campaigns/{id}/targets/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let c = load(&state, &user, path.into_inner()).await?;
    let form = TargetForm {
        unit_of_count: "places".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&page(
        Ctx::build(&req, Some(user)),
        &c,
        form,
        FormErrors::new(),
    ))
}

/// POST /campaigns/{id}/targets
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<TargetForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let c = load(&state, &user, id).await?;
    let invalid = |form, e| edit::invalid(&page(Ctx::build(&req, Some(user.clone())), &c, form, e));
    let (item, unit_of_count, target) = match form.parse() {
        Ok(p) => p,
        Err(e) => return invalid(form, e),
    };
    let (i, u) = (item.clone(), unit_of_count.clone());
    if db::run(&state.pool, move |conn| {
        models::target_exists(conn, id, &i, &u)
    })
    .await?
    {
        let mut e = FormErrors::new();
        e.add("item", "campaigns.target_exists");
        return invalid(form, e);
    }
    let fields = TargetFields {
        campaign_id: id,
        item,
        unit_of_count,
        target,
    };
    let actor = user.actor();
    let (name, scope) = (
        format!("{} · {}", c.name, fields.item),
        c.scope_path.clone(),
    );
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let tid = models::insert_target(conn, &fields, db::now())?;
        crate::audit::created(conn, &actor, ENTITY, tid, &name, &fields, &scope)?;
        Ok(format!("/campaigns/{id}"))
    })
    .await
}
