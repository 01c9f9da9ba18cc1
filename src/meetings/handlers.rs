//! The meeting pages that read — the list, its export, a meeting's page — and the state steps
//! (held, minutes finalized).

use std::collections::HashMap;

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::domain::{self, KINDS, State};
use super::forms::AddForm;
use super::models::{self, Item, Meeting};
use super::pages::{CorrectionView, ItemView, ListPage, ListRowView, ShowPage, meeting_name};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::issues::models as issue_models;
use crate::issues::workflow::Clock;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors};
use crate::web::pagination::Pager;
use crate::web::{AppState, render_ok, see_other};

// ---------------------------------------------------------------------------------------------
// A meeting's page

/// Everything a meeting's page (and its sheet) shows, read in one blocking call.
pub struct Loaded {
    pub m: Meeting,
    pub unit_name: String,
    pub people: Vec<models::Person>,
    pub items: Vec<Item>,
    pub issues: HashMap<i32, models::IssueBrief>,
    pub grids: HashMap<i32, String>,
    pub corrections: Vec<models::CorrectionRow>,
}

/// A meeting in the user's scope with its attendees, agenda (issues and grids by id) and
/// corrections.
pub fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
    let m = models::get_scoped(conn, user, id)?;
    let unit_name = crate::org::models::get(conn, m.unit_id)?.name;
    let people = models::people(conn, id)?;
    let items = models::items(conn, id)?;
    let issue_ids: Vec<i32> = items.iter().filter_map(|i| i.issue_id).collect();
    let issues: HashMap<i32, models::IssueBrief> = models::issue_briefs(conn, &issue_ids)?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let grids = issue_models::unit_names(conn, items.iter().filter_map(|i| i.grid_id))?;
    let corrections = models::corrections(conn, id)?;
    Ok(Loaded {
        m,
        unit_name,
        people,
        items,
        issues,
        grids,
        corrections,
    })
}

/// An item as a line of the agenda.
pub fn item_view(
    item: Item,
    number: usize,
    issues: &HashMap<i32, models::IssueBrief>,
    grids: &HashMap<i32, String>,
    now: chrono::NaiveDateTime,
    today: NaiveDate,
) -> ItemView {
    let brief = item.issue_id.and_then(|i| issues.get(&i));
    let open = brief
        .and_then(|b| crate::issues::domain::State::parse(&b.state))
        .is_some_and(|s| s.is_open());
    let clock_runs = brief
        .and_then(|b| crate::issues::domain::State::parse(&b.state))
        .is_some_and(|s| s.clock_runs());
    ItemView {
        number,
        issue_number: brief.map(|b| b.number.clone()).unwrap_or_default(),
        issue_state: brief.map(|b| b.state.clone()).unwrap_or_default(),
        grid: item
            .grid_id
            .and_then(|g| grids.get(&g).cloned())
            .unwrap_or_default(),
        reasons: domain::split_reasons(&item.reasons)
            .into_iter()
            .map(domain::Reason::code)
            .collect(),
        overdue: clock_runs && brief.and_then(|b| b.deadline).is_some_and(|d| d < now),
        decision_overdue: open && item.deadline.is_some_and(|d| d < today),
        item,
    }
}

/// The agenda's lines (numbered) and the removed ones.
pub fn agenda_views(
    l: &Loaded,
    now: chrono::NaiveDateTime,
    today: NaiveDate,
) -> (Vec<ItemView>, Vec<ItemView>) {
    let mut items = Vec::new();
    let mut removed = Vec::new();
    for it in l.items.iter().cloned() {
        if it.removed {
            removed.push(item_view(it, 0, &l.issues, &l.grids, now, today));
        } else {
            let n = items.len() + 1;
            items.push(item_view(it, n, &l.issues, &l.grids, now, today));
        }
    }
    (items, removed)
}

pub fn correction_views(ctx: &Ctx, rows: Vec<models::CorrectionRow>) -> Vec<CorrectionView> {
    rows.into_iter()
        .map(|(_, who, reason, changes, at)| CorrectionView {
            who: who.unwrap_or_default(),
            when: ctx.dt(&at),
            reason,
            changes: serde_json::from_str::<Vec<(String, String, String)>>(&changes)
                .unwrap_or_default()
                .into_iter()
                .map(|(label, a, b)| (ctx.t(label), a, b))
                .collect(),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct ShowQuery {
    #[serde(default)]
    left: Option<usize>,
}

/// GET /meetings/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<ShowQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| load(conn, &u, id)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&show_page(
        ctx,
        &state,
        &user,
        l,
        AddForm::default(),
        FormErrors::new(),
        query.left.unwrap_or(0),
    ))
}

/// The meeting's page, also re-rendered with the add-an-item form's errors.
pub fn show_page(
    ctx: Ctx,
    state: &AppState,
    user: &CurrentUser,
    l: Loaded,
    mut add: AddForm,
    add_errors: FormErrors,
    left_out: usize,
) -> ShowPage {
    let (items, removed) = agenda_views(&l, crate::db::now(), state.today());
    let corrections = correction_views(&ctx, l.corrections);
    add.version = l.m.version.to_string();
    ShowPage {
        name: meeting_name(&ctx, &l.unit_name, &l.m.kind, &l.m.day),
        unit_name: l.unit_name,
        people: l.people,
        items,
        removed,
        corrections,
        may_record: domain::may_record(user, &l.m.scope_path),
        next_state: l
            .m
            .state()
            .next()
            .map(|s| s.code().to_string())
            .unwrap_or_default(),
        m: l.m,
        add,
        add_errors,
        left_out,
        ctx,
    }
}

