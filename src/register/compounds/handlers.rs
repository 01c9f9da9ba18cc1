//! Compound handlers: the list in scope and its export, a compound's page with its buildings,
//! the compound form, adding a building.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use super::forms::{BuildingForm, CompoundForm, ListQuery, labelled};
use super::models::{self, Compound, CompoundFields, Filter};
use super::pages::{FormPage, ListPage, Row, ShowPage, kind_choices};
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::domain::Kind;
use crate::org::models::UnitGroup;
use crate::register::domain;
use crate::register::households::forms::HouseholdForm;
use crate::register::households::pages::{HouseholdRow, PersonView, blank_household};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::record::{Change, Editor, On, Parsed, Written};
use crate::web::edit::{self, Labelled, Saved};
use crate::web::forms::FormErrors;
use crate::web::list::{EXPORT_MAX, ListParams};
use crate::web::{AppState, render_ok};

/// The audit log's names for a compound and a building.
const ENTITY: &str = "register_compound";
const BUILDING: &str = "register_building";
const HOUSEHOLD: &str = "register_household";

/// Compounds the list shows at once (the export has them all).
const PAGE_MAX: i64 = 500;

/// Persons a search by name or ID number shows.
const FOUND_MAX: i64 = 50;

fn filter(conn: &mut AnyConnection, user: &CurrentUser, q: &ListQuery) -> AppResult<Filter> {
    Ok(Filter {
        unit_path: crate::org::models::unit_filter(conn, user, &q.unit)?,
        name: q.name(),
        kind: q.kind(),
    })
}

/// The rows of the list or its export: the compounds, their grids' names and their totals.
fn rows(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &ListQuery,
    limit: i64,
) -> AppResult<Rows> {
    let f = filter(conn, user, q)?;
    let list = models::list(conn, user, &f, limit)?;
    let grids = crate::issues::models::unit_names(conn, list.iter().map(|c| c.grid_id))?;
    let ids: Vec<i32> = list.iter().map(|c| c.id).collect();
    let totals = models::totals(conn, &ids)?;
    Ok((list, grids, totals))
}

type Totals = std::collections::HashMap<i32, (i64, i64)>;

/// The grids a form offers (grouped by community) and their (id, path).
type GridChoices = (Vec<UnitGroup>, Vec<(i32, String)>);

/// A list's compounds with their grids' names and totals.
type Rows = (
    Vec<Compound>,
    std::collections::HashMap<i32, String>,
    Totals,
);

fn views(
    ctx: &Ctx,
    list: &[Compound],
    grids: &std::collections::HashMap<i32, String>,
    t: &Totals,
) -> Vec<Row> {
    list.iter()
        .map(|c| {
            let grid = grids.get(&c.grid_id).cloned().unwrap_or_default();
            Row::of(ctx, c, grid, t.get(&c.id).copied().unwrap_or_default())
        })
        .collect()
}

/// May the user create a compound anywhere: a writer of the register in some scope.
fn may_create(user: &CurrentUser) -> bool {
    domain::may_write(user, &user.org_path)
}

