//! Livelihood handlers: the monthly report with its print, export and year view, freezing a
//! month, the indicator catalogue and form, an indicator's page and its monthly entries.

use actix_session::Session;
use actix_web::{HttpRequest, HttpResponse, web};

use super::domain;
use super::forms::{EntryForm, FreezeForm, IndicatorForm, ReportQuery, labelled};
use super::models::{self, Indicator, NewEntry, Street, YearData};
use super::pages::{
    IndicatorFormPage, IndicatorPage, IndicatorsPage, ReportPage, ReportRow, YearPage, YearRow,
    report_title, street_choices,
};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::{AppError, AppResult};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::Ctx;
use crate::web::edit::{self, Saved, VersionedForm, labelled_json};
use crate::web::forms::FormErrors;
use crate::web::{AppState, render_ok};

/// The audit log's names.
const INDICATOR: &str = "livelihood_indicator";
const ENTRY: &str = "livelihood_entry";
const MONTH: &str = "livelihood_month";

/// The streets in scope, the one asked for, and its year's data.
async fn load(
    state: &AppState,
    user: &CurrentUser,
    unit: &str,
    year: i32,
) -> AppResult<(Vec<Street>, Option<Street>, Option<YearData>)> {
    let (u, unit) = (user.clone(), unit.to_string());
    db::run(&state.pool, move |conn| {
        let streets = models::streets(conn, &u)?;
        let street = models::pick_street(&streets, &unit)?;
        let data = match &street {
            Some(s) => Some(models::year_data(conn, s.id, year)?),
            None => None,
        };
        Ok((streets, street, data))
    })
    .await
}

async fn report_page(
    req: &HttpRequest,
    user: CurrentUser,
    state: &AppState,
    q: ReportQuery,
    printing: bool,
) -> AppResult<ReportPage> {
    let today = state.today();
    let (year, month, errors) = q.period(today);
    let (streets, street, data) = load(state, &user, &q.unit, year).await?;
    // The same street's indicators of the year before, for 同比.
    let last = match &street {
        Some(s) => {
            let id = s.id;
            Some(
                db::run(&state.pool, move |conn| {
                    models::year_data(conn, id, year - 1)
                })
                .await?,
            )
        }
        None => None,
    };
    let ctx = Ctx::build(req, Some(user.clone()));
    let rows = data
        .as_ref()
        .map(|d| {
            d.indicators
                .iter()
                .map(|i| {
                    let before = last.as_ref().and_then(|l| {
                        l.indicators
                            .iter()
                            .find(|p| p.name == i.name && p.count_unit == i.count_unit)
                            .map(|p| (p.summed, l.of(p.id)))
                    });
                    ReportRow::of(&ctx, i, &d.of(i.id), month, before)
                })
                .collect()
        })
        .unwrap_or_default();
    let frozen = data
        .as_ref()
        .is_some_and(|d| d.frozen.contains(&(month as i32)));
    let path = street.as_ref().map(|s| s.path.clone()).unwrap_or_default();
    let title = street
        .as_ref()
        .map(|s| report_title(&ctx, &s.name, year, month))
        .unwrap_or_else(|| ctx.t("livelihood.title"));
    Ok(ReportPage {
        streets: street_choices(&streets),
        may_freeze: street.is_some() && domain::may_freeze(&user, &path),
        may_keep: street.is_some() && domain::may_keep(&user, &path),
        future: domain::is_future(year, month, today),
        query: format!(
            "unit={}&year={year}&month={month}",
            street.as_ref().map(|s| s.id).unwrap_or_default()
        ),
        street,
        year,
        month,
        errors,
        rows,
        frozen,
        printing,
        title,
        q,
        ctx,
    })
}

/// GET /livelihood — the monthly report of a street (`?unit=&year=&month=`).
pub async fn report(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&report_page(&req, user, &state, q.into_inner(), false).await?)
}

/// GET /livelihood/print — the report on A4 in the shared print frame.
pub async fn print(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    render_ok(&report_page(&req, user, &state, q.into_inner(), true).await?)
}

