//! Pairing handlers: the branch's pairings and their export, a pairing's page, the pairing form
//! (new and edit) and ending one.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::forms::{EndForm, PairingForm, audit_view, member_choices};
use super::models::{self, PairingRow};
use super::pages::{FormPage, ListPage, Loaded, ShowPage};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::party::activities::models::{self as activity_models, Filter};
use crate::party::branches::models::{self as branch_models, Branch};
use crate::party::domain;
use crate::party::members::models::{self as member_models, MemberChoice};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
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
        let rows = models::pairings(conn, id)?;
        Ok((b, rows))
    })
    .await?;
    render_ok(&ListPage {
        may_edit: domain::may_edit(&user, &b.scope_path, b.secretary_user_id),
        ctx: Ctx::build(&req, Some(user)),
        branch_id: b.id,
        branch_name: b.name,
        rows,
    })
}

/// The branch if the user keeps its record (outside the scope 404, otherwise 403), with its
/// members.
async fn editable(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Branch, Vec<MemberChoice>)> {
    let u = user.clone();
    let (b, members) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        Ok((b, member_models::choices(conn, id)?))
    })
    .await?;
    domain::require_edit(user, &b.scope_path, b.secretary_user_id)?;
    Ok((b, members))
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
    let ctx = Ctx::build(&req, Some(user));
    let members = member_choices(&members, None);
    render_ok(&FormPage::new(
        ctx,
        &b,
        &members,
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
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&FormPage::new(ctx, &b, &members, form, e, None));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert_pairing(conn, &b, &p, db::now())?;
        let name = format!("{} · {}", b.name, p.household);
        // Households in need are residents: the audit keeps who and since when, not where.
        let view = serde_json::json!({
            "member_id": p.member_id,
            "household": p.household,
            "since": p.since,
        });
        crate::audit::created(conn, &actor, ENTITY, id, &name, &view, &b.scope_path)?;
        Ok(page_of(id, &b))
    })
    .await
}

async fn load(state: &AppState, user: &CurrentUser, id: i32, pid: i32) -> AppResult<Loaded> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let p = models::pairing(conn, id, pid)?;
        let f = Filter {
            branch_id: Some(id),
            pairing_id: Some(pid),
            ..Default::default()
        };
        let visits = activity_models::list(conn, &u, &f, 0, 1000)?;
        Ok(Loaded {
            b,
            p: p.pairing,
            member: p.member,
            visits,
        })
    })
    .await
}

/// The pairing's page with the end form as typed.
fn show_page(
    req: &HttpRequest,
    user: &CurrentUser,
    l: Loaded,
    end: EndForm,
    errors: FormErrors,
) -> ShowPage {
    let may_edit = domain::may_edit(user, &l.b.scope_path, l.b.secretary_user_id);
    ShowPage::new(
        Ctx::build(req, Some(user.clone())),
        may_edit,
        l,
        end,
        errors,
    )
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
    render_ok(&show_page(&req, &user, l, end, FormErrors::new()))
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
        models::pairings(conn, b.id)
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|l| {
            vec![
                l.member,
                l.p.household,
                ctx.date(&l.p.since),
                if l.p.active {
                    ctx.t("party.pairing.active")
                } else {
                    format!(
                        "{} {}",
                        ctx.t("party.pairing.ended"),
                        ctx.date_opt(&l.p.ended_on)
                    )
                },
                l.visits.to_string(),
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

/// The branch (in scope, kept by the user), its members and the pairing.
async fn editable_pairing(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    pid: i32,
) -> AppResult<(Branch, Vec<MemberChoice>, PairingRow)> {
    let u = user.clone();
    let (b, members, p) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let members = member_models::choices(conn, id)?;
        let p = models::pairing(conn, id, pid)?.pairing;
        Ok((b, members, p))
    })
    .await?;
    domain::require_edit(user, &b.scope_path, b.secretary_user_id)?;
    Ok((b, members, p))
}

/// The audit log's name for a pairing.
const ENTITY: &str = "party_pairing";

/// The pairing's page.
fn page_of(p: i32, b: &Branch) -> String {
    format!("/party/branches/{}/pairings/{p}", b.id)
}

/// GET /party/branches/{id}/pairings/{pairing}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<(i32, i32)>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let (b, members, p) = editable_pairing(&state, &user, id, pid).await?;
    let members = member_choices(&members, Some(p.member_id));
    let form = PairingForm::from_row(&p);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(
        ctx,
        &b,
        &members,
        form,
        FormErrors::new(),
        Some(pid),
    ))
}

