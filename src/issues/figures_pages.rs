//! The figures page (/issues/figures), its export and the freezing of months.

use std::collections::BTreeMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use super::figures::{self, MonthFigures, Rates, months_between, parse_month, rates};
use super::models::{self, CategoryRow};
use super::stats::Tally;
use crate::auth::{CurrentUser, Role};
use crate::db::{self, AnyConnection};
use crate::error::{AppError, AppResult};
use crate::org::models::OrgUnit;
use crate::web::charts::{self, Series};
use crate::web::csrf::CsrfForm;
use crate::web::ctx::{Ctx, flash};
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::{Sheet, respond_sheets};
use crate::web::{AppState, render_status, see_other};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FiguresQuery {
    pub unit: String,
    pub from: String,
    pub to: String,
}

/// A row of a figures table.
pub struct FigRow {
    pub label: String,
    /// Drill-down link (a child unit's figures), if any.
    pub href: Option<String>,
    /// A heading row (a major category) rather than a detail row.
    pub major: bool,
    pub t: Tally,
    pub r: Rates,
    /// For month rows: when it was frozen; whether it can be frozen now.
    pub frozen_at: Option<String>,
    pub can_freeze: bool,
    pub month: String,
}

impl FigRow {
    fn new(label: String, t: Tally) -> FigRow {
        FigRow {
            label,
            href: None,
            major: false,
            r: rates(&t),
            t,
            frozen_at: None,
            can_freeze: false,
            month: String::new(),
        }
    }

    pub fn avg_days(&self) -> String {
        self.r
            .avg_days
            .map(|d| format!("{d:.1}"))
            .unwrap_or_else(|| "—".into())
    }
}

#[derive(Template)]
#[template(path = "issues/figures.html")]
pub struct FiguresPage {
    pub ctx: Ctx,
    pub unit: OrgUnit,
    pub q: FiguresQuery,
    /// "统计期间：2026-01 至 2026-11".
    pub period: String,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub total: FigRow,
    pub months: Vec<FigRow>,
    pub categories: Vec<FigRow>,
    pub children: Vec<FigRow>,
    pub month_chart: String,
    pub child_chart: String,
    pub category_chart: String,
    pub any_frozen: bool,
}

/// Everything the page and the export show.
struct Figures {
    unit: OrgUnit,
    q: FiguresQuery,
    errors: FormErrors,
    units: Vec<Choice>,
    months: Vec<(String, MonthFigures, Option<chrono::NaiveDateTime>)>,
    cats: Vec<CategoryRow>,
    children: Vec<(i32, String)>,
}

/// Reads the query: the unit (in scope, else 404) and a period of at most three years; bad
/// months get a message and the default period.
fn period(q: &FiguresQuery, today: chrono::NaiveDate) -> (String, String, FormErrors) {
    let mut e = FormErrors::new();
    let this_month = today.format("%Y-%m").to_string();
    let jan = format!("{}-01", today.year());
    let from = if q.from.trim().is_empty() {
        jan.clone()
    } else if parse_month(&q.from).is_some() {
        q.from.trim().to_string()
    } else {
        e.add("from", "figures.month_invalid");
        jan.clone()
    };
    let to = if q.to.trim().is_empty() {
        this_month.clone()
    } else if parse_month(&q.to).is_some() {
        q.to.trim().to_string()
    } else {
        e.add("to", "figures.month_invalid");
        this_month.clone()
    };
    if e.is_empty() {
        let (a, b) = (parse_month(&from), parse_month(&to));
        if a > b {
            e.add("to", "figures.to_before_from");
        } else if months_between(a.unwrap_or(today), b.unwrap_or(today)).len() > 36 {
            e.add("to", "figures.too_long");
        }
    }
    if e.is_empty() {
        (from, to, e)
    } else {
        (jan, this_month, e)
    }
}

fn load(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    q: &FiguresQuery,
    today: chrono::NaiveDate,
    tz: chrono_tz::Tz,
) -> AppResult<Figures> {
    let unit_id = q.unit.trim().parse::<i32>().unwrap_or(user.org_unit_id);
    let unit = crate::org::models::get_scoped(conn, user, unit_id)?;
    let (from, to, errors) = period(q, today);
    let months = months_between(
        parse_month(&from).unwrap_or(today),
        parse_month(&to).unwrap_or(today),
    );
    let mut live = figures::live(
        conn,
        unit.id,
        &unit.path,
        unit.depth,
        &months,
        db::now(),
        tz,
    )?;
    let frozen = figures::frozen(conn, unit.id, &months)?;
    let months = months
        .into_iter()
        .map(|m| match frozen.get(&m) {
            Some((f, at)) => (m, f.clone(), Some(*at)),
            None => {
                let f = live.remove(&m).unwrap_or_default();
                (m, f, None)
            }
        })
        .collect();
    // The unit box offers the user's own level and the one below (a city's streets, a street's
    // communities); deeper units are reached through the links of the table by unit.
    let user_depth = crate::org::models::get(conn, user.org_unit_id)?.depth;
    let units = crate::org::models::options(conn, user, false)?
        .into_iter()
        .filter(|(id, _, depth, _)| *depth <= user_depth + 1 || *id == unit.id)
        .map(crate::org::models::choice)
        .collect();
    Ok(Figures {
        children: figures::children(conn, unit.id)?,
        cats: models::categories(conn)?,
        unit,
        q: FiguresQuery {
            unit: unit_id.to_string(),
            from,
            to,
        },
        errors,
        units,
        months,
    })
}

