//! The ledger's page: the year's activities month by month, each with who missed it and what it
//! served.

use std::collections::HashMap;

use askama::Template;
use chrono::Datelike;

use super::models::{Absentee, GridServed, IssueServed};
use crate::party::activities::models::Activity;
use crate::party::branches::models::Branch;
use crate::party::members::pages::MemberView;
use crate::party::summary::domain::BranchSummary;
use crate::web::ctx::Ctx;

/// An activity as printed: who was absent and who on leave (with their reasons), the grids and
/// the issues it served.
pub struct ActivityView {
    pub a: Activity,
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

/// The year's activities by month (in date order), each with who missed it, absent or on leave
/// (with the reason if one was given), and the grids and issues it served.
pub fn months(
    ctx: &Ctx,
    activities: Vec<Activity>,
    absentees: Vec<Absentee>,
    (grid_links, issue_links): (Vec<GridServed>, Vec<IssueServed>),
) -> Vec<MonthView> {
    let mut absent: HashMap<i32, Vec<String>> = HashMap::new();
    let mut leave: HashMap<i32, Vec<String>> = HashMap::new();
    for x in absentees {
        let line = if x.reason.trim().is_empty() {
            x.name
        } else {
            ctx.ta(
                "party.ledger.absent_with_reason",
                &[("name", x.name), ("reason", x.reason)],
            )
        };
        let to = if x.attendance == "leave" {
            &mut leave
        } else {
            &mut absent
        };
        to.entry(x.activity_id).or_default().push(line);
    }
    let mut grids: HashMap<i32, Vec<String>> = HashMap::new();
    for g in grid_links {
        grids.entry(g.activity_id).or_default().push(g.name);
    }
    let mut issues: HashMap<i32, Vec<String>> = HashMap::new();
    for i in issue_links {
        issues
            .entry(i.activity_id)
            .or_default()
            .push(format!("{} {}", i.number, i.title));
    }
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
    months
}

#[derive(Template)]
#[template(path = "party/ledger/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub b: Branch,
    pub unit: String,
    pub year: i32,
    pub members: Vec<MemberView>,
    pub months: Vec<MonthView>,
    pub summary: BranchSummary,
    pub activity_count: usize,
}

impl ShowPage {
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

    pub fn present_of(&self, a: &Activity) -> String {
        self.ctx.ta(
            "party.ledger.present_of",
            &[
                ("present", a.present.to_string()),
                ("expected", a.expected.to_string()),
            ],
        )
    }

    pub fn time(&self, a: &Activity) -> String {
        match (a.start_time.is_empty(), a.end_time.is_empty()) {
            (true, _) => String::new(),
            (false, true) => a.start_time.clone(),
            (false, false) => format!("{}–{}", a.start_time, a.end_time),
        }
    }
}
