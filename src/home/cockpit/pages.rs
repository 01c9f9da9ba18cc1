//! The cockpit on screen and its one-page brief: the cached figures, the user's own approvals
//! and the two charts drawn in the reader's language. Each tile is a template of
//! `templates/home/tiles/` that reads `v`.

use std::sync::Arc;

use chrono::{Duration, NaiveDate};

use super::models::Figures;
use crate::web::charts::{self, Series};
use crate::web::ctx::Ctx;

/// What the tiles read.
pub struct View {
    pub f: Arc<Figures>,
    /// The user's approvals waiting (我的待审批), from the to-do counts.
    pub approvals: i64,
    pub today: NaiveDate,
    pub monday: NaiveDate,
    pub sunday: NaiveDate,
    pub trend_chart: String,
    pub ranking_chart: String,
}

impl View {
    pub fn new(ctx: &Ctx, f: Arc<Figures>, approvals: i64, today: NaiveDate) -> View {
        let monday = crate::patrols::coverage::domain::week_start(today);
        let m = &f.issues.months;
        let labels: Vec<String> = m.iter().map(|(k, _)| k.clone()).collect();
        let col = |get: fn(&crate::issues::figures::domain::Tally) -> f64| {
            m.iter().map(|(_, t)| get(t)).collect::<Vec<f64>>()
        };
        let closure = m
            .iter()
            .map(|(_, t)| {
                crate::issues::figures::domain::rates(t)
                    .closure
                    .percent()
                    .unwrap_or(f64::NAN)
            })
            .collect();
        let trend_chart = charts::grouped_bars(
            &labels,
            &[
                Series {
                    name: ctx.t("cockpit.reported"),
                    values: col(|t| t.reported as f64),
                    class: "c1",
                },
                Series {
                    name: ctx.t("cockpit.closed"),
                    values: col(|t| t.closed as f64),
                    class: "c2",
                },
            ],
            Some(&Series {
                name: ctx.t("cockpit.closure_rate"),
                values: closure,
                class: "rate",
            }),
            640,
            220,
            &ctx.t("cockpit.trend"),
        );
        let rows: Vec<(String, f64)> = f
            .ranking
            .units
            .iter()
            .filter_map(|u| Some((u.name.clone(), u.closure.percent()?)))
            .collect();
        let values: Vec<f64> = rows.iter().map(|r| r.1).collect();
        let ranking_chart = charts::hbars_from(
            &rows,
            charts::axis_floor(&values, 100.0),
            100.0,
            "%",
            560,
            &ctx.t("cockpit.ranking_chart"),
        );
        View {
            f,
            approvals,
            today,
            monday,
            sunday: monday + Duration::days(6),
            trend_chart,
            ranking_chart,
        }
    }
}

/// The leader's home (领导驾驶舱).
#[derive(askama::Template)]
#[template(path = "home/cockpit.html")]
pub struct CockpitPage {
    pub ctx: Ctx,
    pub v: View,
    /// The admin's status panel (`home/_admin.html`); None for a leader.
    pub admin: Option<crate::home::admin::AdminStatus>,
}

/// The week's one-page A4 brief (领导工作简报).
#[derive(askama::Template)]
#[template(path = "home/brief.html")]
pub struct BriefPage {
    pub ctx: Ctx,
    pub v: View,
    /// "1 December 2026 – 7 December 2026".
    pub period: String,
}