/// POST /party/branches/{id}/pairings/{pairing}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<PairingForm>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let (b, members, saved) = editable_pairing(&state, &user, id, pid).await?;
    let mut form = form.0;
    let choices = member_choices(&members, Some(saved.member_id));
    let ids: Vec<i32> = choices.iter().map(|m| m.0).collect();
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let parsed = match form.parse(&ids, state.today(), saved.ended_on) {
        Ok(p) => p,
        Err(e) => return edit::invalid(&FormPage::new(ctx(), &b, &choices, form, e, Some(pid))),
    };
    // Every member by name, so the audit and the 409 table read names, not ids.
    let names: Vec<(i32, String)> = members.iter().map(|m| (m.id, m.name.clone())).collect();
    let after = form.labelled(&names);
    let (u, seen, bb, nn) = (user.clone(), form.seen_version(), b.clone(), names.clone());
    let saved = db::run_write(&state.pool, move |conn| {
        let current = models::pairing(conn, bb.id, pid)?.pairing;
        if current.version != seen
            || !models::update_pairing(conn, bb.id, pid, seen, &parsed, db::now())?
        {
            return Ok(Saved::Stale(current));
        }
        let before = PairingForm::from_row(&current).labelled(&nn);
        crate::audit::updated(
            conn,
            &u.actor(),
            ENTITY,
            pid,
            &format!("{} · {}", bb.name, parsed.household),
            &audit_view(&before),
            &audit_view(&after),
            &bb.scope_path,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    edit::answer(
        &session,
        saved,
        ("flash.saved", &page_of(pid, &b)),
        |latest, e| {
            let (mut choices, mut conflicts) = (choices, Vec::new());
            if let Some(l) = latest {
                let (mine, theirs) = (
                    form.labelled(&names),
                    PairingForm::from_row(&l).labelled(&names),
                );
                conflicts = edit::stale(&mut form, l.version, &mine, &theirs);
                choices = member_choices(&members, Some(l.member_id));
            }
            let mut p = FormPage::new(ctx(), &b, &choices, form, e, Some(pid));
            p.conflicts = conflicts;
            p
        },
    )
}

enum Ended {
    Done,
    /// Ended already (a second click, or someone else first): nothing changes.
    Already,
    /// Changed since the page was opened.
    Stale,
}

/// POST /party/branches/{id}/pairings/{pairing}/end — the day it ended and an optional note.
pub async fn end(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<EndForm>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let (b, _, saved) = editable_pairing(&state, &user, id, pid).await?;
    let mut form = form.0;
    if !saved.active {
        flash(&session, "warn", "party.pairing.already_ended", &[]);
        return Ok(see_other(&page_of(pid, &b)));
    }
    let (day, note) = match form.parse(saved.since, state.today()) {
        Ok(v) => v,
        Err(e) => {
            let l = load(&state, &user, id, pid).await?;
            let p = show_page(&req, &user, l, form, e);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (u, seen, bb) = (user.clone(), form.seen_version(), b.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let current = models::pairing(conn, bb.id, pid)?;
        if !current.pairing.active {
            return Ok(Ended::Already);
        }
        if current.pairing.version != seen
            || !models::end_pairing(conn, bb.id, pid, seen, (day, &note), db::now())?
        {
            return Ok(Ended::Stale);
        }
        crate::audit::record(
            conn,
            &u.actor(),
            "pairing_end",
            "party_pairing",
            Some(pid),
            &format!(
                "{} · {} · {}",
                bb.name, current.member, current.pairing.household
            ),
            Some(&serde_json::json!({ "active": true })),
            Some(&serde_json::json!({
                "active": false,
                "ended_on": day,
                "end_note": note,
            })),
            &bb.scope_path,
        )?;
        Ok(Ended::Done)
    })
    .await?;
    match outcome {
        Ended::Done => {
            flash(&session, "ok", "party.pairing.ended_flash", &[]);
            Ok(see_other(&page_of(pid, &b)))
        }
        Ended::Already => {
            flash(&session, "warn", "party.pairing.already_ended", &[]);
            Ok(see_other(&page_of(pid, &b)))
        }
        Ended::Stale => {
            // The page shows the pairing as saved now; the end form keeps what was typed with
            // the current version, so ending it again is a deliberate choice.
            let l = load(&state, &user, id, pid).await?;
            form.set_version(l.p.version);
            let mut p = show_page(&req, &user, l, form, FormErrors::new());
            p.stale = true;
            render_status(&p, StatusCode::CONFLICT)
        }
    }
}
