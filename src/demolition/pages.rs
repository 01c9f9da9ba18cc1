//! Templates of the command's pages: the commands, the command form, the group form, and the
//! command summary (page, A4 printout and export read the same rows).

use askama::Template;

use super::domain::{Tally, days_since};
use super::forms::{CommandForm, GroupForm, ProjectChoice};
use super::models::{Command, Group};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// A line of the summary: a group's or the total's counts, shown as text.
#[derive(Debug, Clone)]
pub struct SummaryRow {
    pub id: i32,
    pub name: String,
    pub leader: String,
    pub members: String,
    pub households: i64,
    pub signed: i64,
    pub rate: String,
    pub moved: i64,
    pub remaining: i64,
    pub units: String,
}

impl SummaryRow {
    pub fn of(id: i32, name: &str, leader: &str, members: &str, t: &Tally) -> SummaryRow {
        SummaryRow {
            id,
            name: name.into(),
            leader: leader.into(),
            members: members.into(),
            households: t.households,
            signed: t.signed,
            rate: t.signed_rate().display(),
            moved: t.moved,
            remaining: t.remaining(),
            units: format!("{}/{}", t.units_signed, t.units),
        }
    }

    /// The export's cells, in [`SUMMARY_COLUMNS`]' order.
    pub fn cells(&self, days: i64) -> Vec<String> {
        vec![
            self.name.clone(),
            self.leader.clone(),
            self.households.to_string(),
            self.signed.to_string(),
            self.rate.clone(),
            self.moved.to_string(),
            self.remaining.to_string(),
            self.units.clone(),
            days.to_string(),
        ]
    }
}

/// The summary export's header keys.
pub const SUMMARY_COLUMNS: [&str; 9] = [
    "demolition.group",
    "demolition.group_leader",
    "demolition.col.households",
    "demolition.col.signed",
    "demolition.col.signed_rate",
    "demolition.col.moved",
    "demolition.col.remaining",
    "demolition.col.units",
    "demolition.col.days",
];

/// The summary's rows per group and the total row.
pub fn summary_rows(
    groups: &[Group],
    tallies: &std::collections::HashMap<i32, Tally>,
) -> (Vec<SummaryRow>, SummaryRow) {
    let mut total = Tally::default();
    let rows = groups
        .iter()
        .map(|g| {
            let t = tallies.get(&g.id).copied().unwrap_or_default();
            total.add(&t);
            SummaryRow::of(g.id, &g.name, &g.leader, &g.members, &t)
        })
        .collect();
    (rows, SummaryRow::of(0, "", "", "", &total))
}

/// A command on the list.
pub struct CommandRow {
    pub c: Command,
    pub project: String,
    pub total: SummaryRow,
}

/// The commands export's header keys.
pub const LIST_COLUMNS: [&str; 8] = [
    "demolition.name",
    "demolition.project",
    "demolition.commander",
    "demolition.started_on",
    "demolition.target_on",
    "demolition.col.households",
    "demolition.col.signed_rate",
    "demolition.col.moved",
];

impl CommandRow {
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.c.name.clone(),
            self.project.clone(),
            self.c.commander.clone(),
            self.c.started_on.to_string(),
            self.c.target_on.to_string(),
            self.total.households.to_string(),
            self.total.rate.clone(),
            self.total.moved.to_string(),
        ]
    }
}

#[derive(Template)]
#[template(path = "demolition/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rows: Vec<CommandRow>,
    pub may_create: bool,
}

#[derive(Template)]
#[template(path = "demolition/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: CommandForm,
    pub errors: FormErrors,
    pub projects: Vec<Choice>,
    pub command_id: Option<i32>,
    pub action: String,
    pub conflicts: Vec<ConflictRow>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        form: CommandForm,
        errors: FormErrors,
        projects: &[ProjectChoice],
        command_id: Option<i32>,
    ) -> FormPage {
        FormPage {
            projects: projects.iter().map(|p| Choice::new(p.0, &p.1)).collect(),
            action: match command_id {
                Some(id) => format!("/campaigns/demolition/{id}"),
                None => "/campaigns/demolition".into(),
            },
            conflicts: Vec::new(),
            command_id,
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);

/// The command summary (also its A4 printout).
#[derive(Template)]
#[template(path = "demolition/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub c: Command,
    pub project: String,
    pub rows: Vec<SummaryRow>,
    pub total: SummaryRow,
    pub days: i64,
    pub may_write: bool,
    pub period: String,
}

impl ShowPage {
    pub fn new(
        ctx: Ctx,
        c: Command,
        project: String,
        (rows, total): (Vec<SummaryRow>, SummaryRow),
        today: chrono::NaiveDate,
        may_write: bool,
    ) -> ShowPage {
        ShowPage {
            period: ctx.ta(
                "demolition.as_of",
                &[
                    ("start", c.started_on.to_string()),
                    ("day", today.to_string()),
                ],
            ),
            days: days_since(c.started_on, today),
            ctx,
            c,
            project,
            rows,
            total,
            may_write,
        }
    }
}

#[derive(Template)]
#[template(path = "demolition/group_form.html")]
pub struct GroupPage {
    pub ctx: Ctx,
    pub c: Command,
    pub form: GroupForm,
    pub errors: FormErrors,
}