#[derive(Deserialize)]
pub struct StateForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    version: String,
}

/// POST /meetings/{id}/state — draft → held (the meeting took place) → final (the minutes are
/// filed; from then on every change is a correction with a reason).
pub async fn set_state(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<StateForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (u, clock) = (user.clone(), Clock::at(state.tz));
    let outcome = db::run_write(&state.pool, move |conn| {
        let m = models::get_scoped(conn, &u, id)?;
        if !domain::may_record(&u, &m.scope_path) {
            return Err(AppError::Forbidden);
        }
        let to = match m.state().next() {
            Some(next) if next.code() == form.to => next,
            // Someone moved it first, or a forged form.
            _ => return Ok("meetings.state_changed"),
        };
        if crate::web::forms::version(&form.version) != m.version
            || !models::set_state(conn, &m, to, u.id, clock.now)?
        {
            return Ok("meetings.state_changed");
        }
        crate::audit::record(
            conn,
            &u.actor(),
            &format!("meeting_{}", to.code()),
            "meeting",
            Some(id),
            &format!("{} {}", m.kind, m.day),
            Some(&serde_json::json!({"state": m.state})),
            Some(&serde_json::json!({"state": to.code()})),
            &m.scope_path,
        )?;
        Ok(match to {
            State::Held => "meetings.held_flash",
            _ => "meetings.finalized_flash",
        })
    })
    .await?;
    let kind = if outcome == "meetings.state_changed" {
        "warn"
    } else {
        "ok"
    };
    flash(&session, kind, outcome, &[]);
    Ok(see_other(&format!("/meetings/{id}")))
}

// ---------------------------------------------------------------------------------------------
// The list and its export

/// The list's query string.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub kind: String,
    pub state: String,
    pub from: String,
    pub to: String,
    pub page: Option<String>,
}

impl ListQuery {
    /// The query string without the page (for the pager and the export link).
    pub fn base(&self) -> String {
        crate::web::pagination::query_string(&[
            ("unit", self.unit.trim()),
            ("kind", self.kind.trim()),
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
        kind: domain::Kind::parse(q.kind.trim()).map(|k| k.code().to_string()),
        state: match q.state.trim() {
            s @ ("draft" | "held" | "final") => Some(s.to_string()),
            _ => None,
        },
        ..Default::default()
    };
    if let Ok(unit) = q.unit.trim().parse::<i32>() {
        f.unit_path = Some(crate::org::models::get_scoped(conn, user, unit)?.path);
    }
    Ok((f, e))
}

fn row_view(ctx: &Ctx, r: &models::ListRow, units: &HashMap<i32, String>) -> ListRowView {
    ListRowView {
        id: r.0,
        unit: units.get(&r.1).cloned().unwrap_or_default(),
        kind: ctx.t(format!("meetings.kind.{}", r.2)),
        state: r.3.clone(),
        day: ctx.date(&r.4),
        start: r.5.clone(),
        place: r.6.clone(),
        chair: r.7.clone(),
        attendance: format!("{}/{}", r.9, r.8),
        items: r.10,
        decided: r.11,
        corrections: r.12,
    }
}

/// GET /meetings
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let mut pager = Pager::open_ended("/meetings", q.page.as_deref(), q.base());
    let (u, qq) = (user.clone(), q.clone());
    let (offset, fetch) = (pager.offset(), pager.fetch());
    let (mut rows, names, units, errors) = db::run(&state.pool, move |conn| {
        let (f, errors) = resolve_filter(conn, &u, &qq)?;
        let rows = models::list(conn, &u, &f, offset, fetch)?;
        let names = issue_models::unit_names(conn, rows.iter().map(|r| r.1))?;
        let units = super::create::meeting_units(conn, &u)?
            .into_iter()
            .map(crate::org::models::choice)
            .collect::<Vec<_>>();
        Ok((rows, names, units, errors))
    })
    .await?;
    pager.trim(&mut rows);
    let ctx = Ctx::build(&req, Some(user.clone()));
    let rows = rows.iter().map(|r| row_view(&ctx, r, &names)).collect();
    render_ok(&ListPage {
        kinds: KINDS
            .iter()
            .map(|k| Choice::new(k.code(), ctx.t(format!("meetings.kind.{}", k.code()))))
            .collect(),
        may_create: domain::may_call(&user),
        rows,
        pager,
        q,
        errors,
        units,
        ctx,
    })
}

/// Rows exported at most (a district-year is ~30,000 meetings: narrow the filter for more).
const EXPORT_MAX: i64 = 100_000;

/// GET /meetings/export.xlsx — the list with its filters, in scope.
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
        let names = issue_models::unit_names(conn, rows.iter().map(|r| r.1))?;
        Ok((rows, names))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let v = row_view(&ctx, r, &names);
            vec![
                v.day,
                v.start,
                v.unit,
                v.kind,
                ctx.t(format!("meetings.state.{}", v.state)),
                v.place,
                v.chair,
                v.attendance,
                v.items.to_string(),
                v.decided.to_string(),
                v.corrections.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "meetings.xlsx",
        "meetings",
        &[
            "meetings.day",
            "meetings.start_time",
            "meetings.unit",
            "meetings.kind_label",
            "meetings.state_label",
            "meetings.place",
            "meetings.chair",
            "meetings.attendance",
            "meetings.items",
            "meetings.decided",
            "meetings.corrections",
        ],
        &out,
    )
}
