//! Pairings (结对帮扶): a member of the branch paired with a household in need; its page
//! collects the visits (activities of kind `pairing` that name it) and, while it lasts, offers
//! to end it. Editing and ending are in `pairing_edit.rs`.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::activity_models::{self as am, Filter};
use super::activity_pages::{PairingFormPage, PairingPage, PairingsPage};
use super::domain;
use super::models::{self as branch_models, Branch};
use super::pairing_data::{self, EndForm, PairingForm, PairingRow};
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

/// A member of the branch: id, name, active.
pub(super) type MemberRow = (i32, String, bool);

/// The branch if the user keeps its record (outside the scope 404, otherwise 403), with its
/// members.
async fn editable(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Branch, Vec<MemberRow>)> {
    let u = user.clone();
    let (b, members) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        Ok((b, am::member_rows(conn, id)?))
    })
    .await?;
    require_edit(user, &b)?;
    Ok((b, members.into_iter().map(|m| (m.0, m.1, m.2)).collect()))
}

/// 403 unless the user keeps the branch's record (`domain::may_edit`).
pub(super) fn require_edit(user: &CurrentUser, b: &Branch) -> AppResult<()> {
    if domain::may_edit(user, &b.scope_path, b.secretary_user_id) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The members a pairing may name: the active ones, and `keep` (the member an edited pairing
/// already names, who may have left since).
pub(super) fn member_choices(members: &[MemberRow], keep: Option<i32>) -> Vec<(i32, String)> {
    members
        .iter()
        .filter(|m| m.2 || Some(m.0) == keep)
        .map(|m| (m.0, m.1.clone()))
        .collect()
}

/// The pairing form, new (`pairing` None) or an edit.
pub(super) fn form_page(
    ctx: Ctx,
    b: &Branch,
    members: &[(i32, String)],
    form: PairingForm,
    errors: FormErrors,
    pairing: Option<i32>,
) -> PairingFormPage {
    PairingFormPage {
        members: members.iter().map(|m| Choice::new(m.0, &m.1)).collect(),
        action: match pairing {
            Some(p) => format!("/party/branches/{}/pairings/{p}/edit", b.id),
            None => format!("/party/branches/{}/pairings", b.id),
        },
        pairing_id: pairing,
        conflicts: Vec::new(),
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
        &member_choices(&members, None),
        form,
        FormErrors::new(),
        None,
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
    let members = member_choices(&members, None);
    let form = form.0;
    let ids: Vec<i32> = members.iter().map(|m| m.0).collect();
    let p = match form.parse(&ids, state.today(), None) {
        Ok(p) => p,
        Err(e) => {
            let page = form_page(Ctx::build(&req, Some(user)), &b, &members, form, e, None);
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

/// A pairing in the user's scope: its branch, the row, the member's name and its visits.
pub(super) struct Loaded {
    pub b: Branch,
    pub p: PairingRow,
    pub member: String,
    pub visits: Vec<am::ListRow>,
}

pub(super) async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    pid: i32,
) -> AppResult<Loaded> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let (p, member) = pairing_data::pairing(conn, id, pid)?;
        let f = Filter {
            branch_id: Some(id),
            pairing_id: Some(pid),
            ..Default::default()
        };
        let visits = am::list(conn, &u, &f, 0, 1000)?;
        Ok(Loaded {
            b,
            p,
            member,
            visits,
        })
    })
    .await
}

/// The pairing's page; `end` is the end form as typed (or its defaults).
pub(super) fn page(
    ctx: Ctx,
    user: &CurrentUser,
    l: Loaded,
    end: EndForm,
    end_errors: FormErrors,
) -> PairingPage {
    PairingPage {
        may_edit: domain::may_edit(user, &l.b.scope_path, l.b.secretary_user_id),
        visits: l
            .visits
            .iter()
            .map(|r| super::activities::row_view(&ctx, r))
            .collect(),
        branch_id: l.b.id,
        branch_name: l.b.name,
        p: l.p,
        member: l.member,
        end,
        end_errors,
        stale: false,
        ctx,
    }
}

/// GET /party/branches/{id}/pairings/{pairing}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let l = load(&state, &user, id, pid).await?;
    let end = EndForm {
        ended_on: state.today().to_string(),
        end_note: String::new(),
        version: l.p.version.to_string(),
    };
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&page(ctx, &user, l, end, FormErrors::new()))
}

/// GET /party/branches/{id}/pairings/export.xlsx — the branch's pairings with their visit counts
/// (the households' addresses stay on the pairing's page).
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (u, id) = (user.clone(), path.into_inner());
    let rows = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        pairing_data::pairings(conn, b.id)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(p, member, visits)| {
            vec![
                member,
                p.household,
                ctx.date(&p.since),
                if p.active {
                    ctx.t("party.pairing.active")
                } else {
                    format!(
                        "{} {}",
                        ctx.t("party.pairing.ended"),
                        ctx.date_opt(&p.ended_on)
                    )
                },
                visits.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "party-pairings.xlsx",
        "pairings",
        &[
            "party.pairing.member",
            "party.pairing.household",
            "party.pairing.since",
            "party.pairing.status",
            "party.pairing.visits",
        ],
        &rows,
    )
}
