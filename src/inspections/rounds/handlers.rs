//! Round handlers: the list and its export, a round's page, the round form (new and edit).

use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;
use serde_json::{Map, Value};

use super::forms::{FormData, ListQuery, OfferedUnit, RoundForm, labelled};
use super::models::{self, Filter, Inspector, Loaded, RoundFields};
use super::pages::{FormPage, ListPage, RoundRow, ShowPage, mode_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::inspections::domain;
use crate::web::ctx::Ctx;
use crate::web::edit::record::{Change, Editor, On, Parsed, Written};
use crate::web::edit::{Labelled, Saved, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::list::{self, ListParams};
use crate::web::{AppState, render_ok};

/// The audit log's name for a round.
pub const ENTITY: &str = "inspection_round";

/// The rounds and their (units, items) counts, with the filter's messages.
async fn rows(
    state: &AppState,
    user: &CurrentUser,
    q: &ListQuery,
) -> AppResult<(Vec<(models::Round, i64, i64)>, FormErrors)> {
    let mut errors = FormErrors::new();
    let p = list::period(&mut errors, &q.from, &q.to);
    let f = Filter {
        mode: q.mode(),
        from: p.from,
        to: p.to,
    };
    let empty = errors.has("to");
    let u = user.clone();
    let rows = db::run(&state.pool, move |conn| {
        if empty {
            return Ok(Vec::new());
        }
        let rounds = models::list(conn, &u, &f)?;
        let ids: Vec<i32> = rounds.iter().map(|r| r.id).collect();
        let counts = models::counts(conn, &ids)?;
        Ok(rounds
            .into_iter()
            .zip(counts)
            .map(|(r, (_, units, items))| (r, units, items))
            .collect())
    })
    .await?;
    Ok((rows, errors))
}

/// GET /inspections — the rounds in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (rows, errors) = rows(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    render_ok(&ListPage {
        modes: mode_choices(&ctx),
        rows: rows
            .iter()
            .map(|(r, u, i)| RoundRow::of(&ctx, r, *u, *i))
            .collect(),
        export_query: q.base(),
        may_plan: domain::may_plan(user.role, &user.org_path),
        errors,
        q,
        ctx,
    })
}

/// GET /inspections/export.xlsx — the round list with its filters.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (rows, _) = rows(&state, &user, &q).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = rows
        .iter()
        .map(|(r, u, i)| {
            let v = RoundRow::of(&ctx, r, *u, *i);
            vec![
                v.title,
                v.mode,
                ctx.date(&r.planned_from),
                ctx.date(&r.planned_to),
                v.units.to_string(),
                v.items.to_string(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "inspection-rounds.xlsx",
        "rounds",
        &[
            "inspect.round_title",
            "inspect.mode",
            "inspect.planned_from",
            "inspect.planned_to",
            "inspect.unit_count",
            "inspect.item_count",
        ],
        &out,
    )
}

/// GET /inspections/rounds/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let (l, visits) = db::run(&state.pool, move |conn| {
        let l = models::load(conn, &u, id)?;
        Ok((l, crate::inspections::visits::models::of_round(conn, id)?))
    })
    .await?;
    let may_edit = domain::may_edit_round(&user, &l.round.scope_path);
    let ids: Vec<i32> = l.inspectors.iter().map(|i| i.user_id).collect();
    let may_inspect = domain::may_inspect(&user, &l.round.scope_path, &ids);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&ShowPage {
        ctx,
        l,
        may_edit,
        may_inspect,
        visits,
    })
}

/// The units under the planner's own unit and the office staff of their scope who may inspect.
fn form_data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
    let units = crate::org::models::unit_options(conn, user, true)?
        .into_iter()
        .filter(|u| u.id != user.org_unit_id)
        .map(|u| OfferedUnit {
            id: u.id,
            name: u.name,
            depth: u.depth,
        })
        .collect();
    let f = crate::users::models::UserFilter {
        status: "active".into(),
        ..Default::default()
    };
    let inspectors = crate::users::models::list(conn, user, &f, 0, 1000)?
        .into_iter()
        .filter(|a| matches!(a.role.as_str(), "clerk" | "leader"))
        .map(|a| Inspector {
            user_id: a.id,
            name: format!("{} · {}", a.display_name, a.org_name),
        })
        .collect();
    Ok(FormData { units, inspectors })
}

/// The round form (who may plan; a round in their scope).
pub struct RoundEditor;

impl Editor for RoundEditor {
    type Record = Loaded;
    type Form = RoundForm;
    type Fields = RoundFields;
    type Data = FormData;
    type Page = FormPage;
    const ENTITY: &'static str = ENTITY;
    const BASE: &'static str = "/inspections/rounds";

    fn may_create(user: &CurrentUser) -> bool {
        domain::may_plan(user.role, &user.org_path)
    }
    fn may_edit(user: &CurrentUser, l: &Loaded) -> bool {
        domain::may_edit_round(user, &l.round.scope_path)
    }
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Loaded> {
        models::load(conn, user, id)
    }
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<FormData> {
        form_data(conn, user)
    }
    fn version(l: &Loaded) -> i32 {
        l.round.version
    }
    fn blank(_: &On<'_>, _: &FormData) -> RoundForm {
        RoundForm {
            mode: "covert".into(),
            ..Default::default()
        }
    }
    fn form_of(l: &Loaded) -> RoundForm {
        RoundForm::from_loaded(l)
    }
    /// The planner: the user on a new round, the round's own unit on an edit.
    fn parse(f: &RoundForm, d: &FormData, on: &On<'_>, l: Option<&Loaded>) -> Parsed<RoundFields> {
        match l {
            Some(l) => f.parse(d, (l.round.unit_id, &l.round.scope_path)),
            None => f.parse(d, (on.user.org_unit_id, &on.user.org_path)),
        }
    }
    fn labelled(f: &RoundForm, d: &FormData) -> Labelled {
        labelled(f, d)
    }
    fn named(f: &RoundFields) -> (&str, &str) {
        (&f.title, &f.scope_path)
    }
    fn page(ctx: Ctx, f: RoundForm, e: FormErrors, d: &FormData, l: Option<&Loaded>) -> FormPage {
        FormPage::new(ctx, f, e, d, l.map(|l| l.round.id))
    }
    fn insert(conn: &mut AnyConnection, f: &RoundFields, user: &CurrentUser) -> AppResult<i32> {
        models::insert(conn, f, user.id, db::now())
    }
    fn update(conn: &mut AnyConnection, l: &Loaded, seen: i32, f: &RoundFields) -> Written {
        models::update(conn, l.round.id, seen, f, db::now()).map(Saved::written)
    }
    /// A new round's audit row keeps the form as read (units and inspectors by name).
    fn created_after(f: &RoundForm, d: &FormData) -> Option<Map<String, Value>> {
        Some(labelled_json(&labelled(f, d)))
    }
    fn audit<A: Serialize>(conn: &mut AnyConnection, c: &Change<'_, A>) -> AppResult<()> {
        crate::audit::change(conn, c)
    }
}
