//! Inspection handlers: the form (new), recording it (once per form token), its page.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::VisitForm;
use super::models;
use super::pages::{FindingRow, FormPage, ResultRow, ShowPage};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::inspections::domain;
use crate::inspections::rounds::models::{self as rounds, Loaded};
use crate::issues::models::CategoryRow;
use crate::issues::pages::CategoryGroup;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's name for an inspection.
pub const ENTITY: &str = "inspection_visit";

/// The round in scope with the categories, if the user may inspect under it (403 otherwise).
async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Loaded, Vec<CategoryRow>)> {
    let u = user.clone();
    let (l, cats) = db::run(&state.pool, move |conn| {
        Ok((
            rounds::load(conn, &u, id)?,
            crate::issues::models::categories(conn)?,
        ))
    })
    .await?;
    let ids: Vec<i32> = l.inspectors.iter().map(|i| i.user_id).collect();
    if !domain::may_inspect(user, &l.round.scope_path, &ids) {
        return Err(AppError::Forbidden);
    }
    Ok((l, cats))
}

/// GET /inspections/rounds/{id}/visits/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (l, cats) = load(&state, &user, path.into_inner()).await?;
    let form = VisitForm {
        day: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let groups = CategoryGroup::all(&cats, false);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, l, form, FormErrors::new(), groups))
}

/// POST /inspections/rounds/{id}/visits
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let (l, cats) = load(&state, &user, id).await?;
    let form = VisitForm::from_pairs(&form.0);
    let new = match form.parse(&l, &cats, state.today()) {
        Ok(v) => v,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            let groups = CategoryGroup::all(&cats, false);
            return edit::invalid(&FormPage::new(ctx, l, form, e, groups));
        }
    };
    let (u, scope) = (user.clone(), l.round.scope_path.clone());
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let now = db::now();
        let missed = match &new.finding {
            Some(f) => domain::missed(models::reported_before(
                conn,
                &u,
                &new.unit_path,
                f.category_id,
                now,
            )?),
            None => false,
        };
        let vid = models::insert(conn, id, &new, u.id, missed, now)?;
        let summary = format!("{} {}", new.unit_name, new.day);
        crate::audit::created(conn, &u.actor(), ENTITY, vid, &summary, &new, &scope)?;
        Ok(format!("/inspections/visits/{vid}"))
    })
    .await
}

/// GET /inspections/visits/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (l, v, results, findings, cats, inspector) = db::run(&state.pool, move |conn| {
        let v = models::get(conn, id)?;
        let l = rounds::load(conn, &u, v.round_id)?;
        let results = models::results_of(conn, id)?;
        let findings = models::findings_of(conn, id)?;
        let cats = crate::issues::models::categories(conn)?;
        let inspector = crate::issues::models::user_names(conn, &[v.inspector_id])?;
        Ok((l, v, results, findings, cats, inspector))
    })
    .await?;
    let may_issue = crate::inspections::notices::domain::may_issue(&user, &l.round.scope_path);
    let ctx = Ctx::build(&req, Some(user));
    let results = l
        .items
        .iter()
        .map(|i| {
            let code = results
                .iter()
                .find(|(item, _)| *item == i.id)
                .map(|(_, r)| r.clone())
                .unwrap_or_default();
            ResultRow {
                position: i.position,
                item: i.item.clone(),
                standard: i.standard.clone(),
                result: ctx.t(format!("inspect.result_{code}")),
                code,
            }
        })
        .collect();
    let findings = findings
        .into_iter()
        .map(|f| FindingRow {
            category: cats
                .iter()
                .find(|c| c.id == f.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            severity: ctx.t(format!("inspect.severity_{}", f.severity)),
            f,
        })
        .collect();
    render_ok(&ShowPage {
        may_issue,
        inspector: inspector
            .into_iter()
            .map(|(_, n)| n)
            .next()
            .unwrap_or_default(),
        ctx,
        l,
        v,
        results,
        findings,
    })
}
