//! Notice handlers: the list and its export, issuing a notice (once per form token, numbered
//! inside the write), a notice's page and its A4 print. The unit's steps are in `steps`.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain;
use super::forms::{ListQuery, NewQuery, NoticeForm};
use super::models::{self, NewNotice};
use super::pages::{FormPage, Line, ListPage, NoticeRow, PrintPage, ShowPage, Shown, Typed};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection, FirstRow};
use crate::error::{AppError, AppResult};
use crate::inspections::rounds::models as rounds;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit;
use crate::web::forms::FormErrors;
use crate::web::list::ListParams;
use crate::web::{AppState, render_ok};
use diesel::prelude::*;

/// The audit log's name for a notice.
pub const ENTITY: &str = "inspection_notice";

/// The notices in scope with their rows, filtered.
async fn rows(
    state: &AppState,
    user: &CurrentUser,
    ctx: &Ctx,
    q: &ListQuery,
) -> AppResult<Vec<NoticeRow>> {
    let (u, year) = (user.clone(), q.year());
    let (list, progress) = db::run(&state.pool, move |conn| {
        let list = models::list(conn, &u, year)?;
        let ids: Vec<i32> = list.iter().map(|n| n.id).collect();
        Ok((list, models::progress(conn, &ids)?))
    })
    .await?;
    let today = state.today();
    Ok(list
        .iter()
        .zip(progress)
        .map(|(n, (_, p))| {
            let s = domain::state(n.signed(), p, n.deadline, today);
            NoticeRow::of(ctx, n, p, s)
        })
        .filter(|r| q.state().is_none_or(|s| s == r.state))
        .collect())
}

/// GET /inspections/notices
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let ctx = Ctx::build(&req, Some(user.clone()));
    let rows = rows(&state, &user, &ctx, &q).await?;
    render_ok(&ListPage {
        states: super::pages::state_choices(&ctx),
        export_query: q.base(),
        rows,
        q,
        ctx,
    })
}

/// GET /inspections/notices/export.xlsx
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let ctx = Ctx::build(&req, Some(user.clone()));
    let rows = rows(&state, &user, &ctx, &q).await?;
    let out: Vec<Vec<String>> = rows
        .into_iter()
        .map(|r| {
            vec![
                r.number,
                r.unit,
                r.issued,
                r.deadline,
                r.state_label,
                r.findings.to_string(),
                r.answered.to_string(),
                r.signed,
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "inspection-notices.xlsx",
        "notices",
        &[
            "notices.number",
            "notices.unit",
            "notices.issued_on",
            "notices.deadline",
            "notices.state_label",
            "notices.findings",
            "notices.answered",
            "notices.signed_name",
        ],
        &out,
    )
}

/// The round (in scope, the user its office) and the unit of it a notice is for, with the
/// findings offered.
fn for_unit(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    round: i32,
    unit: i32,
) -> AppResult<(
    rounds::Loaded,
    rounds::RoundUnit,
    Vec<crate::inspections::visits::models::Finding>,
)> {
    let l = rounds::load(conn, user, round)?;
    if !domain::may_issue(user, &l.round.scope_path) {
        return Err(AppError::Forbidden);
    }
    let u = l
        .units
        .iter()
        .find(|u| u.unit_id == unit)
        .cloned()
        .ok_or(AppError::NotFound)?;
    let offered = models::offered(conn, round, unit)?;
    Ok((l, u, offered))
}

/// GET /inspections/notices/new?round=&unit=
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<NewQuery>,
) -> AppResult<HttpResponse> {
    let (u, NewQuery { round, unit }) = (user.clone(), q.into_inner());
    let (l, ru, offered) = db::run(&state.pool, move |c| for_unit(c, &u, round, unit)).await?;
    let form = NoticeForm {
        round: round.to_string(),
        unit: unit.to_string(),
        findings: offered.iter().map(|f| f.id.to_string()).collect(),
        working_days: "5".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    let form = NoticeForm {
        requirements: ctx.t("notices.requirements_default"),
        ..form
    };
    render_ok(&FormPage {
        ctx,
        round_title: l.round.title,
        unit_name: ru.unit_name,
        offered,
        form,
        errors: FormErrors::new(),
    })
}

/// POST /inspections/notices
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<Vec<(String, String)>>,
) -> AppResult<HttpResponse> {
    let form = NoticeForm::from_pairs(&form.0);
    let (round, unit) = (
        form.round.trim().parse().unwrap_or(0),
        form.unit.trim().parse().unwrap_or(0),
    );
    let (u, token) = (user.clone(), form.form_token.clone());
    let (done, (l, ru, offered)) = db::run(&state.pool, move |c| {
        Ok((
            crate::web::idempotency::seen(c, &token)?,
            for_unit(c, &u, round, unit)?,
        ))
    })
    .await?;
    // A second click of the same form: where the first one went (its findings are no longer
    // offered, so the form would not parse again).
    if let Some(done) = done {
        return Ok(crate::web::see_other(&done));
    }
    let parsed = match form.parse(&offered) {
        Ok(p) => p,
        Err(errors) => {
            let ctx = Ctx::build(&req, Some(user));
            let (round_title, unit_name) = (l.round.title, ru.unit_name);
            return edit::invalid(&FormPage {
                ctx,
                round_title,
                unit_name,
                offered,
                form,
                errors,
            });
        }
    };
    let today = state.today();
    let (u, once) = (user.clone(), (form.form_token, user.id));
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let horizon = today + chrono::Duration::days(i64::from(parsed.working_days) * 3 + 60);
        let cal = crate::calendar::models::load(conn, today, horizon)?;
        let new = NewNotice {
            round_id: round,
            issuer_path: l.round.scope_path.clone(),
            unit_id: ru.unit_id,
            unit_path: ru.unit_path.clone(),
            unit_name: ru.unit_name.clone(),
            issued_on: today,
            working_days: parsed.working_days,
            deadline: domain::deadline(&cal, today, parsed.working_days),
            requirements: parsed.requirements,
            finding_ids: parsed.finding_ids,
        };
        let (id, number) = models::insert(conn, &new, u.id, db::now())?;
        let summary = format!("{} {}-{number}", new.unit_name, today);
        crate::audit::created(conn, &u.actor(), ENTITY, id, &summary, &new, &new.unit_path)?;
        Ok(format!("/inspections/notices/{id}"))
    })
    .await
}

