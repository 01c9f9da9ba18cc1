//! The summary's page and its workbook's sheets.

use std::sync::Arc;

use askama::Template;

use super::domain::{BranchSummary, Summary, ThreeOne};
use super::forms::SummaryQuery;
use crate::party::domain::ACTIVITY_KINDS;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::Sheet;

/// The activity kinds as the summary names them.
pub fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    ACTIVITY_KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("party.summary.kind.{k}"))))
        .collect()
}

#[derive(Template)]
#[template(path = "party/summary/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub q: SummaryQuery,
    pub s: Arc<Summary>,
    pub unit_name: String,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub errors: FormErrors,
    pub export_query: String,
}

impl ShowPage {
    pub fn kind_label(&self, kind: &str) -> String {
        self.ctx.t(format!("party.summary.kind.{kind}"))
    }

    pub fn difficulty_label(&self, d: &str) -> String {
        self.ctx.t(format!("party.difficulty.{d}"))
    }

    pub fn period(&self) -> String {
        match self.s.quarter {
            Some(q) => self.ctx.ta(
                "party.summary.period_quarter",
                &[("year", self.s.year.to_string()), ("q", q.to_string())],
            ),
            None => self
                .ctx
                .ta1("party.summary.period_year", "year", self.s.year),
        }
    }

    /// The query of a street's own summary for the same period.
    pub fn street_query(&self, street: &i32) -> String {
        crate::web::pagination::query_string(&[
            ("unit", &street.to_string()),
            ("year", &self.s.year.to_string()),
            (
                "quarter",
                &self.s.quarter.map(|q| q.to_string()).unwrap_or_default(),
            ),
        ])
    }

    pub fn until(&self) -> String {
        until(&self.ctx, &self.s)
    }

    /// A branch's 三会一课 standing: met (是), failed (否), or its first period under way.
    pub fn standing(&self, b: &BranchSummary) -> String {
        standing(&self.ctx, b)
    }
}

/// Up to which day 三会一课 is judged (the year's last complete month).
fn until(ctx: &Ctx, s: &Summary) -> String {
    match s.until {
        Some(day) => ctx.ta1("party.summary.until", "day", ctx.date(&day)),
        None => ctx.t("party.summary.until_none"),
    }
}

fn standing(ctx: &Ctx, b: &BranchSummary) -> String {
    ctx.t(if b.fails() {
        "form.no"
    } else if b.meets() {
        "form.yes"
    } else {
        "party.summary.in_progress"
    })
}

/// The summary's tables as the workbook's sheets: per street first when the branches span
/// several, then months, kinds, quarters, 三会一课, silent branches and visits.
pub fn sheets(ctx: &Ctx, s: &Summary) -> Vec<Sheet> {
    let mut sheets = vec![
        months_sheet(ctx, s),
        kinds_sheet(ctx, s),
        quarters_sheet(ctx, s),
        three_one_sheet(ctx, s),
        silent_sheet(ctx, s),
        visits_sheet(ctx, s),
    ];
    if !s.streets.is_empty() {
        sheets.insert(0, streets_sheet(ctx, s));
    }
    sheets
}

fn kind(ctx: &Ctx, k: &str) -> String {
    ctx.t(format!("party.summary.kind.{k}"))
}

fn months_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    let mut headers = vec![t("party.summary.branch"), t("party.summary.unit")];
    headers.extend((1..=12).map(|m| ctx.ta1("party.summary.month_n", "m", m)));
    headers.push(t("party.summary.total"));
    Sheet {
        name: t("party.summary.sheet_months"),
        headers,
        rows: s
            .branches
            .iter()
            .map(|b| {
                let mut r = vec![b.name.clone(), b.unit.clone()];
                r.extend(b.months.iter().map(|n| n.to_string()));
                r.push(b.total.to_string());
                r
            })
            .collect(),
    }
}

