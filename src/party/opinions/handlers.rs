//! Opinion handlers: the list and its export, the new-opinion form, an opinion's page, the
//! answer, turning an opinion into an issue.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::Serialize;

use super::domain::{may_create, may_enter};
use super::forms::{AnswerForm, IssueForm, ListQuery, OpinionForm};
use super::models;
use super::pages::{FormPage, ListPage, Loaded, RowView, ShowPage, reveals, state_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::workflow::{self, Clock, Report};
use crate::org::models::UnitGroup;
use crate::party::branches::models::{BranchUnit, branch_units};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::edit::{self, Saved, VersionedForm};
use crate::web::forms::FormErrors;
use crate::web::idempotency::{self, Once};
use crate::web::list;
use crate::web::privacy::masked_contact;
use crate::web::{AppState, render_ok, render_status, see_other};

/// The list: its page and how its rows are read (the export reads the same).
const LIST: list::At<models::Filter, models::Opinion> = list::At {
    path: "/party/opinions",
    rows: models::list,
    count: models::count,
};

/// GET /party/opinions
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let page = list::page(&state.pool, &user, &q, LIST, |conn, u, _, rows| {
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|r| r.unit_id))?;
        let units = crate::org::models::unit_options(conn, u, false)?;
        Ok((names, units))
    })
    .await?;
    let (names, units) = page.more;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ListPage {
        rows: page
            .rows
            .iter()
            .map(|o| RowView::of(&ctx, o, &names))
            .collect(),
        states: state_choices(&ctx),
        may_create: may_create(&user),
        units: units
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect(),
        pager: page.pager,
        errors: page.errors,
        q,
        ctx,
    })
}

/// GET /party/opinions/export.xlsx — the list with its filters, the contact masked.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (rows, names) = list::all(
        &state.pool,
        &user,
        q.into_inner(),
        LIST,
        |conn, _, _, rows| crate::issues::models::unit_names(conn, rows.iter().map(|r| r.unit_id)),
    )
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            vec![
                ctx.date(&o.received_on),
                names.get(&o.unit_id).cloned().unwrap_or_default(),
                ctx.t(format!("party.opinion.channel.{}", o.channel)),
                o.content.clone(),
                masked_contact(&o.contact_name, &o.contact_phone),
                ctx.t(format!("party.opinion.state.{}", o.state)),
                o.answer.clone(),
                ctx.dt_opt(&o.answered_at),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "party-opinions.xlsx",
        "opinions",
        &[
            "party.opinion.received_on",
            "party.opinion.unit",
            "party.opinion.channel_label",
            "party.opinion.content",
            "party.opinion.contact",
            "party.opinion.state_label",
            "party.opinion.answer",
            "party.opinion.answered_at",
        ],
        &out,
    )
}

/// The units the user may enter opinions for: streets and communities in scope; a branch
/// secretary their own unit.
fn entry_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<BranchUnit>> {
    Ok(branch_units(conn, user)?
        .into_iter()
        .filter(|u| may_enter(user, &u.path))
        .collect())
}

/// GET /party/opinions/new
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let units = db::run(&state.pool, move |conn| entry_units(conn, &u)).await?;
    let form = OpinionForm {
        unit_id: if units.len() == 1 {
            units[0].id.to_string()
        } else {
            String::new()
        },
        channel: "box".into(),
        received_on: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&FormPage::new(ctx, form, FormErrors::new(), &units))
}

/// What the audit keeps of an opinion: never the contact's phone or name.
#[derive(Serialize)]
struct AuditView<'a> {
    unit_id: i32,
    channel: &'a str,
    received_on: NaiveDate,
    content: &'a str,
    contact_given: bool,
}

/// POST /party/opinions
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<OpinionForm>,
) -> AppResult<HttpResponse> {
    if !may_create(&user) {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let u = user.clone();
    let units = db::run(&state.pool, move |conn| entry_units(conn, &u)).await?;
    let offered: Vec<(i32, String)> = units.iter().map(|u| (u.id, u.path.clone())).collect();
    let fields = match form.parse(&offered, state.today()) {
        Ok(f) => f,
        Err(e) => {
            return edit::invalid(&FormPage::new(
                Ctx::build(&req, Some(user)),
                form,
                e,
                &units,
            ));
        }
    };
    let (actor, uid) = (user.actor(), user.id);
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, uid, db::now())?;
        let name: String = fields.content.chars().take(40).collect();
        let view = AuditView {
            unit_id: fields.unit_id,
            channel: &fields.channel,
            received_on: fields.received_on,
            content: &fields.content,
            contact_given: !fields.contact_name.is_empty() || !fields.contact_phone.is_empty(),
        };
        crate::audit::created(
            conn,
            &actor,
            "party_opinion",
            id,
            &name,
            &view,
            &fields.scope_path,
        )?;
        Ok(format!("/party/opinions/{id}"))
    })
    .await
}

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let o = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, o.unit_id)?.name;
        let answered_by = models::user_name(conn, o.answered_by)?;
        let issue_number = match o.issue_id {
            Some(i) => models::issue_number(conn, i)?,
            None => String::new(),
        };
        let (cats, grids) = if o.issue_id.is_none() && may_enter(&u, &o.scope_path) {
            let grids = crate::org::models::grid_groups(conn, &o.scope_path, false)?;
            (crate::issues::models::categories(conn)?, grids)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Loaded {
            o,
            unit,
            answered_by,
            issue_number,
            cats,
            grids,
        })
    })
    .await
}