struct Tables {
    total: FigRow,
    months: Vec<FigRow>,
    categories: Vec<FigRow>,
    children: Vec<FigRow>,
}

fn tables(f: &Figures, ctx: &Ctx, can_freeze: bool, this_month: &str) -> Tables {
    let mut total = Tally::default();
    let mut by_cat: BTreeMap<i32, Tally> = BTreeMap::new();
    let mut by_child: BTreeMap<i32, Tally> = BTreeMap::new();
    let mut months = Vec::new();
    for (m, mf, frozen_at) in &f.months {
        let t = mf.total();
        total.add(&t);
        for (k, v) in &mf.by_category {
            by_cat.entry(*k).or_default().add(v);
        }
        for (k, v) in &mf.by_child {
            by_child.entry(*k).or_default().add(v);
        }
        let mut row = FigRow::new(m.clone(), t);
        row.month = m.clone();
        row.frozen_at = frozen_at.map(|at| ctx.dt(&at));
        row.can_freeze = can_freeze && frozen_at.is_none() && m.as_str() < this_month;
        months.push(row);
    }
    // Majors with their minors beneath; a major's row sums its minors.
    let mut categories = Vec::new();
    for major in f.cats.iter().filter(|c| c.1.is_none()) {
        let minors: Vec<&CategoryRow> = f.cats.iter().filter(|c| c.1 == Some(major.0)).collect();
        let mut sum = by_cat.get(&major.0).copied().unwrap_or_default();
        for m in &minors {
            if let Some(t) = by_cat.get(&m.0) {
                sum.add(t);
            }
        }
        if sum.is_zero() {
            continue;
        }
        let mut head = FigRow::new(major.2.clone(), sum);
        head.major = true;
        categories.push(head);
        for m in minors {
            if let Some(t) = by_cat.get(&m.0).filter(|t| !t.is_zero()) {
                categories.push(FigRow::new(m.2.clone(), *t));
            }
        }
    }
    let (from, to) = (&f.q.from, &f.q.to);
    let children = f
        .children
        .iter()
        .map(|(id, name)| {
            let mut row = FigRow::new(name.clone(), by_child.get(id).copied().unwrap_or_default());
            row.href = Some(format!("/issues/figures?unit={id}&from={from}&to={to}"));
            row
        })
        .collect();
    Tables {
        total: FigRow::new(ctx.t("figures.total"), total),
        months,
        categories,
        children,
    }
}

fn can_freeze(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Leader | Role::Admin)
}

/// GET /issues/figures
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today, tz) = (user.clone(), q.into_inner(), state.today(), state.tz);
    let f = db::run(&state.pool, move |conn| load(conn, &u, &q, today, tz)).await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let t = tables(
        &f,
        &ctx,
        can_freeze(&user),
        &today.format("%Y-%m").to_string(),
    );
    let labels: Vec<String> = t.months.iter().map(|r| r.label.clone()).collect();
    let col = |get: fn(&FigRow) -> f64| t.months.iter().map(get).collect::<Vec<f64>>();
    let month_chart = charts::grouped_bars(
        &labels,
        &[
            Series {
                name: ctx.t("figures.reported"),
                values: col(|r| r.t.reported as f64),
                class: "c1",
            },
            Series {
                name: ctx.t("figures.closed"),
                values: col(|r| r.t.closed as f64),
                class: "c2",
            },
        ],
        Some(&Series {
            name: ctx.t("figures.closure_rate"),
            values: col(|r| r.r.closure.percent().unwrap_or(f64::NAN)),
            class: "rate",
        }),
        720,
        260,
        &ctx.t("figures.by_month"),
    );
    let rate_rows = |rows: &[FigRow]| -> Vec<(String, f64)> {
        rows.iter()
            .filter(|r| r.r.closure.den > 0)
            .map(|r| (r.label.clone(), r.r.closure.percent().unwrap_or(0.0)))
            .collect()
    };
    let child_chart = charts::hbars(
        &rate_rows(&t.children),
        100.0,
        "%",
        720,
        &ctx.t("figures.closure_by_unit"),
    );
    let category_chart = charts::hbars(
        &t.categories
            .iter()
            .filter(|r| r.major)
            .map(|r| (r.label.clone(), r.t.reported as f64))
            .collect::<Vec<_>>(),
        0.0,
        "",
        720,
        &ctx.t("figures.reported_by_category"),
    );
    let status = if f.errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_status(
        &FiguresPage {
            any_frozen: t.months.iter().any(|m| m.frozen_at.is_some()),
            period: ctx.ta(
                "figures.period_range",
                &[("from", f.q.from.clone()), ("to", f.q.to.clone())],
            ),
            ctx,
            unit: f.unit,
            q: f.q,
            errors: f.errors,
            units: f.units,
            total: t.total,
            months: t.months,
            categories: t.categories,
            children: t.children,
            month_chart,
            child_chart,
            category_chart,
        },
        status,
    )
}

