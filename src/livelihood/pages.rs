//! Templates of the livelihood report and the row views they (and the exports) read.

use askama::Template;

use super::domain::{self, Pace, UNITS};
use super::forms::{EntryForm, IndicatorForm, ReportQuery};
use super::models::{Entry, Indicator, Street};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The streets in scope as choices.
pub fn street_choices(streets: &[Street]) -> Vec<Choice> {
    streets.iter().map(|s| Choice::new(s.id, &s.name)).collect()
}

/// The months as choices ("1月" … "12月").
pub fn month_choices(ctx: &Ctx) -> Vec<Choice> {
    (1..=12)
        .map(|m| Choice::new(m, ctx.ta1("livelihood.month_n", "month", m)))
        .collect()
}

/// How the completion compares with 时序进度, in words.
pub fn pace_text(ctx: &Ctx, pace: Pace) -> String {
    match pace {
        Pace::Ahead(p) => ctx.ta1("livelihood.ahead", "points", format!("{p:.1}")),
        Pace::Behind(p) => ctx.ta1("livelihood.behind", "points", format!("{p:.1}")),
        Pace::Even => ctx.t("livelihood.even"),
        Pace::Unknown => "—".into(),
    }
}

/// "林山寨街道民生工作月报（2026年3月）".
pub fn report_title(ctx: &Ctx, street: &str, year: i32, month: u32) -> String {
    ctx.ta(
        "livelihood.report_title",
        &[
            ("street", street.to_string()),
            ("year", year.to_string()),
            ("month", month.to_string()),
        ],
    )
}

/// One indicator's line of the monthly report (the page, the print and the export).
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub id: i32,
    pub name: String,
    pub count_unit: String,
    pub office: String,
    pub summed: bool,
    pub month: String,
    pub cumulative: String,
    pub target: String,
    pub completion: String,
    pub schedule: String,
    pub pace: String,
    pub behind: bool,
    pub gap: String,
    /// The same month's cumulative figure last year, and the change to this year's (同比).
    pub last_year: String,
    pub year_on_year: String,
}

impl ReportRow {
    /// `before`: last year's indicator of the same name and unit (summed, its entries).
    pub fn of(
        ctx: &Ctx,
        i: &Indicator,
        entries: &[(i32, i64)],
        month: u32,
        before: Option<(bool, Vec<(i32, i64)>)>,
    ) -> ReportRow {
        let d = domain::decimals(&i.count_unit);
        let s = domain::standing(i.summed, i.target, &domain::month_figures(entries), month);
        let last = before
            .and_then(|(summed, e)| domain::cumulative(summed, &domain::month_figures(&e), month));
        let amount = |v: Option<i64>| v.map(|v| domain::format_amount(v, d)).unwrap_or_default();
        ReportRow {
            id: i.id,
            name: i.name.clone(),
            count_unit: i.count_unit.clone(),
            office: i.office.clone(),
            summed: i.summed,
            month: amount(s.month),
            cumulative: amount(s.cumulative),
            target: domain::format_amount(i.target, d),
            completion: s.completion.display(),
            schedule: s.schedule.display(),
            pace: pace_text(ctx, s.pace()),
            behind: s.behind(),
            gap: domain::format_amount(s.gap, d),
            last_year: amount(last),
            year_on_year: domain::year_on_year(s.cumulative, last).display(),
        }
    }
}

/// The monthly report (`/livelihood`, and `/livelihood/print` with `printing`).
#[derive(Template)]
#[template(path = "livelihood/report.html")]
pub struct ReportPage {
    pub ctx: Ctx,
    pub q: ReportQuery,
    pub streets: Vec<Choice>,
    pub street: Option<Street>,
    pub year: i32,
    pub month: u32,
    pub errors: FormErrors,
    pub rows: Vec<ReportRow>,
    pub frozen: bool,
    pub future: bool,
    pub may_freeze: bool,
    pub may_keep: bool,
    pub query: String,
    pub printing: bool,
    pub title: String,
}

/// What the street, year and month filter (`_filters.html`) reads of a page.
macro_rules! period_filter {
    ($($page:ty),+ $(,)?) => {
        $(impl $page {
            pub fn unit_value(&self) -> String {
                self.street.as_ref().map(|s| s.id.to_string()).unwrap_or_default()
            }
            pub fn month_value(&self) -> String {
                self.month.to_string()
            }
            pub fn month_list(&self) -> Vec<Choice> {
                month_choices(&self.ctx)
            }
        })+
    };
}

period_filter!(ReportPage, YearPage, IndicatorsPage);

impl ReportPage {
    /// "2026年3月".
    pub fn period(&self) -> String {
        self.ctx.ta(
            "livelihood.period",
            &[
                ("year", self.year.to_string()),
                ("month", self.month.to_string()),
            ],
        )
    }

    /// 时序进度 at the end of the month.
    pub fn schedule(&self) -> String {
        domain::schedule(self.month).display()
    }

    pub fn behind_count(&self) -> usize {
        self.rows.iter().filter(|r| r.behind).count()
    }
}

/// One indicator's line of the year view: the twelve months' figures.
#[derive(Debug, Clone)]
pub struct YearRow {
    pub id: i32,
    pub name: String,
    pub count_unit: String,
    pub months: Vec<String>,
    pub cumulative: String,
    pub target: String,
    pub completion: String,
}