/// The opinion's page. When it shows this user the resident's contact in full (they keep the
/// record), the view is audited first (`view_contact`, the contact masked in the entry): no full
/// contact is shown without its row.
async fn page(state: &AppState, ctx: Ctx, user: &CurrentUser, d: Loaded) -> AppResult<ShowPage> {
    if reveals(user, &d.o) {
        let (actor, o) = (user.actor(), d.o.clone());
        db::run_write(&state.pool, move |conn| {
            crate::audit::record(
                conn,
                &actor,
                "view_contact",
                "party_opinion",
                Some(o.id),
                &masked_contact(&o.contact_name, &o.contact_phone),
                None::<&()>,
                None::<&()>,
                &o.scope_path,
            )
        })
        .await?;
    }
    Ok(ShowPage::new(ctx, user, d))
}

/// GET /party/opinions/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&page(&state, ctx, &user, d).await?)
}

/// POST /party/opinions/{id}/answer — records the answer (state answered); a stale form is a
/// 409 with both answers, the typed one kept.
pub async fn answer(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<AnswerForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let d = load(&state, &user, id).await?;
    if !may_enter(&user, &d.o.scope_path) {
        return Err(AppError::Forbidden);
    }
    let ctx = Ctx::build(&req, Some(user.clone()));
    let text = match form.parse() {
        Ok(t) => t,
        Err(e) => {
            let mut p = page(&state, ctx, &user, d).await?;
            p.answer = form;
            p.answer_errors = e;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (seen, u, o) = (form.seen_version(), user.clone(), d.o.clone());
    let (token, done_at) = (form.form_token.clone(), format!("/party/opinions/{id}"));
    let saved = db::run_write(&state.pool, move |conn| {
        let once = idempotency::once(conn, &token, u.id, &done_at, |conn| {
            if seen != o.version || !models::answer(conn, &o, seen, &text, u.id, db::now())? {
                return Ok(Err(()));
            }
            crate::audit::updated(
                conn,
                &u.actor(),
                "party_opinion",
                o.id,
                &o.content.chars().take(40).collect::<String>(),
                &serde_json::json!({"state": o.state, "answer": o.answer}),
                &serde_json::json!({
                    "state": if o.issue_id.is_some() { "issue" } else { "answered" },
                    "answer": text,
                }),
                &o.scope_path,
            )?;
            Ok(Ok(()))
        })?;
        Ok(match once {
            Once::Done(()) | Once::Repeat => Saved::Done,
            Once::Refused(()) => Saved::Stale(()),
        })
    })
    .await?;
    match saved {
        Saved::Done => {
            flash(&session, "ok", "party.opinion.answered_flash", &[]);
            Ok(see_other(&format!("/party/opinions/{id}")))
        }
        Saved::Refused(e) => {
            let mut p = page(&state, ctx, &user, d).await?;
            p.answer = form;
            p.answer_errors = e;
            render_status(&p, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Saved::Stale(()) => {
            // Someone answered first: both answers, the typed one kept with the current version.
            let d = load(&state, &user, id).await?;
            let label = "party.opinion.answer";
            let (mine, theirs) = (
                [(label, form.answer.clone())],
                [(label, d.o.answer.clone())],
            );
            let rows = edit::stale(&mut form, d.o.version, &mine, &theirs);
            let mut p = page(&state, ctx, &user, d).await?;
            p.answer = form;
            p.conflicts = rows;
            render_status(&p, StatusCode::CONFLICT)
        }
    }
}

/// POST /party/opinions/{id}/issue — the opinion becomes a grid issue (source: opinion box),
/// linked both ways; the resident's contact stays with the opinion.
pub async fn file_issue(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<IssueForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let d = load(&state, &user, id).await?;
    if !may_enter(&user, &d.o.scope_path) {
        return Err(AppError::Forbidden);
    }
    if d.o.issue_id.is_some() {
        return Ok(see_other(&format!("/party/opinions/{id}")));
    }
    let new = match form.parse(&d.cats, &UnitGroup::ids(&d.grids)) {
        Ok(n) => n,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user.clone()));
            let mut p = page(&state, ctx, &user, d).await?;
            p.issue = form;
            p.issue_errors = e;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let (u, clock, o) = (user.clone(), Clock::at(state.tz), d.o);
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let report = Report {
                title: new.title,
                description: o.content.clone(),
                category_id: new.category_id,
                source: "opinion_box".into(),
                grid_id: new.grid_id,
                address: new.address,
                people: String::new(),
                urgency: "normal".into(),
            };
            let (issue, _) = workflow::report(conn, &u, &report, &clock)?;
            if !models::link_issue(conn, o.id, issue.id, clock.now)? {
                // Another tab turned it into an issue first: this one is rolled back.
                return Err(AppError::Conflict);
            }
            crate::audit::record(
                conn,
                &u.actor(),
                "opinion_issue",
                "party_opinion",
                Some(o.id),
                &issue.number,
                Some(&serde_json::json!({"state": o.state})),
                Some(&serde_json::json!({"state": "issue", "issue": issue.number})),
                &o.scope_path,
            )?;
            Ok(format!("/party/opinions/{}", o.id))
        },
    )
    .await?;
    flash(&session, "ok", "party.opinion.issue_flash", &[]);
    Ok(see_other(&location))
}
