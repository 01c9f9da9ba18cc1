//! Changing a pairing (结对帮扶): editing it (member, household, address, situation, since) and
//! ending it (the day and why; the record and its visits stay). Both are for whoever keeps the
//! branch's record (`domain::may_edit`; others 403, outside the scope 404), check the CSRF
//! token, bring bad input back with the messages beside the fields and everything typed, check
//! the version (a stale edit is a 409 with both versions, as for branches and activities), and
//! write the audit row in the change's transaction. Ending twice changes nothing the second time.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::models::{self as branch_models, Branch};
use super::pairing_data::{self, EndForm, PairingForm, PairingRow, audit_view};
use super::pairings::{self, MemberRow, form_page, member_choices, require_edit};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{FormErrors, conflicts, version};
use crate::web::{AppState, render_ok, render_status, see_other};

/// The branch (in scope, kept by the user), its members and the pairing.
async fn editable(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
    pid: i32,
) -> AppResult<(Branch, Vec<MemberRow>, PairingRow)> {
    let u = user.clone();
    let (b, members, p) = db::run(&state.pool, move |conn| {
        let b = branch_models::get_scoped(conn, &u, id)?;
        let members = super::activity_models::member_rows(conn, id)?;
        let (p, _) = pairing_data::pairing(conn, id, pid)?;
        Ok((b, members, p))
    })
    .await?;
    require_edit(user, &b)?;
    let members = members.into_iter().map(|m| (m.0, m.1, m.2)).collect();
    Ok((b, members, p))
}

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
    let (b, members, p) = editable(&state, &user, id, pid).await?;
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        &b,
        &member_choices(&members, Some(p.member_id)),
        PairingForm::from_row(&p),
        FormErrors::new(),
        Some(pid),
    ))
}

/// POST /party/branches/{id}/pairings/{pairing}/edit
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(i32, i32)>,
    form: CsrfForm<PairingForm>,
) -> AppResult<HttpResponse> {
    let (id, pid) = path.into_inner();
    let (b, members, saved) = editable(&state, &user, id, pid).await?;
    let form = form.0;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let choices = member_choices(&members, Some(saved.member_id));
    let ids: Vec<i32> = choices.iter().map(|m| m.0).collect();
    let parsed = match form.parse(&ids, state.today(), saved.ended_on) {
        Ok(p) => p,
        Err(e) => {
            let p = form_page(ctx, &b, &choices, form, e, Some(pid));
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    // Every member by name, so the audit and the 409 table read names, not ids.
    let names: Vec<(i32, String)> = members.iter().map(|m| (m.0, m.1.clone())).collect();
    let after = form.labelled(&names);
    let (u, seen, bb, nn) = (
        user.clone(),
        version(&form.version),
        b.clone(),
        names.clone(),
    );
    let stale = db::run_write(&state.pool, move |conn| {
        let (current, _) = pairing_data::pairing(conn, bb.id, pid)?;
        if current.version != seen
            || !pairing_data::update_pairing(conn, bb.id, pid, seen, &parsed, db::now())?
        {
            return Ok(Some(current));
        }
        let before = PairingForm::from_row(&current).labelled(&nn);
        crate::audit::updated(
            conn,
            &u.actor(),
            "party_pairing",
            pid,
            &format!("{} · {}", bb.name, parsed.household),
            &audit_view(&before),
            &audit_view(&after),
            &bb.scope_path,
        )?;
        Ok(None)
    })
    .await?;
    let Some(current) = stale else {
        flash(&session, "ok", "flash.saved", &[]);
        return Ok(see_other(&page_of(pid, &b)));
    };
    // Someone saved first: both versions, the typed form kept with the current version, so a
    // second submit overwrites deliberately.
    let rows = conflicts(
        &form.labelled(&names),
        &PairingForm::from_row(&current).labelled(&names),
    );
    let mut form = form;
    form.version = current.version.to_string();
    let choices = member_choices(&members, Some(current.member_id));
    let mut p = form_page(ctx, &b, &choices, form, FormErrors::new(), Some(pid));
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
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
    let (b, _, saved) = editable(&state, &user, id, pid).await?;
    let mut form = form.0;
    if !saved.active {
        flash(&session, "warn", "party.pairing.already_ended", &[]);
        return Ok(see_other(&page_of(pid, &b)));
    }
    let (day, note) = match form.parse(saved.since, state.today()) {
        Ok(v) => v,
        Err(e) => {
            let l = pairings::load(&state, &user, id, pid).await?;
            let ctx = Ctx::build(&req, Some(user.clone()));
            let p = pairings::page(ctx, &user, l, form, e);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (u, seen, bb) = (user.clone(), version(&form.version), b.clone());
    let outcome = db::run_write(&state.pool, move |conn| {
        let (current, member) = pairing_data::pairing(conn, bb.id, pid)?;
        if !current.active {
            return Ok(Ended::Already);
        }
        if current.version != seen
            || !pairing_data::end_pairing(conn, bb.id, pid, seen, (day, &note), db::now())?
        {
            return Ok(Ended::Stale);
        }
        crate::audit::record(
            conn,
            &u.actor(),
            "pairing_end",
            "party_pairing",
            Some(pid),
            &format!("{} · {member} · {}", bb.name, current.household),
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
            let l = pairings::load(&state, &user, id, pid).await?;
            form.version = l.p.version.to_string();
            let ctx = Ctx::build(&req, Some(user.clone()));
            let mut p = pairings::page(ctx, &user, l, form, FormErrors::new());
            p.stale = true;
            render_status(&p, StatusCode::CONFLICT)
        }
    }
}
