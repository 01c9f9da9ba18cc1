//! Templates of the key-project pages and the ledger's row view (the page, its printout and
//! its export read the same rows).

use askama::Template;

use chrono::{Datelike, NaiveDate};

use super::domain::{self, CLASSES, LEVELS, Light, Rule, Schedule};
use super::forms::{ListQuery, ProjectForm};
use super::milestones::forms::MilestoneForm;
use super::milestones::models::Milestone;
use super::models::{Project, ProjectUnit};
use super::reports::forms::ReportForm;
use super::reports::models::Report;
use crate::web::charts::Series;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

pub fn level_choices(ctx: &Ctx) -> Vec<Choice> {
    LEVELS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("projects.level_name.{k}"))))
        .collect()
}

pub fn class_choices(ctx: &Ctx) -> Vec<Choice> {
    CLASSES
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("projects.class_name.{k}"))))
        .collect()
}

pub fn light_choices(ctx: &Ctx) -> Vec<Choice> {
    Light::ALL
        .iter()
        .map(|l| Choice::new(l.code(), ctx.t(format!("projects.light.{}", l.code()))))
        .collect()
}

/// What the ledger knows of a project beyond its own row: this month's and the year's
/// investment, the stages under way, the latest 形象进度, the open problems, the light.
#[derive(Debug, Clone)]
pub struct Figures {
    pub month_cents: i64,
    pub year_cents: i64,
    pub months: i64,
    pub stages: Vec<String>,
    pub progress: String,
    pub problems: Vec<String>,
    pub light: Light,
}

impl Default for Figures {
    fn default() -> Figures {
        Figures {
            month_cents: 0,
            year_cents: 0,
            months: 0,
            stages: Vec::new(),
            progress: String::new(),
            problems: Vec::new(),
            light: Light::Green,
        }
    }
}

/// A project's figures as of `today` from its reports of the year (oldest first) and its
/// milestones under way (stage, status).
pub fn figures(
    p: &Project,
    today: NaiveDate,
    reports: &[&Report],
    under_way: &[(String, String)],
) -> Figures {
    let year = p.plan_year;
    let entries: Vec<(i32, i64)> = reports
        .iter()
        .filter(|r| r.year == year)
        .map(|r| (r.month, r.done_cents))
        .collect();
    let totals = domain::month_totals(&entries);
    let months = domain::months_elapsed(year, today);
    let year_cents = totals.iter().take(months as usize).sum();
    let month_cents = if months >= 1 && today.year() == year {
        totals[(months - 1) as usize]
    } else {
        0
    };
    let light = domain::year_light(
        &Rule::default(),
        &totals,
        p.year_plan_cents,
        year,
        today,
        p.planned_start,
        p.actual_start,
    );
    let latest = reports.iter().rev().find(|r| r.year == year);
    let mut stages: Vec<String> = under_way
        .iter()
        .filter(|(_, st)| st == "in_progress")
        .map(|(s, _)| s.clone())
        .collect();
    if stages.is_empty() {
        stages.extend(
            domain::STAGES
                .iter()
                .rev()
                .find(|s| under_way.iter().any(|(x, st)| x == *s && st == "done"))
                .map(|s| s.to_string()),
        );
    }
    stages.sort_by_key(|s| domain::STAGES.iter().position(|x| x == s));
    Figures {
        month_cents,
        year_cents,
        months,
        stages,
        progress: latest.map(|r| r.progress.clone()).unwrap_or_default(),
        problems: latest
            .filter(|r| !r.problems.is_empty())
            .map(|r| vec![r.problems.clone()])
            .unwrap_or_default(),
        light,
    }
}

/// One row of the ledger (台账), as shown, printed and exported.
#[derive(Debug, Clone)]
pub struct LedgerRow {
    pub id: i32,
    pub name: String,
    pub level: String,
    pub class: String,
    pub content: String,
    pub total: String,
    pub year_plan: String,
    pub month_done: String,
    pub year_done: String,
    pub of_plan: String,
    pub schedule: String,
    pub schedule_note: String,
    pub stage: String,
    pub progress: String,
    pub leader: String,
    pub unit: String,
    pub person: String,
    pub problems: String,
    pub light: &'static str,
    pub light_label: String,
}

