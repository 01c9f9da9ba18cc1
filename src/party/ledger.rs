//! A branch's yearly ledger (台账, SPEC §7): the branch's facts, its member roll, every activity
//! of the year in date order with attendance and absentees, and the year's summary — one
//! document printed on A4, each month from a new page.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::domain;
use super::models::{self, Branch};
use super::pages::MemberView;
use super::summary_data::{self as summary, BranchSummary};
use super::summary_models::{self as q, LedgerActivity};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::ctx::Ctx;
use crate::web::{AppState, render_ok};

/// An activity as printed: who was absent and who on leave (with their reasons), the grids and
/// the issues it served.
pub struct ActivityView {
    pub a: LedgerActivity,
    pub absent: Vec<String>,
    pub leave: Vec<String>,
    pub grids: Vec<String>,
    pub issues: Vec<String>,
}

/// The activities of one month.
pub struct MonthView {
    pub month: u32,
    pub activities: Vec<ActivityView>,
}

#[derive(Template)]
#[template(path = "party/ledger.html")]
pub struct LedgerPage {
    pub ctx: Ctx,
    pub b: Branch,
    pub unit: String,
    pub year: i32,
    pub members: Vec<MemberView>,
    pub months: Vec<MonthView>,
    pub summary: BranchSummary,
    pub activity_count: usize,
}

impl LedgerPage {
    pub fn kind_label(&self, kind: &str) -> String {
        self.ctx.t(format!("party.summary.kind.{kind}"))
    }

    pub fn month_label(&self, m: &u32) -> String {
        self.ctx.ta1("party.ledger.month", "m", m)
    }

    pub fn title(&self) -> String {
        self.ctx.ta(
            "party.ledger.title",
            &[
                ("branch", self.b.name.clone()),
                ("year", self.year.to_string()),
            ],
        )
    }

    pub fn present_of(&self, a: &LedgerActivity) -> String {
        self.ctx.ta(
            "party.ledger.present_of",
            &[
                ("present", a.present.to_string()),
                ("expected", a.expected.to_string()),
            ],
        )
    }

    pub fn time(&self, a: &LedgerActivity) -> String {
        match (a.start_time.is_empty(), a.end_time.is_empty()) {
            (true, _) => String::new(),
            (false, true) => a.start_time.clone(),
            (false, false) => format!("{}–{}", a.start_time, a.end_time),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LedgerQuery {
    pub year: String,
}

/// GET /party/branches/{id}/ledger?year=
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
    query: web::Query<LedgerQuery>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let today = state.today();
    let year = query
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=today.year() + 1).contains(y))
        .unwrap_or(today.year());
    let u = user.clone();
    let (b, unit, members, activities, absentees, links, raw) = db::run(&state.pool, move |conn| {
        let b = models::get_scoped(conn, &u, id)?;
        let unit = crate::org::models::get(conn, b.unit_id)?.name;
        let members = models::members(conn, id)?;
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        let activities = q::activities(conn, id, from, to)?;
        let ids: Vec<i32> = activities.iter().map(|a| a.id).collect();
        let absentees = q::absentees(conn, &ids)?;
        let links = q::links(conn, &ids)?;
        let raw = summary::read(conn, vec![b.clone()], year, today)?;
        Ok((b, unit, members, activities, absentees, links, raw))
    })
    .await?;
    let ctx = Ctx::build(&req, Some(user.clone()));
    let full = domain::sees_personal(&user, &b.scope_path, b.secretary_user_id);
    // Who missed each activity, absent or on leave, each with the reason if one was given.
    let mut absent: HashMap<i32, Vec<String>> = HashMap::new();
    let mut leave: HashMap<i32, Vec<String>> = HashMap::new();
    for (activity, name, code, reason) in absentees {
        let line = if reason.trim().is_empty() {
            name
        } else {
            ctx.ta(
                "party.ledger.absent_with_reason",
                &[("name", name), ("reason", reason)],
            )
        };
        let to = if code == "leave" {
            &mut leave
        } else {
            &mut absent
        };
        to.entry(activity).or_default().push(line);
    }
    let (grid_links, issue_links) = links;
    let mut grids: HashMap<i32, Vec<String>> = HashMap::new();
    for (activity, name) in grid_links {
        grids.entry(activity).or_default().push(name);
    }
    let mut issues: HashMap<i32, Vec<String>> = HashMap::new();
    for (activity, number, title) in issue_links {
        issues
            .entry(activity)
            .or_default()
            .push(format!("{number} {title}"));
    }
    let activity_count = activities.len();
    let mut months: Vec<MonthView> = Vec::new();
    for a in activities {
        let month = a.day.month();
        if months.last().is_none_or(|m| m.month != month) {
            months.push(MonthView {
                month,
                activities: Vec::new(),
            });
        }
        if let Some(m) = months.last_mut() {
            m.activities.push(ActivityView {
                absent: absent.remove(&a.id).unwrap_or_default(),
                leave: leave.remove(&a.id).unwrap_or_default(),
                grids: grids.remove(&a.id).unwrap_or_default(),
                issues: issues.remove(&a.id).unwrap_or_default(),
                a,
            });
        }
    }
    let s = summary::compute(raw, year, None, today);
    let summary = s
        .branches
        .into_iter()
        .next()
        .ok_or(crate::error::AppError::NotFound)?;
    render_ok(&LedgerPage {
        members: members
            .into_iter()
            .filter(|m| m.active)
            .map(|m| MemberView::of(m, full))
            .collect(),
        unit,
        year,
        months,
        summary,
        activity_count,
        b,
        ctx,
    })
}
