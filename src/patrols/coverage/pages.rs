//! The coverage page and its export's sheets: the same lines, in the reader's language.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use chrono::NaiveDate;

use super::domain::CoverageData;
use super::forms::{CoverageQuery, Params};
use crate::org::models::OrgUnit;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::xlsx::Sheet;

/// "12/51 (23.5%)", or "—" for the rate of nothing.
pub fn share(n: usize, total: usize) -> String {
    if total == 0 {
        return format!("{n}/{total} (—)");
    }
    format!("{n}/{total} ({:.1}%)", n as f64 * 100.0 / total as f64)
}

#[derive(Template)]
#[template(path = "patrols/coverage/show.html")]
pub struct CoveragePage {
    pub ctx: Ctx,
    /// The filter as typed (kept on an error).
    pub q: CoverageQuery,
    /// The query of the figures shown, for the export link.
    pub export_query: String,
    pub period: String,
    pub summary_today: String,
    pub summary_week: String,
    pub unit: OrgUnit,
    pub p: Params,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub d: Arc<CoverageData>,
    pub l: Labels,
}

/// The labels repeated on every row, translated once per page (a district's page has ~2,000
/// rows; a lookup per row was a tenth of the time spent rendering it).
pub struct Labels {
    pub yes: String,
    pub quick: String,
    pub no: String,
    pub full: String,
    pub full_mark: String,
    pub never: String,
    pub sep: String,
    kinds: HashMap<String, String>,
    intervals: HashMap<i32, String>,
}

impl Labels {
    pub fn new(ctx: &Ctx, d: &CoverageData) -> Labels {
        let mut kinds = HashMap::new();
        let mut intervals = HashMap::new();
        for s in &d.sites {
            kinds
                .entry(s.kind.clone())
                .or_insert_with(|| ctx.t(format!("site_kind.{}", s.kind)));
            intervals
                .entry(s.interval)
                .or_insert_with(|| ctx.ta1("sites.every_n_days", "n", s.interval));
        }
        Labels {
            yes: ctx.t("coverage.today_yes"),
            quick: ctx.t("coverage.today_quick"),
            no: ctx.t("coverage.today_no"),
            full: ctx.t("coverage.week_full"),
            full_mark: ctx.t("coverage.week_full_mark"),
            never: ctx.t("coverage.never"),
            sep: ctx.t("coverage.sep"),
            kinds,
            intervals,
        }
    }

    /// Today's status ("yes", "quick", "no") in words.
    pub fn today(&self, code: &str) -> &str {
        match code {
            "yes" => &self.yes,
            "quick" => &self.quick,
            _ => &self.no,
        }
    }

    pub fn kind<'a>(&'a self, code: &'a str) -> &'a str {
        self.kinds.get(code).map_or(code, String::as_str)
    }

    pub fn interval(&self, n: &i32) -> &str {
        self.intervals.get(n).map_or("", String::as_str)
    }

    pub fn date_or_never(&self, d: &Option<NaiveDate>) -> String {
        match d {
            Some(d) => d.format("%Y-%m-%d").to_string(),
            None => self.never.clone(),
        }
    }

    /// Days since, "—" for never.
    pub fn days(&self, d: &Option<i64>) -> String {
        d.map(|d| d.to_string()).unwrap_or_else(|| "—".into())
    }

    pub fn joined(&self, names: &[String]) -> String {
        names.join(&self.sep)
    }
}

/// The export's four sheets: grids, overdue key sites, idle workers, per-worker figures.
pub fn sheets(ctx: &Ctx, d: &CoverageData) -> Vec<Sheet> {
    let l = Labels::new(ctx, d);
    vec![
        grids_sheet(ctx, d, &l),
        sites_sheet(ctx, d, &l),
        idle_sheet(ctx, d, &l),
        workers_sheet(ctx, d, &l),
    ]
}

fn heads(ctx: &Ctx, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| ctx.t(k)).collect()
}

/// Days since, blank for never.
fn days(d: &Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

fn grids_sheet(ctx: &Ctx, d: &CoverageData, l: &Labels) -> Sheet {
    let yes_no = |b: bool| ctx.t(if b { "form.yes" } else { "form.no" });
    let rows = d
        .communities
        .iter()
        .flat_map(|cm| &cm.grids)
        .map(|g| {
            vec![
                g.community.clone(),
                g.name.clone(),
                l.today(g.today).to_string(),
                g.week_days.to_string(),
                d.working_days.to_string(),
                yes_no(g.week_full),
                g.c.patrols.to_string(),
                g.c.visits.to_string(),
                g.c.problems.to_string(),
                g.h.month.to_string(),
                g.h.quarter.to_string(),
                g.overdue_sites.to_string(),
            ]
        })
        .collect();
    Sheet {
        name: ctx.t("coverage.sheet_grids"),
        headers: heads(
            ctx,
            &[
                "coverage.community",
                "coverage.grid",
                "coverage.today",
                "coverage.week_days",
                "coverage.working_days",
                "coverage.week_full",
                "coverage.patrols",
                "coverage.visits",
                "coverage.problems",
                "coverage.households_month",
                "coverage.households_quarter",
                "coverage.overdue_sites",
            ],
        ),
        rows,
    }
}

fn sites_sheet(ctx: &Ctx, d: &CoverageData, l: &Labels) -> Sheet {
    let rows = d
        .sites
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                l.kind(&s.kind).to_string(),
                s.grid.clone(),
                s.community.clone(),
                s.interval.to_string(),
                l.date_or_never(&s.last),
                days(&s.days),
            ]
        })
        .collect();
    Sheet {
        name: ctx.t("coverage.sheet_sites"),
        headers: heads(
            ctx,
            &[
                "coverage.site",
                "coverage.kind",
                "coverage.grid",
                "coverage.community",
                "coverage.interval_days",
                "coverage.last_check",
                "coverage.days_since",
            ],
        ),
        rows,
    }
}

fn idle_sheet(ctx: &Ctx, d: &CoverageData, l: &Labels) -> Sheet {
    let rows = d
        .idle
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                l.joined(&w.grids),
                w.phone.clone(),
                l.date_or_never(&w.last),
                days(&w.days),
            ]
        })
        .collect();
    Sheet {
        name: ctx.t("coverage.sheet_idle"),
        headers: heads(
            ctx,
            &[
                "coverage.worker",
                "coverage.worker_grids",
                "coverage.phone",
                "coverage.last_log",
                "coverage.days_since",
            ],
        ),
        rows,
    }
}

fn workers_sheet(ctx: &Ctx, d: &CoverageData, l: &Labels) -> Sheet {
    let rows = d
        .workers
        .iter()
        .map(|w| {
            vec![
                w.name.clone(),
                l.joined(&w.grids),
                w.c.days.to_string(),
                w.c.patrols.to_string(),
                w.c.visits.to_string(),
                w.households.to_string(),
                w.c.problems.to_string(),
            ]
        })
        .collect();
    Sheet {
        name: ctx.t("coverage.sheet_workers"),
        headers: heads(
            ctx,
            &[
                "coverage.worker",
                "coverage.worker_grids",
                "coverage.patrol_days",
                "coverage.patrols",
                "coverage.visits",
                "coverage.households",
                "coverage.problems",
            ],
        ),
        rows,
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares() {
        assert_eq!(share(1, 4), "1/4 (25.0%)");
        assert_eq!(share(0, 0), "0/0 (—)");
    }
}