/// GET /register — the compounds in scope.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let (u, qq) = (user.clone(), q.clone());
    let ((list, grids, totals), units, found) = db::run(&state.pool, move |conn| {
        let rows = rows(conn, &u, &qq, PAGE_MAX + 1)?;
        let who = qq.who.trim();
        let found = if who.is_empty() {
            Vec::new()
        } else {
            crate::register::households::models::find(conn, &u, who, FOUND_MAX)?
        };
        let units = crate::org::models::unit_options(conn, &u, true)?
            .iter()
            .map(crate::org::models::UnitOption::choice)
            .collect::<Vec<_>>();
        Ok((rows, units, found))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let persons = found
        .iter()
        .map(|p| PersonView::of(&ctx, p, domain::sees_personal(&user, &p.scope_path)))
        .collect();
    let mut rows = views(&ctx, &list, &grids, &totals);
    let more = rows.len() as i64 > PAGE_MAX;
    rows.truncate(PAGE_MAX as usize);
    render_ok(&ListPage {
        kinds: kind_choices(&ctx),
        export_query: q.base(),
        may_create: may_create(&user),
        rows,
        more,
        persons,
        units,
        q,
        ctx,
    })
}

/// GET /register/export.xlsx — the compound list with its filters.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ListQuery>,
) -> AppResult<HttpResponse> {
    let (u, q) = (user.clone(), q.into_inner());
    let (list, grids, totals) =
        db::run(&state.pool, move |conn| rows(conn, &u, &q, EXPORT_MAX)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let out: Vec<Vec<String>> = list
        .iter()
        .zip(views(&ctx, &list, &grids, &totals))
        .map(|(c, r)| {
            let mut line = vec![
                r.name,
                r.kind,
                r.grid,
                r.address,
                c.property_company.clone(),
                c.property_contact.clone(),
                c.head_name.clone(),
                r.buildings.to_string(),
                r.households.to_string(),
            ];
            line.extend(c.checklist().iter().map(|d| ctx.date_opt(d)));
            line
        })
        .collect();
    crate::web::xlsx::respond(
        &ctx,
        "register-compounds.xlsx",
        "compounds",
        &[
            "register.compound",
            "register.kind_label",
            "register.grid",
            "register.address",
            "register.property_company",
            "register.property_contact",
            "register.head_name",
            "register.buildings",
            "register.households",
            "register.check.lights",
            "register.check.roads",
            "register.check.water",
            "register.check.safety",
        ],
        &out,
    )
}

/// What a compound's page reads.
struct Loaded {
    c: Compound,
    grid: String,
    buildings: Vec<models::Building>,
    households: Vec<crate::register::households::models::Household>,
}

async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Loaded, Vec<crate::web::crumbs::Crumb>)> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let c = models::get_scoped(conn, &u, id)?;
        let grid = crate::org::models::get(conn, c.grid_id)?;
        let crumbs = crate::org::crumbs_for(conn, &u, &grid.path)?;
        let buildings = models::buildings(conn, id)?;
        let households = crate::register::households::models::of_compound(conn, id)?;
        Ok((
            Loaded {
                grid: grid.name,
                buildings,
                households,
                c,
            },
            crumbs,
        ))
    })
    .await
}

fn show_page(
    ctx: Ctx,
    user: &CurrentUser,
    d: Loaded,
    crumbs: Vec<crate::web::crumbs::Crumb>,
    building: BuildingForm,
    errors: FormErrors,
    household: (HouseholdForm, FormErrors),
) -> ShowPage {
    let mut crumbs = crumbs;
    crumbs.insert(
        0,
        crate::web::crumbs::Crumb::link(ctx.t("nav.register"), "/register"),
    );
    ShowPage {
        kind: ctx.t(format!("register.kind.{}", d.c.kind)),
        checklist: ShowPage::checklist_of(&d.c),
        may_write: domain::may_write(user, &d.c.scope_path),
        grid: d.grid,
        households: d
            .households
            .iter()
            .map(|h| HouseholdRow::of(h, &d.buildings))
            .collect(),
        building_choices: d
            .buildings
            .iter()
            .map(|b| crate::web::forms::Choice::new(b.id, &b.name))
            .collect(),
        household: household.0,
        household_errors: household.1,
        buildings: d.buildings,
        c: d.c,
        building,
        errors,
        crumbs,
        ctx,
    }
}

/// GET /register/compounds/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (d, crumbs) = load(&state, &user, path.into_inner()).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let form = BuildingForm {
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    render_ok(&show_page(
        ctx,
        &user,
        d,
        crumbs,
        form,
        FormErrors::new(),
        (blank_household(), FormErrors::new()),
    ))
}

