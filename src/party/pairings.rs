//! Pairings (结对帮扶): a member of the branch paired with a household in need; its page
//! collects the visits (activities of kind `pairing` that name it).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::activity_models::{self as am, Filter};
use super::activity_pages::{PairingFormPage, PairingPage, PairingsPage};
use super::domain;
use super::models::{self as branch_models, Branch};
use super::pairing_data::{self, PairingForm};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors};
use crate::web::{AppState, render_ok, render_status, see_other};

/// GET /party/branches/{id}/pairings
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (b, rows) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let rows = pairing_data::pairings(conn, id)?;
        Ok((b, rows))
    })
    .await?;
    render_ok(&PairingsPage {
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        ctx: Ctx::build(&req, Some(user)),
        branch_id: b.id,
        branch_name: b.name,
        rows,
    })
}

/// The branch if the user keeps its record, with its active members (id, name).
async fn editable(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Branch, Vec<(i32, String)>)> {
    let u = user.clone();
    let (b, members) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        Ok((b, am::member_rows(conn, id)?))
    })
    .await?;
    if !domain::may_edit(user, &b.scope_path, b.secretary_user_id) {
        return Err(AppError::Forbidden);
    }
    let members = members
        .into_iter()
        .filter(|m| m.2)
        .map(|m| (m.0, m.1))
        .collect();
    Ok((b, members))
}

fn form_page(
    ctx: Ctx,
    b: &Branch,
    members: &[(i32, String)],
    form: PairingForm,
    errors: FormErrors,
) -> PairingFormPage {
    PairingFormPage {
        members: members.iter().map(|m| Choice::new(m.0, &m.1)).collect(),
        branch_id: b.id,
        branch_name: b.name.clone(),
        ctx,
        form,
        errors,
    }
}

/// GET /party/branches/{id}/pairings/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (b, members) = editable(&state, &user, path.into_inner()).await?;
    let form = PairingForm {
        since: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        &b,
        &members,
        form,
        FormErrors::new(),
    ))
}

/// POST /party/branches/{id}/pairings
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<PairingForm>,
) -> AppResult<HttpResponse> {
    let (b, members) = editable(&state, &user, path.into_inner()).await?;
    let form = form.0;
    let ids: Vec<i32> = members.iter().map(|m| m.0).collect();
    let p = match form.parse(&ids, state.today()) {
        Ok(p) => p,
        Err(e) => {
            let page = form_page(Ctx::build(&req, Some(user)), &b, &members, form, e);
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let u = user.clone();
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let id = pairing_data::insert_pairing(conn, &b, &p, db::now())?;
            // Households in need are residents: the audit keeps who and since when, not where.
            crate::audit::created(
                conn,
                &u.actor(),
                "party_pairing",
                id,
                &format!("{} · {}", b.name, p.household),
                &serde_json::json!({
                    "member_id": p.member_id,
                    "household": p.household,
                    "since": p.since,
                }),
                &b.scope_path,
            )?;
            Ok(format!("/party/branches/{}/pairings/{id}", b.id))
        },
    )
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

/// GET /party/branches/{id}/pairings/{pairing}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let u = user.clone();
    let (b, (p, member), visits) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let p = pairing_data::pairing(conn, id, pid)?;
        let f = Filter {
            branch_id: Some(id),
            pairing_id: Some(pid),
            ..Default::default()
        };
        let visits = am::list(conn, &u, &f, 0, 1000)?;
        Ok((b, p, visits))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&PairingPage {
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        visits: visits
            .iter()
            .map(|r| super::activities::row_view(&ctx, r))
            .collect(),
        branch_id: b.id,
        branch_name: b.name,
        p,
        member,
        ctx,
    })
}
