//! The opinion box (党情民意箱, SPEC §7): residents' opinions and suggestions entered by the
//! street's clerks or a branch secretary (channel, content, the resident's contact kept private),
//! each answered or turned into a grid issue in one step (source `opinion_box`), the answer
//! recorded. The list in scope with its filters and export (never the contact's phone).

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::opinion_forms::{
    AnswerForm, CHANNELS, IssueForm, OpinionForm, STATES, mask_name, may_enter, sees_contact,
    title_of,
};
use super::opinion_models::{self as models, Opinion};
use crate::auth::{CurrentUser, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::forms::minor_category;
use crate::issues::models::CategoryRow;
use crate::issues::pages::CategoryGroup;
use crate::issues::workflow::{self, Clock, Report};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, ConflictRow, FormErrors, conflicts, mask_phone, version};
use crate::web::pagination::Pager;
use crate::web::{AppState, render_ok, render_status, see_other};

// ---------------------------------------------------------------------------------------------
// Pages

/// An opinion as a line of the list.
pub struct RowView {
    pub id: i32,
    pub day: String,
    pub unit: String,
    pub channel: String,
    pub content: String,
    pub contact: String,
    pub state: String,
    pub issue_id: Option<i32>,
}

#[derive(Template)]
#[template(path = "party/opinions.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub states: Vec<Choice>,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub errors: FormErrors,
    pub may_create: bool,
}

#[derive(Template)]
#[template(path = "party/opinion_form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: OpinionForm,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub channels: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "party/opinion.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub o: Opinion,
    pub unit: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub answered_by: String,
    pub issue_number: String,
    pub may_enter: bool,
    pub answer: AnswerForm,
    pub answer_errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub issue: IssueForm,
    pub issue_errors: FormErrors,
    pub categories: Vec<CategoryGroup>,
    pub grids: Vec<Choice>,
}

// ---------------------------------------------------------------------------------------------
// The list and its export

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub state: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListQuery {
    fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("state", self.state.trim()),
            ("from", self.from.trim()),
            ("to", self.to.trim()),
        ])
    }
}

/// The list's filter with its unit resolved inside the user's scope (outside: 404); a bad date
/// is a message beside its field.
fn resolve_filter(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(models::Filter, FormErrors)> {
    let mut e = FormErrors::new();
    let mut day =
        |field: &'static str, raw: &str| crate::web::forms::optional_date(&mut e, field, raw);
    let mut f = models::Filter {
        from: day("from", &q.from),
        to: day("to", &q.to),
        state: STATES
            .iter()
            .find(|s| **s == q.state.trim())
            .map(|s| s.to_string()),
        ..Default::default()
    };
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    Ok((f, e))
}

/// The contact as this user may read it: in full, or masked.
fn contact(user: &CurrentUser, o: &Opinion) -> (String, String) {
    if sees_contact(user, &o.scope_path) {
        (o.contact_name.clone(), o.contact_phone.clone())
    } else {
        (mask_name(&o.contact_name), mask_phone(&o.contact_phone))
    }
}

fn row_view(ctx: &Ctx, user: &CurrentUser, o: &Opinion, units: &HashMap<i32, String>) -> RowView {
    let (name, phone) = contact(user, o);
    let mut content: String = o.content.chars().take(60).collect();
    if o.content.chars().count() > 60 {
        content.push('…');
    }
    RowView {
        id: o.id,
        day: ctx.date(&o.received_on),
        unit: units.get(&o.unit_id).cloned().unwrap_or_default(),
        channel: ctx.t(format!("party.opinion.channel.{}", o.channel)),
        content,
        contact: [name, phone]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
        state: o.state.clone(),
        issue_id: o.issue_id,
    }
}

fn may_create(user: &CurrentUser) -> bool {
    matches!(
        user.role,
        Role::Clerk | Role::Leader | Role::Admin | Role::BranchSecretary
    )
}

/// GET /party/opinions
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut pager = Pager::open_ended("/party/opinions", q.page.as_deref(), q.base());
    let (u, qq) = (user.clone(), q.clone());
    let (offset, fetch) = (pager.offset(), pager.fetch());
    let (mut rows, names, units, errors) = db::run(&state.pool, move |conn| {
        let (f, errors) = resolve_filter(conn, &u, &qq)?;
        let rows = models::list(conn, &u, &f, offset, fetch)?;
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|r| r.unit_id))?;
        let units = crate::org::models::options(conn, &u, false)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        Ok((rows, names, units, errors))
    })
    .await?;
    pager.trim(&mut rows);
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ListPage {
        rows: rows
            .iter()
            .map(|o| row_view(&ctx, &user, o, &names))
            .collect(),
        states: STATES
            .iter()
            .map(|s| Choice::new(s, ctx.t(format!("party.opinion.state.{s}"))))
            .collect(),
        may_create: may_create(&user),
        units,
        pager,
        errors,
        q,
        ctx,
    })
}