impl LedgerRow {
    pub fn of(ctx: &Ctx, p: &Project, unit: &str, f: &Figures) -> LedgerRow {
        let s = Schedule::new(f.year_cents, p.year_plan_cents, f.months);
        LedgerRow {
            id: p.id,
            name: p.name.clone(),
            level: ctx.t(format!("projects.level_name.{}", p.level)),
            class: ctx.t(format!("projects.class_name.{}", p.class)),
            content: p.content.clone(),
            total: domain::wan(p.total_cents),
            year_plan: domain::wan(p.year_plan_cents),
            month_done: domain::wan(f.month_cents),
            year_done: domain::wan(f.year_cents),
            of_plan: s.done.display(),
            schedule: s.time.display(),
            schedule_note: s
                .phrase()
                .map(|(k, v)| ctx.ta1(k, "points", v))
                .unwrap_or_default(),
            stage: f
                .stages
                .iter()
                .map(|k| ctx.t(format!("projects.stage.{k}")))
                .collect::<Vec<_>>()
                .join("、"),
            progress: f.progress.clone(),
            leader: p.leader.clone(),
            unit: unit.to_string(),
            person: p.person.clone(),
            problems: f.problems.join("；"),
            light: f.light.code(),
            light_label: ctx.t(format!("projects.light.{}", f.light.code())),
        }
    }

    /// The export's cells, in the ledger's columns.
    pub fn cells(&self, n: usize) -> Vec<String> {
        vec![
            n.to_string(),
            self.name.clone(),
            self.level.clone(),
            self.content.clone(),
            self.total.clone(),
            self.year_plan.clone(),
            self.month_done.clone(),
            self.year_done.clone(),
            self.of_plan.clone(),
            self.schedule.clone(),
            self.schedule_note.clone(),
            self.stage.clone(),
            self.progress.clone(),
            self.leader.clone(),
            format!("{} {}", self.unit, self.person).trim().to_string(),
            self.problems.clone(),
            self.light_label.clone(),
        ]
    }
}

/// The ledger's columns (the export's headers, the page's and the printout's).
pub const COLUMNS: [&str; 17] = [
    "projects.col.no",
    "projects.name",
    "projects.level",
    "projects.content",
    "projects.col.total",
    "projects.col.year_plan",
    "projects.col.month_done",
    "projects.col.year_done",
    "projects.col.of_plan",
    "projects.col.schedule",
    "projects.col.schedule_note",
    "projects.col.stage",
    "projects.col.progress",
    "projects.leader",
    "projects.col.office",
    "projects.col.problems",
    "projects.col.light",
];

/// The ledger (台账): the page, and its printout on landscape A4.
#[derive(Template)]
#[template(path = "projects/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub lights: Vec<Choice>,
    pub rows: Vec<LedgerRow>,
    pub export_query: String,
    pub may_create: bool,
    /// The period printed: "2026年1–11月".
    pub period: String,
}

impl ListPage {
    pub fn count(&self, light: &str) -> usize {
        self.rows.iter().filter(|r| r.light == light).count()
    }
}

/// A monthly report as the project page lists it: the cumulative of the year is computed.
#[derive(Debug, Clone)]
pub struct ReportView {
    pub id: i32,
    pub month: String,
    pub done: String,
    pub cumulative: String,
    pub progress: String,
    pub problems: String,
    pub reason: String,
    /// A later entry of the same month replaced this one.
    pub replaced: bool,
    pub correction: bool,
}

/// A project's page.
#[derive(Template)]
#[template(path = "projects/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub p: Project,
    pub row: LedgerRow,
    pub may_edit: bool,
    pub milestones: Vec<Milestone>,
    pub reports: Vec<ReportView>,
    pub chart: String,
}

