//! The figures page and the rows its tables, charts and export show.

use std::collections::BTreeMap;

use askama::Template;

use super::domain::{Rates, Tally, rates};
use super::forms::FiguresQuery;
use super::models::UnitFigures;
use crate::issues::models::CategoryRow;
use crate::org::models::OrgUnit;
use crate::web::charts::{self, Series};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::Sheet;

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

/// The tables of a unit's figures: the total, by month, by category (majors with their minors
/// beneath) and by child unit.
pub struct Tables {
    pub total: FigRow,
    pub months: Vec<FigRow>,
    pub categories: Vec<FigRow>,
    pub children: Vec<FigRow>,
}

impl Tables {
    /// Sums the months of `f`; month rows before `this_month` offer freezing when `can_freeze`.
    pub fn of(
        f: &UnitFigures,
        q: &FiguresQuery,
        ctx: &Ctx,
        can_freeze: bool,
        this_month: &str,
    ) -> Tables {
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
        let (from, to) = (&q.from, &q.to);
        let children = f
            .children
            .iter()
            .map(|u| {
                let t = by_child.get(&u.id).copied().unwrap_or_default();
                let mut row = FigRow::new(u.name.clone(), t);
                row.href = Some(format!("/issues/figures?unit={}&from={from}&to={to}", u.id));
                row
            })
            .collect();
        Tables {
            total: FigRow::new(ctx.t("figures.total"), total),
            months,
            categories: category_rows(&f.cats, &by_cat),
            children,
        }
    }
}

/// Majors with their minors beneath; a major's row sums its minors. Categories without any
/// count are left out.
fn category_rows(cats: &[CategoryRow], by_cat: &BTreeMap<i32, Tally>) -> Vec<FigRow> {
    let mut rows = Vec::new();
    for major in cats.iter().filter(|c| c.is_major()) {
        let minors: Vec<&CategoryRow> = cats
            .iter()
            .filter(|c| c.parent_id == Some(major.id))
            .collect();
        let mut sum = by_cat.get(&major.id).copied().unwrap_or_default();
        for m in &minors {
            if let Some(t) = by_cat.get(&m.id) {
                sum.add(t);
            }
        }
        if sum.is_zero() {
            continue;
        }
        let mut head = FigRow::new(major.name.clone(), sum);
        head.major = true;
        rows.push(head);
        for m in minors {
            if let Some(t) = by_cat.get(&m.id).filter(|t| !t.is_zero()) {
                rows.push(FigRow::new(m.name.clone(), *t));
            }
        }
    }
    rows
}

#[derive(Template)]
#[template(path = "issues/figures/show.html")]
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

impl FiguresPage {
    /// The page of `f` for the period in `q`, with its charts drawn from the tables.
    pub fn new(
        ctx: Ctx,
        f: UnitFigures,
        q: FiguresQuery,
        errors: FormErrors,
        t: Tables,
    ) -> FiguresPage {
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
        let closure_rates: Vec<(String, f64)> = t
            .children
            .iter()
            .filter(|r| r.r.closure.den > 0)
            .map(|r| (r.label.clone(), r.r.closure.percent().unwrap_or(0.0)))
            .collect();
        let child_chart = charts::hbars(
            &closure_rates,
            100.0,
            "%",
            720,
            &ctx.t("figures.closure_by_unit"),
        );
        let reported: Vec<(String, f64)> = t
            .categories
            .iter()
            .filter(|r| r.major)
            .map(|r| (r.label.clone(), r.t.reported as f64))
            .collect();
        let category_chart = charts::hbars(
            &reported,
            0.0,
            "",
            720,
            &ctx.t("figures.reported_by_category"),
        );
        FiguresPage {
            any_frozen: t.months.iter().any(|m| m.frozen_at.is_some()),
            period: ctx.ta(
                "figures.period_range",
                &[("from", q.from.clone()), ("to", q.to.clone())],
            ),
            ctx,
            unit: f.unit,
            q,
            errors,
            units: f.units,
            total: t.total,
            months: t.months,
            categories: t.categories,
            children: t.children,
            month_chart,
            child_chart,
            category_chart,
        }
    }
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

fn cells(r: &FigRow) -> Vec<String> {
    vec![
        r.label.clone(),
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

/// The export's sheets: the page's tables, one sheet each (the months with the total).
pub fn sheets(ctx: &Ctx, t: &Tables) -> Vec<Sheet> {
    let sheet = |name_key: &str, first_key: &str, rows: Vec<Vec<String>>| Sheet {
        name: ctx.t(name_key),
        headers: std::iter::once(first_key)
            .chain(HEADERS)
            .map(|k| ctx.t(k))
            .collect(),
        rows,
    };
    let months = t.months.iter().chain([&t.total]).map(cells).collect();
    vec![
        sheet("figures.by_month", "figures.month", months),
        sheet(
            "figures.by_category",
            "issues.category",
            t.categories.iter().map(cells).collect(),
        ),
        sheet(
            "figures.by_unit",
            "figures.unit",
            t.children.iter().map(cells).collect(),
        ),
    ]
}