/// Rows exported at most (narrow the filter for more).
const EXPORT_MAX: i64 = 100_000;

/// GET /party/opinions/export.xlsx — the list with its filters; never the contact's phone.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q) = (user.clone(), q.into_inner());
    let (rows, names) = db::run(&state.pool, move |conn| {
        let (f, _) = resolve_filter(conn, &u, &q)?;
        let rows = models::list(conn, &u, &f, 0, EXPORT_MAX)?;
        let names = crate::issues::models::unit_names(conn, rows.iter().map(|r| r.unit_id))?;
        Ok((rows, names))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|o| {
            let (name, _) = contact(&user, o);
            vec![
                ctx.date(&o.received_on),
                names.get(&o.unit_id).cloned().unwrap_or_default(),
                ctx.t(format!("party.opinion.channel.{}", o.channel)),
                o.content.clone(),
                name,
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
            "party.opinion.contact_name",
            "party.opinion.state_label",
            "party.opinion.answer",
            "party.opinion.answered_at",
        ],
        &out,
    )
}

// ---------------------------------------------------------------------------------------------
// The new-opinion form

/// A unit an opinion can be entered for: id, name, depth, kind, path.
type UnitRow = (i32, String, i32, String, String);

/// The units the user may enter opinions for: streets and communities in scope; a branch
/// secretary their own unit.
fn entry_units(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<UnitRow>> {
    use crate::db::schema::org_units;
    use diesel::prelude::*;
    let (lo, hi) = user.scope();
    let rows: Vec<UnitRow> = org_units::table
        .filter(org_units::path.ge(lo))
        .filter(org_units::path.lt(hi))
        .filter(org_units::kind.eq_any(["street", "community", "village"]))
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::name,
            org_units::depth,
            org_units::kind,
            org_units::path,
        ))
        .load(conn)?;
    Ok(rows.into_iter().filter(|u| may_enter(user, &u.4)).collect())
}

fn form_page(ctx: Ctx, form: OpinionForm, errors: FormErrors, units: &[UnitRow]) -> FormPage {
    FormPage {
        channels: CHANNELS
            .iter()
            .map(|c| Choice::new(c, ctx.t(format!("party.opinion.channel.{c}"))))
            .collect(),
        units: units
            .iter()
            .cloned()
            .map(|(id, n, depth, kind, _)| crate::org::models::choice((id, n, depth, kind)))
            .collect(),
        ctx,
        form,
        errors,
    }
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
            units[0].0.to_string()
        } else {
            String::new()
        },
        channel: "box".into(),
        received_on: state.today().to_string(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&form_page(
        Ctx::build(&req, Some(user)),
        form,
        FormErrors::new(),
        &units,
    ))
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
    let offered: Vec<(i32, String)> = units.iter().map(|u| (u.0, u.4.clone())).collect();
    let fields = match form.parse(&offered, state.today()) {
        Ok(f) => f,
        Err(e) => {
            let p = form_page(Ctx::build(&req, Some(user)), form, e, &units);
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let u = user.clone();
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let id = models::insert(conn, &fields, u.id, db::now())?;
            crate::audit::created(
                conn,
                &u.actor(),
                "party_opinion",
                id,
                &fields.content.chars().take(40).collect::<String>(),
                &AuditView {
                    unit_id: fields.unit_id,
                    channel: &fields.channel,
                    received_on: fields.received_on,
                    content: &fields.content,
                    contact_given: !fields.contact_name.is_empty()
                        || !fields.contact_phone.is_empty(),
                },
                &fields.scope_path,
            )?;
            Ok(format!("/party/opinions/{id}"))
        },
    )
    .await?;
    flash(&session, "ok", "flash.saved", &[]);
    Ok(see_other(&location))
}

// ---------------------------------------------------------------------------------------------
// An opinion's page: the answer, the issue

struct Data {
    o: Opinion,
    unit: String,
    answered_by: String,
    issue_number: String,
    cats: Vec<CategoryRow>,
    grids: Vec<(i32, String)>,
}

