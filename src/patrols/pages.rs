//! The pages that read patrol logs: the list (with my grids of today) and its export's rows, and
//! a log's page.

use std::collections::HashMap;

use askama::Template;

use super::forms::ListQuery;
use super::models::{FullLog, IssueLink, ListRow, MyGridToday, Patrol, SiteCheckRow};
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::list::Column;
use crate::web::pagination::Pager;
use crate::web::privacy::{mask_name, mask_phone};

pub struct VisitView {
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

pub struct CorrectionView {
    pub who: String,
    pub when: String,
    pub reason: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "patrols/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub p: Patrol,
    pub grid_name: String,
    /// Street › community › grid.
    pub crumbs: Vec<Crumb>,
    pub worker_name: String,
    pub sites: Vec<SiteCheckRow>,
    pub visits: Vec<VisitView>,
    pub issues: Vec<IssueLink>,
    pub corrections: Vec<CorrectionView>,
    /// "edit", "correct" or "" (what the button offers).
    pub change: &'static str,
}

impl ShowPage {
    /// `full`: the reader sees residents' names and phones (else masked).
    pub fn new(ctx: Ctx, log: FullLog, full: bool, change: &'static str) -> ShowPage {
        let visits = log
            .visits
            .into_iter()
            .map(|v| VisitView {
                householder: if full {
                    v.householder
                } else {
                    mask_name(&v.householder)
                },
                // Phones are masked in this list for everyone; the full number only for those
                // who follow up, in its title (hover) and the print.
                phone: if full { v.phone } else { mask_phone(&v.phone) },
                address: v.address,
                learned: v.learned,
                needs: v.needs,
            })
            .collect();
        let corrections = log
            .corrections
            .into_iter()
            .map(|c| CorrectionView {
                who: c.who.unwrap_or_default(),
                when: ctx.dt(&c.created_at),
                reason: c.reason,
                changes: serde_json::from_str::<Vec<(String, String, String)>>(&c.changes)
                    .unwrap_or_default(),
            })
            .collect();
        ShowPage {
            grid_name: log.grid_name,
            crumbs: log.crumbs,
            worker_name: log.worker_name,
            sites: log.sites,
            visits,
            issues: log.issues,
            corrections,
            change,
            p: log.patrol,
            ctx,
        }
    }
}

/// The names of the grids and workers of a page of rows.
pub struct Names {
    pub grids: HashMap<i32, String>,
    pub workers: HashMap<i32, String>,
}

/// A row of the list, as the page and the export show it.
pub struct RowView {
    pub id: i32,
    pub day: String,
    pub grid: String,
    pub worker_id: i32,
    pub worker: String,
    pub time: String,
    pub quick: bool,
    pub sites: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
    pub corrections: i32,
}

impl RowView {
    pub fn new(ctx: &Ctx, names: &Names, r: &ListRow) -> RowView {
        RowView {
            id: r.id,
            grid: names.grids.get(&r.grid_id).cloned().unwrap_or_default(),
            worker_id: r.worker_id,
            worker: names.workers.get(&r.worker_id).cloned().unwrap_or_default(),
            day: ctx.date(&r.day),
            time: if r.started_at.is_empty() {
                String::new()
            } else {
                format!("{}–{}", r.started_at, r.ended_at)
            },
            quick: r.quick,
            sites: r.sites_checked,
            site_problems: r.site_problems,
            visits: r.visits,
            problems: r.problems,
            corrections: r.corrections,
        }
    }
}

/// The export's columns: the page's row view, with the quick log marked "yes".
pub const EXPORT_COLUMNS: &[Column<RowView>] = &[
    Column {
        header: "patrols.day",
        cell: |_, r| r.day.clone(),
    },
    Column {
        header: "patrols.grid",
        cell: |_, r| r.grid.clone(),
    },
    Column {
        header: "patrols.worker",
        cell: |_, r| r.worker.clone(),
    },
    Column {
        header: "patrols.time",
        cell: |_, r| r.time.clone(),
    },
    Column {
        header: "patrols.quick",
        cell: |ctx, r| {
            if r.quick {
                ctx.t("form.yes")
            } else {
                String::new()
            }
        },
    },
    Column {
        header: "patrols.sites_checked",
        cell: |_, r| r.sites.to_string(),
    },
    Column {
        header: "patrols.site_problems",
        cell: |_, r| r.site_problems.to_string(),
    },
    Column {
        header: "patrols.visits",
        cell: |_, r| r.visits.to_string(),
    },
    Column {
        header: "patrols.problems",
        cell: |_, r| r.problems.to_string(),
    },
    Column {
        header: "patrols.corrections",
        cell: |_, r| r.corrections.to_string(),
    },
];

#[derive(Template)]
#[template(path = "patrols/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub q: ListQuery,
    /// A bad date, beside its field.
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub grids: Vec<crate::org::models::UnitGroup>,
    pub workers: Vec<Choice>,
    pub kinds: Vec<Choice>,
    /// My grids today: today's log, or the buttons to make one.
    pub mine: Vec<MyGridToday>,
    pub quick_token: String,
    pub today: String,
}
