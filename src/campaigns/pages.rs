//! The campaigns' askama pages and the row views the templates, the printout and the exports
//! read.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use chrono::NaiveDate;

use super::domain::{self, Figure, State};
use super::forms::{CampaignForm, ListQuery};
use super::models::{Campaign, Target};
use super::tallies::models::Tally;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// A unit of count in the reader's words.
pub fn unit_label(ctx: &Ctx, code: &str) -> String {
    ctx.t(format!("campaigns.unit.{code}"))
}

pub fn unit_choices(ctx: &Ctx) -> Vec<Choice> {
    domain::UNITS
        .iter()
        .map(|u| Choice::new(u, unit_label(ctx, u)))
        .collect()
}

fn state_label(ctx: &Ctx, s: State) -> String {
    ctx.t(format!("campaigns.state.{}", s.code()))
}

/// "超/低于时序进度 x 个百分点", or empty.
fn pace(ctx: &Ctx, points: Option<f64>) -> String {
    match points {
        Some(p) if p >= 0.0 => ctx.ta("campaigns.ahead", &[("points", format!("{p:.1}"))]),
        Some(p) => ctx.ta("campaigns.behind", &[("points", format!("{:.1}", -p))]),
        None => String::new(),
    }
}

/// A row of the campaigns' list (page and export).
pub struct CampaignRow {
    pub id: i32,
    pub name: String,
    pub period: String,
    pub lead: String,
    pub state: &'static str,
    pub state_label: String,
    pub targets: usize,
    pub behind: usize,
    pub schedule: String,
}

/// The list's export columns (locale keys).
pub const COLUMNS: [&str; 7] = [
    "campaigns.name",
    "campaigns.period",
    "campaigns.lead_office",
    "campaigns.state_label",
    "campaigns.targets",
    "campaigns.behind_count",
    "campaigns.schedule",
];

impl CampaignRow {
    pub fn of(
        ctx: &Ctx,
        c: &Campaign,
        unit: &str,
        targets: &[&Target],
        done: &BTreeMap<i32, i64>,
        today: NaiveDate,
    ) -> CampaignRow {
        let state = State::of(c.starts_on, c.ends_on, today);
        let schedule = domain::schedule(c.starts_on, c.ends_on, today);
        let behind = targets
            .iter()
            .filter(|t| {
                let s = domain::standing(*done.get(&t.id).unwrap_or(&0), t.target, schedule);
                s.points.is_some_and(|p| p < 0.0)
            })
            .count();
        CampaignRow {
            id: c.id,
            name: c.name.clone(),
            period: format!("{} – {}", c.starts_on, c.ends_on),
            lead: format!("{unit} {}", c.lead_office).trim().to_string(),
            state: state.code(),
            state_label: state_label(ctx, state),
            targets: targets.len(),
            behind,
            schedule: schedule.display(),
        }
    }

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.period.clone(),
            self.lead.clone(),
            self.state_label.clone(),
            self.targets.to_string(),
            self.behind.to_string(),
            self.schedule.clone(),
        ]
    }
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub rows: Vec<CampaignRow>,
    pub may_create: bool,
    pub export_query: String,
}

