//! The indicator catalogue's handlers: the list and its export, an indicator's page and its
//! monthly entries, and the indicator form (on the edit kit).

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Serialize;

use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::livelihood::domain;
use crate::livelihood::forms::{EntryForm, IndicatorForm, ReportQuery, labelled};
use crate::livelihood::models::{self, Indicator, IndicatorFields, NewEntry, Street};
use crate::livelihood::pages::{IndicatorFormPage, IndicatorPage, IndicatorsPage, street_choices};
use crate::livelihood::report::handlers::load;
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::record::{Change, Editor, On, Parsed, Written};
use crate::web::edit::{self, Labelled, Saved};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's names.
const INDICATOR: &str = "livelihood_indicator";
const ENTRY: &str = "livelihood_entry";

/// GET /livelihood/indicators — a street's catalogue of a year.
pub async fn list(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&indicators_page(&req, user, &state, q.into_inner()).await?)
}

async fn indicators_page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    q: ReportQuery,
) -> AppResult<IndicatorsPage> {
    let (year, month, errors) = q.period(state.today());
    let (streets, street, data) = load(state, &user, &q.unit, year).await?;
    let path = street.as_ref().map(|s| s.path.clone()).unwrap_or_default();
    Ok(IndicatorsPage {
        ctx: Ctx::build(req, Some(user.clone())),
        streets: street_choices(&streets),
        may_keep: street.is_some() && domain::may_keep(&user, &path),
        query: format!(
            "unit={}&year={year}",
            street.as_ref().map(|s| s.id).unwrap_or_default()
        ),
        rows: data.map(|d| d.indicators).unwrap_or_default(),
        street,
        year,
        month,
        errors,
        q,
    })
}

/// GET /livelihood/indicators/export.xlsx — the catalogue.
pub async fn list_export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let p = indicators_page(&req, user, &state, q.into_inner()).await?;
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .map(|i| {
            vec![
                i.name.clone(),
                i.count_unit.clone(),
                p.ctx.t(if i.summed {
                    "livelihood.kind_summed"
                } else {
                    "livelihood.kind_stock"
                }),
                p.target(i),
                i.office.clone(),
                i.note.clone(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &p.ctx,
        &format!("livelihood-indicators-{}.xlsx", p.year),
        "indicators",
        &[
            "livelihood.name",
            "livelihood.count_unit",
            "livelihood.summed",
            "livelihood.target",
            "livelihood.office",
            "livelihood.note",
        ],
        &rows,
    )
}

/// The indicator and its page's data.
async fn load_indicator(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Indicator, String, Vec<models::Entry>, Vec<i32>)> {
    let u = user.clone();
    db::run(&state.pool, move |conn| {
        let i = models::get_scoped(conn, &u, id)?;
        let street = crate::org::models::get(conn, i.unit_id)?.name;
        let entries = models::entries_of(conn, &[id])?;
        let frozen = models::frozen_months(conn, i.unit_id, i.year)?;
        Ok((i, street, entries, frozen))
    })
    .await
}

/// GET /livelihood/indicators/{id}
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (i, street, entries, frozen) = load_indicator(&state, &user, path.into_inner()).await?;
    let may_keep = domain::may_keep(&user, &i.scope_path);
    let form = EntryForm {
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&IndicatorPage::new(
        ctx,
        i,
        street,
        &entries,
        &frozen,
        form,
        FormErrors::new(),
        may_keep,
    ))
}

/// POST /livelihood/indicators/{id}/entries — a month's figure, or its correction (with a
/// reason). A frozen month takes none.
pub async fn enter(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<EntryForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let form = form.0;
    let (i, street, entries, frozen) = load_indicator(&state, &user, id).await?;
    if !domain::may_keep(&user, &i.scope_path) {
        return Err(AppError::Forbidden);
    }
    let parsed = form.parse(&i, state.today()).and_then(|f| {
        let mut e = FormErrors::new();
        if frozen.contains(&f.month) {
            e.add("month", "livelihood.month_frozen");
        } else if f.reason.is_empty() && entries.iter().any(|x| x.month == f.month) {
            e.add("reason", "livelihood.reason_needed");
        }
        e.finish(|| f)
    });
    let fields = match parsed {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&IndicatorPage::new(
                ctx, i, street, &entries, &frozen, form, e, true,
            ));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    let (uid, uname) = (user.id, user.display_name.clone());
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        // The month may have been frozen since the form was checked.
        if models::frozen_months(conn, i.unit_id, i.year)?.contains(&fields.month) {
            return Err(AppError::Conflict);
        }
        let correction = models::has_entry(conn, i.id, fields.month)?;
        let e = NewEntry {
            indicator_id: i.id,
            scope_path: i.scope_path.clone(),
            month: fields.month,
            amount: fields.amount,
            reason: fields.reason.clone(),
            author_id: Some(uid),
            author_name: uname,
            created_at: db::now(),
        };
        let entry_id = models::insert_entry(conn, &e)?;
        let summary = format!(
            "{} {}-{:02}: {}{}",
            i.name,
            i.year,
            fields.month,
            domain::format_amount(fields.amount, domain::decimals(&i.count_unit)),
            if correction { " *" } else { "" }
        );
        crate::audit::created(conn, &actor, ENTRY, entry_id, &summary, &e, &i.scope_path)?;
        Ok(format!("/livelihood/indicators/{}", i.id))
    })
    .await
}

