//! The daily report's page (also its A4 printout): per group the day's and the cumulative
//! counts, frozen where the group submitted, with the totals row.

use askama::Template;
use chrono::{Datelike, NaiveDate};

use super::forms::SubmitForm;
use crate::demolition::domain::DayCounts;
use crate::demolition::models::Command;
use crate::ratio::Rate;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};

/// A group's line (or the total's).
#[derive(Debug, Clone)]
pub struct DailyRow {
    pub id: i32,
    pub name: String,
    pub leader: String,
    pub households: i64,
    pub c: DayCounts,
    pub signed_rate: String,
    pub moved_rate: String,
    pub difficulties: String,
    pub submitted: bool,
}

impl DailyRow {
    pub fn new(
        (id, name, leader): (i32, &str, &str),
        households: i64,
        c: DayCounts,
        difficulties: &str,
        submitted: bool,
    ) -> DailyRow {
        DailyRow {
            id,
            name: name.into(),
            leader: leader.into(),
            households,
            signed_rate: Rate::new(c.signed_total, households).display(),
            moved_rate: Rate::new(c.moved_total, households).display(),
            c,
            difficulties: difficulties.into(),
            submitted,
        }
    }

    /// The export's cells, in [`COLUMNS`]' order.
    pub fn cells(&self, ctx: &Ctx) -> Vec<String> {
        vec![
            self.name.clone(),
            self.leader.clone(),
            self.households.to_string(),
            self.c.signed_today.to_string(),
            self.c.signed_total.to_string(),
            self.signed_rate.clone(),
            self.c.moved_today.to_string(),
            self.c.moved_total.to_string(),
            self.moved_rate.clone(),
            self.difficulties.clone(),
            ctx.t(if self.submitted {
                "demolition.daily.submitted"
            } else {
                "demolition.daily.missing"
            }),
        ]
    }
}

pub const COLUMNS: [&str; 11] = [
    "demolition.group",
    "demolition.group_leader",
    "demolition.col.households",
    "demolition.daily.signed_today",
    "demolition.daily.signed_total",
    "demolition.col.signed_rate",
    "demolition.daily.moved_today",
    "demolition.daily.moved_total",
    "demolition.daily.moved_rate",
    "demolition.daily.difficulties",
    "demolition.daily.state",
];

#[derive(Template)]
#[template(path = "demolition/daily/show.html")]
pub struct DailyPage {
    pub ctx: Ctx,
    pub c: Command,
    pub day: NaiveDate,
    pub title: String,
    pub rows: Vec<DailyRow>,
    pub total: DailyRow,
    pub missing: usize,
    pub may_write: bool,
    pub open_groups: Vec<Choice>,
    pub form: SubmitForm,
    pub errors: FormErrors,
}

impl DailyPage {
    pub fn new(
        ctx: Ctx,
        c: Command,
        day: NaiveDate,
        rows: Vec<DailyRow>,
        may_write: bool,
    ) -> DailyPage {
        let mut sum = DayCounts::default();
        rows.iter().for_each(|r| sum.add(&r.c));
        let households = rows.iter().map(|r| r.households).sum();
        let total = DailyRow::new((0, "", ""), households, sum, "", true);
        let open_groups: Vec<Choice> = rows
            .iter()
            .filter(|r| !r.submitted)
            .map(|r| Choice::new(r.id, &r.name))
            .collect();
        let title = ctx.ta(
            "demolition.daily.title",
            &[
                ("name", c.name.clone()),
                (
                    "n",
                    crate::demolition::domain::days_since(c.started_on, day).to_string(),
                ),
                ("y", day.year().to_string()),
                ("m", day.month().to_string()),
                ("d", day.day().to_string()),
            ],
        );
        let form = SubmitForm {
            group_id: open_groups
                .first()
                .map(|g| g.value.clone())
                .unwrap_or_default(),
            date: day.to_string(),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        };
        DailyPage {
            missing: open_groups.len(),
            open_groups,
            ctx,
            c,
            day,
            title,
            rows,
            total,
            may_write,
            form,
            errors: FormErrors::new(),
        }
    }
}