/// GET /livelihood/export.xlsx — the report's rows.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let p = report_page(&req, user, &state, q.into_inner(), false).await?;
    let rows: Vec<Vec<String>> = p
        .rows
        .iter()
        .map(|r| {
            vec![
                r.name.clone(),
                r.count_unit.clone(),
                r.office.clone(),
                r.month.clone(),
                r.cumulative.clone(),
                r.target.clone(),
                r.completion.clone(),
                r.schedule.clone(),
                r.pace.clone(),
                r.gap.clone(),
                r.last_year.clone(),
                r.year_on_year.clone(),
            ]
        })
        .collect();
    crate::web::xlsx::respond(
        &p.ctx,
        &format!("livelihood-{}-{:02}.xlsx", p.year, p.month),
        "livelihood",
        &[
            "livelihood.name",
            "livelihood.count_unit",
            "livelihood.office",
            "livelihood.this_month",
            "livelihood.cumulative",
            "livelihood.target",
            "livelihood.completion",
            "livelihood.schedule",
            "livelihood.pace",
            "livelihood.gap",
            "livelihood.last_year",
            "livelihood.year_on_year",
        ],
        &rows,
    )
}

/// GET /livelihood/year — twelve months by indicator.
pub async fn year(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let q = q.into_inner();
    let today = state.today();
    let (year, month, errors) = q.period(today);
    let upto = if year == chrono::Datelike::year(&today) {
        month
    } else {
        12
    };
    let (streets, street, data) = load(&state, &user, &q.unit, year).await?;
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&YearPage {
        streets: street_choices(&streets),
        rows: data
            .as_ref()
            .map(|d| {
                d.indicators
                    .iter()
                    .map(|i| YearRow::of(i, &d.of(i.id), upto))
                    .collect()
            })
            .unwrap_or_default(),
        frozen: data.map(|d| d.frozen).unwrap_or_default(),
        query: format!(
            "unit={}&year={year}",
            street.as_ref().map(|s| s.id).unwrap_or_default()
        ),
        street,
        year,
        month,
        errors,
        q,
        ctx,
    })
}

/// POST /livelihood/freeze — 报送: the street's month takes no more entries.
pub async fn freeze(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<FreezeForm>,
) -> AppResult<HttpResponse> {
    let f = form.0;
    let q = ReportQuery {
        unit: f.unit.clone(),
        year: f.year.clone(),
        month: f.month.clone(),
    };
    let (year, month, errors) = q.period(state.today());
    if !errors.is_empty()
        || f.month.trim().is_empty()
        || domain::is_future(year, month, state.today())
    {
        return Err(AppError::BadRequest);
    }
    let u = user.clone();
    let street = db::run(&state.pool, move |conn| {
        let streets = models::streets(conn, &u)?;
        models::pick_street(&streets, &f.unit)?.ok_or(AppError::NotFound)
    })
    .await?;
    if !domain::may_freeze(&user, &street.path) {
        return Err(AppError::Forbidden);
    }
    let (s, actor, uid) = (street.clone(), user.actor(), user.id);
    db::run_write(&state.pool, move |conn| {
        if models::freeze(conn, s.id, (year, month as i32), uid, db::now())? {
            let summary = format!("{} {year}-{month:02}", s.name);
            crate::audit::record(
                conn,
                &actor,
                "freeze_figures",
                MONTH,
                Some(s.id),
                &summary,
                None::<&()>,
                Some(&serde_json::json!({ "year": year, "month": month })),
                &s.path,
            )?;
        }
        Ok(())
    })
    .await?;
    crate::web::ctx::flash(&session, "ok", "livelihood.frozen_done", &[]);
    Ok(crate::web::see_other(&format!(
        "/livelihood?unit={}&year={year}&month={month}",
        street.id
    )))
}

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

/// The streets the user may keep indicators of (403 when none).
async fn keeping_streets(state: &AppState, user: &CurrentUser) -> AppResult<Vec<Street>> {
    if !user.role.is_office_staff() {
        return Err(AppError::Forbidden);
    }
    let u = user.clone();
    let streets = db::run(&state.pool, move |conn| models::streets(conn, &u)).await?;
    if streets.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(streets)
}

/// GET /livelihood/indicators/new (`?unit=&year=` preset)
pub async fn new_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let streets = keeping_streets(&state, &user).await?;
    let (year, _, _) = q.period(state.today());
    let form = IndicatorForm {
        unit_id: match q.unit.trim() {
            "" => streets[0].id.to_string(),
            u => u.to_string(),
        },
        year: year.to_string(),
        count_unit: "人".into(),
        summed: "1".into(),
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    };
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&IndicatorFormPage::new(
        ctx,
        form,
        FormErrors::new(),
        &streets,
        None,
    ))
}