/// The campaign form (new and edit).
#[derive(Template)]
#[template(path = "campaigns/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: CampaignForm,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub action: String,
    pub campaign_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        form: CampaignForm,
        errors: FormErrors,
        units: &[(i32, String, i32, String)],
        campaign: Option<&Campaign>,
    ) -> FormPage {
        FormPage {
            units: units
                .iter()
                .map(|u| crate::org::models::indented(u.0, &u.1, u.2))
                .collect(),
            action: match campaign {
                Some(c) => format!("/campaigns/{}", c.id),
                None => "/campaigns".into(),
            },
            campaign_id: campaign.map(|c| c.id),
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);

/// A target's line: done of target, 时序进度 and the points between them.
pub struct TargetView {
    pub id: i32,
    pub item: String,
    pub unit: String,
    pub target: i64,
    pub done: i64,
    pub rate: String,
    pub pace: String,
    pub behind: bool,
}

/// A unit of the ranking with its amount toward each target (in the targets' order).
pub struct RankRow {
    pub rank: usize,
    pub unit: String,
    pub amounts: Vec<i64>,
}

/// A campaign's figures: the page's, the bulletin's and the export's.
pub struct Progress {
    pub c: Campaign,
    pub unit: String,
    pub state: &'static str,
    pub state_label: String,
    pub schedule: String,
    pub targets: Vec<TargetView>,
    pub ranking: Vec<RankRow>,
}

impl Progress {
    pub fn new(
        ctx: &Ctx,
        c: Campaign,
        unit: String,
        targets: &[Target],
        figures: &BTreeMap<i32, Figure>,
        names: &HashMap<i32, String>,
        today: NaiveDate,
    ) -> Progress {
        let state = State::of(c.starts_on, c.ends_on, today);
        let schedule = domain::schedule(c.starts_on, c.ends_on, today);
        let done = domain::done_by_target(figures);
        let views = targets
            .iter()
            .map(|t| {
                let d = *done.get(&t.id).unwrap_or(&0);
                let s = domain::standing(d, t.target, schedule);
                TargetView {
                    id: t.id,
                    item: t.item.clone(),
                    unit: unit_label(ctx, &t.unit_of_count),
                    target: t.target,
                    done: d,
                    rate: s.done.display(),
                    pace: pace(ctx, s.points),
                    behind: s.points.is_some_and(|p| p < 0.0),
                }
            })
            .collect();
        let sizes: Vec<(i32, i64)> = targets.iter().map(|t| (t.id, t.target)).collect();
        let ranking = domain::ranking(figures, &sizes)
            .into_iter()
            .enumerate()
            .map(|(i, (unit_id, m))| RankRow {
                rank: i + 1,
                unit: names.get(&unit_id).cloned().unwrap_or_default(),
                amounts: targets
                    .iter()
                    .map(|t| *m.get(&t.id).unwrap_or(&0))
                    .collect(),
            })
            .collect();
        Progress {
            state: state.code(),
            state_label: state_label(ctx, state),
            schedule: schedule.display(),
            targets: views,
            ranking,
            unit,
            c,
        }
    }
}

/// A tally entry as the page and the export show it.
pub struct TallyView {
    pub id: i32,
    pub done_on: String,
    pub item: String,
    pub unit: String,
    pub amount: i64,
    pub note: String,
    pub corrects_id: Option<i32>,
    pub reason: String,
    /// The latest entry of its chain (the one a correction names).
    pub current: bool,
}

/// The tallies' export columns (locale keys).
pub const TALLY_COLUMNS: [&str; 8] = [
    "campaigns.entry_no",
    "campaigns.done_on",
    "campaigns.item",
    "campaigns.tally_unit",
    "campaigns.amount",
    "campaigns.note",
    "campaigns.corrects",
    "campaigns.reason",
];

impl TallyView {
    pub fn of(
        ctx: &Ctx,
        t: &Tally,
        targets: &[Target],
        names: &HashMap<i32, String>,
        current: bool,
    ) -> TallyView {
        let item = targets
            .iter()
            .find(|x| x.id == t.target_id)
            .map(|x| format!("{} ({})", x.item, unit_label(ctx, &x.unit_of_count)))
            .unwrap_or_default();
        TallyView {
            id: t.id,
            done_on: t.done_on.to_string(),
            item,
            unit: names.get(&t.unit_id).cloned().unwrap_or_default(),
            amount: t.amount,
            note: t.note.clone(),
            corrects_id: t.corrects_id,
            reason: t.reason.clone(),
            current,
        }
    }

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.done_on.clone(),
            self.item.clone(),
            self.unit.clone(),
            self.amount.to_string(),
            self.note.clone(),
            self.corrects_id.map(|c| c.to_string()).unwrap_or_default(),
            self.reason.clone(),
        ]
    }
}

/// A campaign's page: its facts, the progress per target, the ranking and the entries.
#[derive(Template)]
#[template(path = "campaigns/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub p: Progress,
    pub tallies: Vec<TallyView>,
    pub may_keep: bool,
    pub may_tally: bool,
    pub issues: Option<i64>,
}

/// The A4 campaign bulletin (工作简报): the figures and the latest entries.
#[derive(Template)]
#[template(path = "campaigns/print.html")]
pub struct PrintPage {
    pub ctx: Ctx,
    pub p: Progress,
    pub period: String,
    pub latest: Vec<TallyView>,
    pub issues: Option<i64>,
}