fn kinds_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    let mut headers = vec![t("party.summary.branch")];
    headers.extend(ACTIVITY_KINDS.iter().map(|k| kind(ctx, k)));
    headers.push(t("party.summary.total"));
    Sheet {
        name: t("party.summary.sheet_kinds"),
        headers,
        rows: s
            .branches
            .iter()
            .map(|b| {
                let mut r = vec![b.name.clone()];
                r.extend(b.kinds.iter().map(|k| k.1.to_string()));
                r.push(b.period_total.to_string());
                r
            })
            .collect(),
    }
}

fn quarters_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    let mut headers = vec![t("party.summary.kind_label")];
    headers.extend((1..=4).map(|q| ctx.ta1("party.summary.quarter_n", "q", q)));
    headers.push(t("party.summary.total"));
    Sheet {
        name: t("party.summary.sheet_quarters"),
        headers,
        rows: s
            .kind_quarters
            .iter()
            .map(|k| {
                let mut r = vec![kind(ctx, &k.kind)];
                r.extend(k.quarters.iter().map(|n| n.to_string()));
                r.push(k.total.to_string());
                r
            })
            .collect(),
    }
}

fn three_one_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    let met = |x: &ThreeOne| {
        t(if x.due == 0 {
            "party.summary.in_progress"
        } else if x.met() {
            "form.yes"
        } else {
            "form.no"
        })
    };
    Sheet {
        name: t("party.summary.sheet_three_one"),
        headers: vec![
            t("party.summary.branch"),
            t("party.summary.kind_label"),
            t("party.summary.done"),
            t("party.summary.due"),
            t("party.summary.met"),
            t("party.summary.current"),
        ],
        rows: s
            .branches
            .iter()
            .flat_map(|b| {
                b.three_one.iter().map(move |x| {
                    vec![
                        b.name.clone(),
                        kind(ctx, &x.kind),
                        x.done.to_string(),
                        x.due.to_string(),
                        met(x),
                        x.current.map(|n| n.to_string()).unwrap_or_default(),
                    ]
                })
            })
            .collect(),
    }
}

fn silent_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    Sheet {
        name: ctx.t("party.summary.sheet_silent"),
        headers: vec![
            ctx.t("party.summary.branch"),
            ctx.t("party.summary.last_activity"),
        ],
        rows: s
            .silent()
            .iter()
            .map(|b| vec![b.name.clone(), ctx.date_opt(&b.last)])
            .collect(),
    }
}

fn visits_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    Sheet {
        name: t("party.summary.sheet_visits"),
        headers: vec![
            t("party.summary.branch"),
            t("party.summary.visits"),
            t("party.summary.unvisited"),
        ],
        rows: s
            .branches
            .iter()
            .map(|b| {
                vec![
                    b.name.clone(),
                    b.visits.to_string(),
                    b.unvisited
                        .iter()
                        .map(|u| u.name.clone())
                        .collect::<Vec<_>>()
                        .join("、"),
                ]
            })
            .collect(),
    }
}

fn streets_sheet(ctx: &Ctx, s: &Summary) -> Sheet {
    let t = |k: &str| ctx.t(k);
    let mut headers = vec![t("party.summary.street"), t("party.summary.card_branches")];
    headers.extend((1..=12).map(|m| ctx.ta1("party.summary.month_n", "m", m)));
    headers.extend([
        t("party.summary.total"),
        t("party.summary.met_branches"),
        t("party.summary.card_silent"),
        t("party.summary.visits"),
        t("party.summary.card_unvisited"),
    ]);
    let rows = s
        .streets
        .iter()
        .map(|l| {
            let mut r = vec![l.name.clone(), l.branches.to_string()];
            r.extend(l.months.iter().map(|n| n.to_string()));
            r.push(l.total.to_string());
            r.push(format!("{}/{}", l.meeting, l.assessed));
            r.extend([l.silent as i64, l.visits, l.unvisited as i64].map(|n| n.to_string()));
            r
        })
        .collect();
    Sheet {
        name: t("party.summary.sheet_streets"),
        headers,
        rows,
    }
}