impl YearRow {
    /// The year up to month `upto` (12 for a past year).
    pub fn of(i: &Indicator, entries: &[(i32, i64)], upto: u32) -> YearRow {
        let d = domain::decimals(&i.count_unit);
        let months = domain::month_figures(entries);
        let s = domain::standing(i.summed, i.target, &months, upto);
        YearRow {
            id: i.id,
            name: i.name.clone(),
            count_unit: i.count_unit.clone(),
            months: months
                .iter()
                .map(|v| v.map(|v| domain::format_amount(v, d)).unwrap_or_default())
                .collect(),
            cumulative: s
                .cumulative
                .map(|v| domain::format_amount(v, d))
                .unwrap_or_default(),
            target: domain::format_amount(i.target, d),
            completion: s.completion.display(),
        }
    }
}

/// The year view (`/livelihood/year`): 12 months by indicator.
#[derive(Template)]
#[template(path = "livelihood/year.html")]
pub struct YearPage {
    pub ctx: Ctx,
    pub q: ReportQuery,
    pub streets: Vec<Choice>,
    pub street: Option<Street>,
    pub year: i32,
    pub month: u32,
    pub errors: FormErrors,
    pub rows: Vec<YearRow>,
    pub frozen: Vec<i32>,
    pub query: String,
}

impl YearPage {
    pub fn is_frozen(&self, m: &usize) -> bool {
        self.frozen.contains(&(*m as i32 + 1))
    }
}

/// The indicator catalogue of a street and year (`/livelihood/indicators`).
#[derive(Template)]
#[template(path = "livelihood/indicators.html")]
pub struct IndicatorsPage {
    pub ctx: Ctx,
    pub q: ReportQuery,
    pub streets: Vec<Choice>,
    pub street: Option<Street>,
    pub year: i32,
    pub month: u32,
    pub errors: FormErrors,
    pub rows: Vec<Indicator>,
    pub may_keep: bool,
    pub query: String,
}

impl IndicatorsPage {
    pub fn target(&self, i: &Indicator) -> String {
        domain::format_amount(i.target, domain::decimals(&i.count_unit))
    }
}

/// The indicator form (new and edit).
#[derive(Template)]
#[template(path = "livelihood/indicator_form.html")]
pub struct IndicatorFormPage {
    pub ctx: Ctx,
    pub form: IndicatorForm,
    pub errors: FormErrors,
    pub streets: Vec<Choice>,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub action: String,
    pub indicator_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

impl IndicatorFormPage {
    pub fn new(
        ctx: Ctx,
        form: IndicatorForm,
        errors: FormErrors,
        streets: &[Street],
        indicator_id: Option<i32>,
    ) -> IndicatorFormPage {
        IndicatorFormPage {
            streets: street_choices(streets),
            units: UNITS.iter().map(|u| Choice::new(u, u)).collect(),
            kinds: vec![
                Choice::new("1", ctx.t("livelihood.kind_summed")),
                Choice::new("0", ctx.t("livelihood.kind_stock")),
            ],
            action: match indicator_id {
                Some(id) => format!("/livelihood/indicators/{id}"),
                None => "/livelihood/indicators".into(),
            },
            indicator_id,
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(IndicatorFormPage);

/// One month of an indicator's page.
#[derive(Debug, Clone)]
pub struct MonthLine {
    pub month: u32,
    pub figure: String,
    pub cumulative: String,
    pub entries: usize,
    pub frozen: bool,
}

/// One entry of an indicator's history.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub month: i32,
    pub amount: String,
    pub reason: String,
    pub author: String,
    pub at: String,
}

/// An indicator's page: its months, its entries, the entry form.
#[derive(Template)]
#[template(path = "livelihood/indicator.html")]
pub struct IndicatorPage {
    pub ctx: Ctx,
    pub i: Indicator,
    pub street: String,
    pub target: String,
    pub lines: Vec<MonthLine>,
    pub history: Vec<EntryView>,
    pub form: EntryForm,
    pub errors: FormErrors,
    pub months: Vec<Choice>,
    pub may_keep: bool,
}

impl IndicatorPage {
    #[expect(
        clippy::too_many_arguments,
        reason = "one argument per part of the page"
    )]
    pub fn new(
        ctx: Ctx,
        i: Indicator,
        street: String,
        entries: &[Entry],
        frozen: &[i32],
        form: EntryForm,
        errors: FormErrors,
        may_keep: bool,
    ) -> IndicatorPage {
        let d = domain::decimals(&i.count_unit);
        let pairs: Vec<(i32, i64)> = entries.iter().map(|e| (e.month, e.amount)).collect();
        let figures = domain::month_figures(&pairs);
        let lines = (1..=12u32)
            .map(|m| MonthLine {
                month: m,
                figure: figures[(m - 1) as usize]
                    .map(|v| domain::format_amount(v, d))
                    .unwrap_or_default(),
                cumulative: domain::cumulative(i.summed, &figures, m)
                    .map(|v| domain::format_amount(v, d))
                    .unwrap_or_default(),
                entries: entries.iter().filter(|e| e.month == m as i32).count(),
                frozen: frozen.contains(&(m as i32)),
            })
            .collect();
        let history = entries
            .iter()
            .rev()
            .map(|e| EntryView {
                month: e.month,
                amount: domain::format_amount(e.amount, d),
                reason: e.reason.clone(),
                author: e.author_name.clone(),
                at: ctx.dt(&e.created_at),
            })
            .collect();
        IndicatorPage {
            months: month_choices(&ctx),
            target: domain::format_amount(i.target, d),
            lines,
            history,
            street,
            i,
            form,
            errors,
            may_keep,
            ctx,
        }
    }
}