/// The columns of every figures table, as locale keys.
const HEADERS: [&str; 11] = [
    "figures.reported",
    "figures.registered",
    "figures.closed",
    "figures.due",
    "figures.closure_rate",
    "figures.closed_on_time",
    "figures.on_time_rate",
    "figures.reworked",
    "figures.rework_rate",
    "figures.overdue",
    "figures.avg_days",
];

fn cells(label: &str, r: &FigRow) -> Vec<String> {
    vec![
        label.to_string(),
        r.t.reported.to_string(),
        r.t.registered.to_string(),
        r.t.closed.to_string(),
        r.r.due.to_string(),
        r.r.closure.display(),
        r.t.closed_on_time.to_string(),
        r.r.on_time.display(),
        r.t.reworked.to_string(),
        r.r.rework.display(),
        r.t.overdue.to_string(),
        r.avg_days(),
    ]
}

/// GET /issues/figures/export.xlsx — the page's tables, one sheet each.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<HttpResponse> {
    let (u, q, today, tz) = (user.clone(), q.into_inner(), state.today(), state.tz);
    let f = db::run(&state.pool, move |conn| load(conn, &u, &q, today, tz)).await?;
    let ctx = Ctx::build(&req, Some(user));
    let t = tables(&f, &ctx, false, "");
    let sheet = |name_key: &str, first_key: &str, rows: Vec<Vec<String>>| Sheet {
        name: ctx.t(name_key),
        headers: std::iter::once(first_key)
            .chain(HEADERS)
            .map(|k| ctx.t(k))
            .collect(),
        rows,
    };
    let mut months: Vec<Vec<String>> = t.months.iter().map(|r| cells(&r.label, r)).collect();
    months.push(cells(&t.total.label, &t.total));
    let sheets = [
        sheet("figures.by_month", "figures.month", months),
        sheet(
            "figures.by_category",
            "issues.category",
            t.categories.iter().map(|r| cells(&r.label, r)).collect(),
        ),
        sheet(
            "figures.by_unit",
            "figures.unit",
            t.children.iter().map(|r| cells(&r.label, r)).collect(),
        ),
    ];
    respond_sheets("issue-figures.xlsx", &sheets)
}

#[derive(Debug, Deserialize)]
pub struct FreezeForm {
    pub unit: String,
    pub month: String,
}

/// POST /issues/figures/freeze — keeps a past month's figures of a unit as they are now.
pub async fn freeze(
    user: CurrentUser,
    state: web::Data<AppState>,
    session: Session,
    form: CsrfForm<FreezeForm>,
) -> AppResult<HttpResponse> {
    if !can_freeze(&user) {
        return Err(AppError::Forbidden);
    }
    let form = form.0;
    let this_month = state.today().format("%Y-%m").to_string();
    let month = parse_month(&form.month)
        .map(|d| d.format("%Y-%m").to_string())
        .filter(|m| *m < this_month)
        .ok_or(AppError::BadRequest)?;
    let unit_id: i32 = form.unit.trim().parse().map_err(|_| AppError::BadRequest)?;
    let (u, tz, m) = (user.clone(), state.tz, month.clone());
    let done = db::run_write(&state.pool, move |conn| {
        let unit = crate::org::models::get_scoped(conn, &u, unit_id)?;
        let months = vec![m.clone()];
        let mut live = figures::live(
            conn,
            unit.id,
            &unit.path,
            unit.depth,
            &months,
            db::now(),
            tz,
        )?;
        let f = live.remove(&m).unwrap_or_default();
        let done = figures::freeze(conn, unit.id, &m, &f, u.id)?;
        if done {
            crate::audit::record(
                conn,
                &u.actor(),
                "freeze_figures",
                "org_unit",
                Some(unit.id),
                &format!("{} {m}", unit.name),
                None::<&()>,
                Some(&f.total()),
                &unit.path,
            )?;
        }
        Ok(done)
    })
    .await?;
    flash(
        &session,
        if done { "ok" } else { "warn" },
        if done {
            "figures.frozen_flash"
        } else {
            "figures.already_frozen"
        },
        &[("month", month.clone())],
    );
    Ok(see_other(&format!(
        "/issues/figures?unit={unit_id}&from={month}&to={month}"
    )))
}