/// POST /livelihood/indicators
pub async fn create(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<IndicatorForm>,
) -> AppResult<HttpResponse> {
    let streets = keeping_streets(&state, &user).await?;
    let form = form.0;
    let fields = match form.parse(&streets, state.today()) {
        Ok(f) => f,
        Err(e) => {
            let ctx = Ctx::build(&req, Some(user));
            return edit::invalid(&IndicatorFormPage::new(ctx, form, e, &streets, None));
        }
    };
    let actor = user.actor();
    let once = (form.form_token, user.id);
    edit::create(&state.pool, &session, once, "flash.saved", move |conn| {
        let id = models::insert(conn, &fields, db::now())?;
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::created(conn, &actor, INDICATOR, id, name, &fields, scope)?;
        Ok(format!("/livelihood/indicators/{id}"))
    })
    .await
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

/// The indicator if the user may edit it, with the streets the form offers.
async fn load_for_edit(
    state: &AppState,
    user: &CurrentUser,
    id: i32,
) -> AppResult<(Indicator, Vec<Street>)> {
    let u = user.clone();
    let (i, streets) = db::run(&state.pool, move |conn| {
        Ok((
            models::get_scoped(conn, &u, id)?,
            models::streets(conn, &u)?,
        ))
    })
    .await?;
    if !domain::may_keep(user, &i.scope_path) {
        return Err(AppError::Forbidden);
    }
    Ok((i, streets))
}

/// GET /livelihood/indicators/{id}/edit
pub async fn edit_form(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let (i, streets) = load_for_edit(&state, &user, path.into_inner()).await?;
    let form = IndicatorForm::from_indicator(&i);
    let ctx = Ctx::build(&req, Some(user));
    render_ok(&IndicatorFormPage::new(
        ctx,
        form,
        FormErrors::new(),
        &streets,
        Some(i.id),
    ))
}

/// POST /livelihood/indicators/{id}
pub async fn update(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<i32>,
    form: CsrfForm<IndicatorForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let mut form = form.0;
    let (i, streets) = load_for_edit(&state, &user, id).await?;
    let ctx = || Ctx::build(&req, Some(user.clone()));
    let fields = match form.parse(&streets, state.today()) {
        Ok(f) => f,
        Err(e) => {
            return edit::invalid(&IndicatorFormPage::new(ctx(), form, e, &streets, Some(id)));
        }
    };
    let before = labelled_json(&labelled(&IndicatorForm::from_indicator(&i)));
    let after = labelled_json(&labelled(&form));
    let (u, seen) = (user.clone(), form.seen_version());
    let unit_changed = domain::decimals(&fields.count_unit) != domain::decimals(&i.count_unit)
        || fields.year != i.year
        || fields.unit_id != i.unit_id;
    let saved = db::run_write(&state.pool, move |conn| {
        // The entries are kept in the unit's step, for the year and street they were made for.
        if unit_changed && !models::entries_of(conn, &[id])?.is_empty() {
            return Ok(Saved::refused("count_unit", "livelihood.unit_locked"));
        }
        if !models::update(conn, id, seen, &fields, db::now())? {
            return Ok(Saved::Stale(models::get_scoped(conn, &u, id)?));
        }
        let (name, scope) = (&fields.name, &fields.scope_path);
        crate::audit::updated(
            conn,
            &u.actor(),
            INDICATOR,
            id,
            name,
            &before,
            &after,
            scope,
        )?;
        Ok(Saved::Done)
    })
    .await?;
    let done = format!("/livelihood/indicators/{id}");
    edit::answer(&session, saved, ("flash.saved", &done), |latest, e| {
        let conflicts = latest.as_ref().map(|l| {
            let (mine, theirs) = (labelled(&form), labelled(&IndicatorForm::from_indicator(l)));
            edit::stale(&mut form, l.version, &mine, &theirs)
        });
        let mut p = IndicatorFormPage::new(ctx(), form, e, &streets, Some(id));
        p.conflicts = conflicts.unwrap_or_default();
        p
    })
}