async fn load(state: &AppState, user: &CurrentUser, id: i32) -> AppResult<Data> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        use crate::db::schema::org_units;
        use diesel::prelude::*;
        let o = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, o.unit_id)?.name;
        let answered_by = models::user_name(conn, o.answered_by)?;
        let issue_number = match o.issue_id {
            Some(i) => models::issue_number(conn, i)?,
            None => String::new(),
        };
        let (cats, grids) = if o.issue_id.is_none() && may_enter(&u, &o.scope_path) {
            let (lo, hi) = crate::db::subtree_range(&o.scope_path);
            let grids = org_units::table
                .filter(org_units::path.ge(lo))
                .filter(org_units::path.lt(hi))
                .filter(org_units::kind.eq("grid"))
                .order(org_units::path)
                .select((org_units::id, org_units::name))
                .load(conn)?;
            (crate::issues::models::categories(conn)?, grids)
        } else {
            (Vec::new(), Vec::new())
        };
        Ok(Data {
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

fn page(ctx: Ctx, user: &CurrentUser, d: Data) -> ShowPage {
    let (contact_name, contact_phone) = contact(user, &d.o);
    ShowPage {
        may_enter: may_enter(user, &d.o.scope_path),
        answer: AnswerForm::from_opinion(&d.o),
        answer_errors: FormErrors::new(),
        conflicts: Vec::new(),
        issue: IssueForm {
            title: title_of(&d.o.content),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        },
        issue_errors: FormErrors::new(),
        categories: CategoryGroup::all(&d.cats, false),
        grids: d.grids.iter().map(|(id, n)| Choice::new(id, n)).collect(),
        unit: d.unit,
        answered_by: d.answered_by,
        issue_number: d.issue_number,
        contact_name,
        contact_phone,
        o: d.o,
        ctx,
    }
}

/// GET /party/opinions/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let d = load(&state, &user, path.into_inner()).await?;
    render_ok(&page(Ctx::build(&req, Some(user.clone())), &user, d))
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
            let mut p = page(ctx, &user, d);
            p.answer = form;
            p.answer_errors = e;
            return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let seen = version(&form.version);
    let (u, o) = (user.clone(), d.o.clone());
    let done = db::run_write(&state.pool, move |conn| {
        if seen != o.version || !models::answer(conn, &o, seen, &text, u.id, db::now())? {
            return Ok(false);
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
        Ok(true)
    })
    .await?;
    if done {
        flash(&session, "ok", "party.opinion.answered_flash", &[]);
        return Ok(see_other(&format!("/party/opinions/{id}")));
    }
    // Someone answered first: both answers, the typed one kept with the current version.
    let d = load(&state, &user, id).await?;
    let label = "party.opinion.answer";
    let rows = conflicts(
        &[(label, form.answer.clone())],
        &[(label, d.o.answer.clone())],
    );
    form.version = d.o.version.to_string();
    let mut p = page(ctx, &user, d);
    p.answer = form;
    p.conflicts = rows;
    render_status(&p, StatusCode::CONFLICT)
}

/// POST /party/opinions/{id}/issue — the opinion becomes a grid issue (source: opinion box),
/// linked both ways; the resident's contact stays with the opinion.
pub async fn to_issue(
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
    let mut e = FormErrors::new();
    let title = crate::web::forms::required(&mut e, "title", &form.title, 100);
    let category_id = minor_category(&mut e, "category_id", &form.category_id, &d.cats);
    let grid_id = form.grid_id.trim().parse::<i32>().unwrap_or(0);
    if !d.grids.iter().any(|g| g.0 == grid_id) {
        e.add(
            "grid_id",
            if form.grid_id.trim().is_empty() {
                "form.required"
            } else {
                "form.invalid_choice"
            },
        );
    }
    let address = crate::web::forms::optional(&mut e, "address", &form.address, 200);
    let ctx = Ctx::build(&req, Some(user.clone()));
    if !e.is_empty() {
        let mut p = page(ctx, &user, d);
        p.issue = form;
        p.issue_errors = e;
        return render_status(&p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (u, clock, o) = (user.clone(), Clock::at(state.tz), d.o.clone());
    let location = crate::web::idempotency::create_once(
        &state.pool,
        form.form_token.clone(),
        user.id,
        move |conn| {
            let report = Report {
                title,
                description: o.content.clone(),
                category_id,
                source: "opinion_box".into(),
                grid_id,
                address,
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