/// Everything a notice's page and its print show, read in scope.
pub fn shown(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    id: i32,
    today: chrono::NaiveDate,
) -> AppResult<Shown> {
    let n = models::get_scoped(conn, user, id)?;
    // The responsible unit reads the notice, not the office's round: its title only.
    let round: rounds::Round = crate::db::schema::inspection_rounds::table
        .find(n.round_id)
        .select(rounds::Round::as_select())
        .first_row(conn)?;
    let issuer = crate::org::models::get(conn, round.unit_id)?.name;
    let findings = models::findings_of(conn, id)?;
    let answers = models::answers_of(conn, id)?;
    let cats = crate::issues::models::categories(conn)?;
    let p = models::progress(conn, &[id])?
        .first()
        .map(|(_, p)| *p)
        .unwrap_or_default();
    let lines = findings
        .into_iter()
        .map(|f| Line {
            category: cats
                .iter()
                .find(|c| c.id == f.category_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            answers: answers
                .iter()
                .filter(|a| a.finding_id == f.id)
                .cloned()
                .collect(),
            f,
        })
        .collect();
    let may_respond = domain::may_respond(user, &n.issuer_path, &n.unit_path);
    Ok(Shown {
        number: String::new(),
        state: domain::state(n.signed(), p, n.deadline, today),
        round_title: round.title,
        issuer,
        lines,
        may_ask: may_respond && domain::ask_refused(&n.ext_state, n.deadline, today).is_none(),
        may_decide: n.ext_state == "asked"
            && domain::may_decide(user, &n.issuer_path, n.ext_asked_by),
        may_respond,
        n,
    })
}

/// A notice's page with the forms as typed (a step's 422 or 409 shows it again).
pub async fn page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    id: i32,
    mut t: Typed,
) -> AppResult<ShowPage> {
    let ctx = Ctx::build(req, Some(user.clone()));
    let today = state.today();
    let mut s = db::run(&state.pool, move |c| shown(c, &user, id, today)).await?;
    s.number = super::pages::number(&ctx, &s.n);
    if t.sign.version.is_empty() {
        t.sign.version = s.n.version.to_string();
    }
    if t.ext.version.is_empty() {
        t.ext.version = s.n.version.to_string();
    }
    if t.answer.form_token.is_empty() {
        t.answer.form_token = crate::web::csrf::random_token();
    }
    let conflicts = std::mem::take(&mut t.conflicts);
    Ok(ShowPage {
        ctx,
        s,
        t,
        conflicts,
    })
}

/// GET /inspections/notices/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    render_ok(&page(&req, user, &state, path.into_inner(), Typed::default()).await?)
}

/// GET /inspections/notices/{id}/print — the notice on A4 with its tear-off receipt.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (id, today) = (path.into_inner(), state.today());
    let ctx = Ctx::build(&req, Some(user.clone()));
    let mut s = db::run(&state.pool, move |c| shown(c, &user, id, today)).await?;
    s.number = super::pages::number(&ctx, &s.n);
    render_ok(&PrintPage { ctx, s })
}