/// The grids a compound may lie in: the grids in the user's scope, grouped by community, and
/// their (id, path).
fn grids(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<GridChoices> {
    let groups = crate::org::models::grid_groups(conn, &user.org_path, false)?;
    let ids = UnitGroup::ids(&groups);
    let paths = crate::org::models::by_ids(conn, &ids)?
        .into_iter()
        .filter(|u| u.kind() == Kind::Grid && user.sees(&u.path))
        .map(|u| (u.id, u.path))
        .collect();
    Ok((groups, paths))
}

/// The compound form (who may write the register, a compound in their scope).
pub struct CompoundEditor;

impl Editor for CompoundEditor {
    type Record = Compound;
    type Form = CompoundForm;
    type Fields = CompoundFields;
    type Data = GridChoices;
    type Page = FormPage;
    const ENTITY: &'static str = ENTITY;
    const BASE: &'static str = "/register/compounds";

    fn may_create(user: &CurrentUser) -> bool {
        may_create(user)
    }
    fn may_edit(user: &CurrentUser, c: &Compound) -> bool {
        domain::may_write(user, &c.scope_path)
    }
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Compound> {
        models::get_scoped(conn, user, id)
    }
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<GridChoices> {
        grids(conn, user)
    }
    fn version(c: &Compound) -> i32 {
        c.version
    }
    fn blank(_: &On<'_>, (_, paths): &GridChoices) -> CompoundForm {
        CompoundForm {
            kind: "commercial".into(),
            // A grid worker's one grid is chosen for them.
            grid_id: match paths.as_slice() {
                [(id, _)] => id.to_string(),
                _ => String::new(),
            },
            ..Default::default()
        }
    }
    fn form_of(c: &Compound) -> CompoundForm {
        CompoundForm::from_compound(c)
    }
    fn parse(
        f: &CompoundForm,
        d: &GridChoices,
        on: &On<'_>,
        _: Option<&Compound>,
    ) -> Parsed<CompoundFields> {
        f.parse(&d.1, on.today)
    }
    fn labelled(f: &CompoundForm, _: &GridChoices) -> Labelled {
        labelled(f)
    }
    fn named(f: &CompoundFields) -> (&str, &str) {
        (&f.name, &f.scope_path)
    }
    fn page(
        ctx: Ctx,
        f: CompoundForm,
        e: FormErrors,
        d: &GridChoices,
        c: Option<&Compound>,
    ) -> FormPage {
        FormPage::new(ctx, f, e, d.0.clone(), c.map(|c| c.id))
    }
    fn insert(conn: &mut AnyConnection, f: &CompoundFields, _: &CurrentUser) -> AppResult<i32> {
        models::insert(conn, f, db::now())
    }
    fn update(conn: &mut AnyConnection, c: &Compound, seen: i32, f: &CompoundFields) -> Written {
        models::update(conn, c.id, seen, f, db::now()).map(Saved::written)
    }
    fn audit<A: Serialize>(conn: &mut AnyConnection, c: &Change<'_, A>) -> AppResult<()> {
        crate::audit::change(conn, c)
    }
}

/// POST /register/compounds/{id}/buildings — a building added on the compound's page.
pub async fn add_building(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<BuildingForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (d, crumbs) = load(&state, &user, id).await?;
    if !domain::may_write(&user, &d.c.scope_path) {
        return Err(AppError::Forbidden);
    }
    let fields = match form.parse(&d.c) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user.clone()));
            let hh = (blank_household(), FormErrors::new());
            return edit::invalid(&show_page(ctx, &user, d, crumbs, form, e, hh));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let bid = models::insert_building(conn, &fields, db::now())?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::created(conn, &actor, BUILDING, bid, name, &fields, scope)?;
        Ok(format!("/register/compounds/{id}#buildings"))
    })
    .await
}

/// POST /register/compounds/{id}/households — a household added on the compound's page.
pub async fn add_household(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<HouseholdForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (d, crumbs) = load(&state, &user, id).await?;
    if !domain::may_write(&user, &d.c.scope_path) {
        return Err(AppError::Forbidden);
    }
    let fields = match form.parse(&d.c, &d.buildings) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user.clone()));
            let b = BuildingForm::default();
            let p = show_page(ctx, &user, d, crumbs, b, FormErrors::new(), (form, e));
            return edit::invalid(&p);
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    let summary = format!("{} {}", d.c.name, fields.room);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let hid = crate::register::households::models::insert(conn, &fields, db::now())?;
        let scope = &fields.scope_path;
        crate::audit::created(conn, &actor, HOUSEHOLD, hid, &summary, &fields, scope)?;
        Ok(format!("/register/households/{hid}"))
    })
    .await
}