/// The indicator form: office staff of a street in scope (403 when their scope holds none).
pub struct IndicatorEditor;

impl Editor for IndicatorEditor {
    type Record = Indicator;
    type Form = IndicatorForm;
    type Fields = IndicatorFields;
    type Data = Vec<Street>;
    type Page = IndicatorFormPage;
    const ENTITY: &'static str = INDICATOR;
    const BASE: &'static str = "/livelihood/indicators";

    fn may_create(user: &CurrentUser) -> bool {
        user.role.is_office_staff()
    }
    fn may_edit(user: &CurrentUser, i: &Indicator) -> bool {
        domain::may_keep(user, &i.scope_path)
    }
    fn load(conn: &mut AnyConnection, user: &CurrentUser, id: i32) -> AppResult<Indicator> {
        models::get_scoped(conn, user, id)
    }
    /// The streets the user may keep indicators of: none is a 403 (an indicator outside them
    /// is a 404 before this is read).
    fn data(conn: &mut AnyConnection, user: &CurrentUser) -> AppResult<Vec<Street>> {
        let streets = models::streets(conn, user)?;
        if streets.is_empty() {
            return Err(AppError::Forbidden);
        }
        Ok(streets)
    }
    fn version(i: &Indicator) -> i32 {
        i.version
    }
    /// `?unit=&year=` preset the street and the year.
    fn blank(on: &On<'_>, streets: &Vec<Street>) -> IndicatorForm {
        let q = web::Query::<ReportQuery>::from_query(on.query)
            .map(web::Query::into_inner)
            .unwrap_or_default();
        let (year, _, _) = q.period(on.today);
        IndicatorForm {
            unit_id: match q.unit.trim() {
                "" => streets[0].id.to_string(),
                u => u.to_string(),
            },
            year: year.to_string(),
            count_unit: "人".into(),
            summed: "1".into(),
            ..Default::default()
        }
    }
    fn form_of(i: &Indicator) -> IndicatorForm {
        IndicatorForm::from_indicator(i)
    }
    fn parse(
        f: &IndicatorForm,
        d: &Vec<Street>,
        on: &On<'_>,
        _: Option<&Indicator>,
    ) -> Parsed<IndicatorFields> {
        f.parse(d, on.today)
    }
    fn labelled(f: &IndicatorForm, _: &Vec<Street>) -> Labelled {
        labelled(f)
    }
    fn named(f: &IndicatorFields) -> (&str, &str) {
        (&f.name, &f.scope_path)
    }
    fn page(
        ctx: Ctx,
        f: IndicatorForm,
        e: FormErrors,
        d: &Vec<Street>,
        i: Option<&Indicator>,
    ) -> IndicatorFormPage {
        IndicatorFormPage::new(ctx, f, e, d, i.map(|i| i.id))
    }
    fn insert(conn: &mut AnyConnection, f: &IndicatorFields, _: &CurrentUser) -> AppResult<i32> {
        models::insert(conn, f, db::now())
    }
    /// The entries are kept in the unit's step, for the year and street they were made for: an
    /// indicator with entries keeps them.
    fn update(conn: &mut AnyConnection, i: &Indicator, seen: i32, f: &IndicatorFields) -> Written {
        let unit_changed = domain::decimals(&f.count_unit) != domain::decimals(&i.count_unit)
            || f.year != i.year
            || f.unit_id != i.unit_id;
        if unit_changed && !models::entries_of(conn, &[i.id])?.is_empty() {
            return Ok(Saved::refused("count_unit", "livelihood.unit_locked"));
        }
        models::update(conn, i.id, seen, f, db::now()).map(Saved::written)
    }
    fn audit<A: Serialize>(conn: &mut AnyConnection, c: &Change<'_, A>) -> AppResult<()> {
        crate::audit::change(conn, c)
    }
}