impl ShowPage {
    pub fn new(
        ctx: Ctx,
        may_edit: bool,
        row: LedgerRow,
        p: Project,
        milestones: Vec<Milestone>,
        reports: Vec<Report>,
    ) -> ShowPage {
        let year = p.plan_year;
        let entries: Vec<(i32, i64)> = reports
            .iter()
            .filter(|r| r.year == year)
            .map(|r| (r.month, r.done_cents))
            .collect();
        let totals = domain::month_totals(&entries);
        let views = reports
            .iter()
            .map(|r| {
                let (mut cum, mut yr) = (0, [0i64; 12]);
                // The cumulative as of this entry: the year's latest entries up to it.
                for x in reports.iter().filter(|x| x.year == r.year && x.id <= r.id) {
                    if (1..=12).contains(&x.month) {
                        yr[(x.month - 1) as usize] = x.done_cents;
                    }
                }
                for v in yr.iter().take(r.month.clamp(1, 12) as usize) {
                    cum += v;
                }
                ReportView {
                    id: r.id,
                    month: format!("{}-{:02}", r.year, r.month),
                    done: domain::wan(r.done_cents),
                    cumulative: domain::wan(cum),
                    progress: r.progress.clone(),
                    problems: r.problems.clone(),
                    reason: r.reason.clone(),
                    replaced: reports
                        .iter()
                        .any(|x| x.id > r.id && x.year == r.year && x.month == r.month),
                    correction: r.corrects_id.is_some(),
                }
            })
            .rev()
            .collect();
        let labels: Vec<String> = (1..=12).map(|m| m.to_string()).collect();
        let mut cum = 0;
        let rate: Vec<f64> = totals
            .iter()
            .map(|c| {
                cum += c;
                crate::ratio::percent_of(cum as f64, p.year_plan_cents as f64).unwrap_or(0.0)
            })
            .collect();
        let chart = crate::web::charts::grouped_bars(
            &labels,
            &[Series {
                name: ctx.t("projects.col.month_done"),
                values: totals.iter().map(|c| *c as f64 / 100.0).collect(),
                class: "c1",
            }],
            Some(&Series {
                name: ctx.t("projects.col.of_plan"),
                values: rate,
                class: "rate",
            }),
            640,
            220,
            &ctx.t("projects.chart"),
        );
        ShowPage {
            ctx,
            p,
            row,
            may_edit,
            milestones,
            reports: views,
            chart,
        }
    }

    pub fn crumbs(&self) -> Vec<Crumb> {
        vec![Crumb::link(self.ctx.t("projects.nav"), "/projects")]
    }
}

/// A milestone's edit form.
#[derive(Template)]
#[template(path = "projects/milestones/form.html")]
pub struct MilestonePage {
    pub ctx: Ctx,
    pub project_id: i32,
    pub project: String,
    pub stage: String,
    pub action: String,
    pub form: MilestoneForm,
    pub errors: FormErrors,
    pub states: Vec<Choice>,
    pub conflicts: Vec<ConflictRow>,
}

impl MilestonePage {
    pub fn new(
        ctx: Ctx,
        p: &Project,
        m: &Milestone,
        form: MilestoneForm,
        errors: FormErrors,
    ) -> MilestonePage {
        MilestonePage {
            states: domain::MILESTONE_STATES
                .iter()
                .map(|k| Choice::new(k, ctx.t(format!("projects.milestone_state.{k}"))))
                .collect(),
            stage: ctx.t(format!("projects.stage.{}", m.stage)),
            project_id: p.id,
            project: p.name.clone(),
            action: format!("/projects/{}/milestones/{}", p.id, m.id),
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(MilestonePage);

/// The monthly report form.
#[derive(Template)]
#[template(path = "projects/reports/form.html")]
pub struct ReportPage {
    pub ctx: Ctx,
    pub project_id: i32,
    pub project: String,
    pub form: ReportForm,
    pub errors: FormErrors,
}

impl ReportPage {
    pub fn new(ctx: Ctx, p: &Project, form: ReportForm, errors: FormErrors) -> ReportPage {
        ReportPage {
            project_id: p.id,
            project: p.name.clone(),
            ctx,
            form,
            errors,
        }
    }
}

/// The project form (new and edit).
#[derive(Template)]
#[template(path = "projects/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: ProjectForm,
    pub errors: FormErrors,
    pub levels: Vec<Choice>,
    pub classes: Vec<Choice>,
    pub units: Vec<Choice>,
    pub action: String,
    pub project_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        form: ProjectForm,
        errors: FormErrors,
        units: &[ProjectUnit],
        project: Option<&Project>,
    ) -> FormPage {
        FormPage {
            levels: level_choices(&ctx),
            classes: class_choices(&ctx),
            units: units
                .iter()
                .map(|u| crate::org::models::indented(u.id, &u.name, u.depth))
                .collect(),
            action: match project {
                Some(p) => format!("/projects/{}", p.id),
                None => "/projects".into(),
            },
            project_id: project.map(|p| p.id),
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);
