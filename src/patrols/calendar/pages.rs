//! The calendar page (weeks Monday to Sunday, printable on one A4 page) and its export's rows.

use askama::Template;
use askama_web::WebTemplate;
use chrono::Datelike;

use super::domain::{Day, Kind, Month, Totals, next_month, prev_month};
use crate::calendar::domain::festival_key;
use crate::org::models::OrgUnit;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;

#[derive(Template, WebTemplate)]
#[template(path = "patrols/calendar/show.html")]
pub struct CalendarPage {
    pub ctx: Ctx,
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    /// "2026-11", and the months before and after.
    pub month: String,
    pub prev: String,
    pub next: String,
    pub heading: String,
    /// Weeks Monday to Sunday; `None` for the days of the months around.
    pub weeks: Vec<Vec<Option<Day>>>,
    pub totals: Totals,
}

/// The corner label of a day: its festival (translated when the seeded calendar named it), else
/// its kind.
fn label(ctx: &Ctx, d: &Day) -> String {
    if !d.festival.is_empty() && d.kind == Kind::Holiday {
        return festival_key(&d.festival)
            .map(|k| ctx.t(k))
            .unwrap_or_else(|| d.festival.clone());
    }
    ctx.t(format!("patrol_calendar.kind.{}", d.kind.code()))
}

impl CalendarPage {
    pub fn new(ctx: Ctx, m: Month) -> CalendarPage {
        let lead = m.first.weekday().num_days_from_monday() as usize;
        let mut cells: Vec<Option<Day>> = vec![None; lead];
        for mut d in m.days {
            d.label = label(&ctx, &d);
            cells.push(Some(d));
        }
        while !cells.len().is_multiple_of(7) {
            cells.push(None);
        }
        let weeks = cells.chunks(7).map(<[_]>::to_vec).collect();
        let heading = ctx.ta(
            "patrol_calendar.heading",
            &[
                ("year", m.first.year().to_string()),
                ("month", m.first.month().to_string()),
                (
                    "month_name",
                    ctx.t(format!("calendar.month.{}", m.first.month())),
                ),
            ],
        );
        CalendarPage {
            month: m.first.format("%Y-%m").to_string(),
            prev: prev_month(m.first).format("%Y-%m").to_string(),
            next: next_month(m.first).format("%Y-%m").to_string(),
            heading,
            ctx,
            grid: m.grid,
            crumbs: m.crumbs,
            weeks,
            totals: m.totals,
        }
    }
}

/// The export's columns.
pub const EXPORT_HEADERS: [&str; 12] = [
    "patrol_calendar.date",
    "patrol_calendar.weekday",
    "patrol_calendar.day_kind",
    "patrol_calendar.status",
    "patrol_calendar.logs",
    "patrol_calendar.workers",
    "patrol_calendar.times",
    "patrol_calendar.checks",
    "patrol_calendar.site_problems",
    "patrol_calendar.visits",
    "patrol_calendar.households",
    "patrol_calendar.problems",
];

/// A day as an export row.
pub fn export_row(ctx: &Ctx, sep: &str, d: &Day) -> Vec<String> {
    let status = if d.missing {
        "missing"
    } else if !d.logs.is_empty() {
        "patrolled"
    } else {
        "none"
    };
    let times: Vec<String> = d
        .logs
        .iter()
        .map(|l| {
            if l.quick {
                ctx.t("patrol_calendar.quick")
            } else {
                l.span()
            }
        })
        .collect();
    vec![
        d.date.format("%Y-%m-%d").to_string(),
        ctx.t(format!(
            "patrol_calendar.wd.{}",
            d.date.weekday().number_from_monday()
        )),
        label(ctx, d),
        ctx.t(format!("patrol_calendar.status.{status}")),
        d.logs.len().to_string(),
        d.logs
            .iter()
            .map(|l| l.worker.as_str())
            .collect::<Vec<_>>()
            .join(sep),
        times.join(sep),
        d.checks.to_string(),
        d.site_problems.to_string(),
        d.visits.to_string(),
        d.households.to_string(),
        d.problems.to_string(),
    ]
}
