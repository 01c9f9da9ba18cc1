//! Templates of the objects' pages: a command's objects (per group), the object form, and an
//! object with its steps and the form for the next one.

use askama::Template;

use super::forms::{HouseholdForm, StepForm};
use super::models::{Household, Step};
use crate::demolition::domain::KINDS;
use crate::demolition::models::{Command, Group};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// An area kept in hundredths of m², shown as typed ("86.5").
pub fn area(dm2: i64) -> String {
    let (w, f) = (dm2 / 100, dm2 % 100);
    match f {
        0 => w.to_string(),
        f if f % 10 == 0 => format!("{w}.{}", f / 10),
        f => format!("{w}.{f:02}"),
    }
}

/// An object on the list (and in its export).
pub struct Row {
    pub id: i32,
    pub group: String,
    pub kind: String,
    pub building: String,
    pub address: String,
    pub area: String,
    pub head: String,
    pub cadre: String,
    pub stage: String,
}

impl Row {
    pub fn of(ctx: &Ctx, h: &Household, groups: &[Group]) -> Row {
        Row {
            id: h.id,
            group: group_name(groups, h.group_id),
            kind: ctx.t(format!("demolition.kind.{}", h.kind)),
            building: h.building.clone(),
            address: h.address.clone(),
            area: area(h.area_dm2),
            head: h.head.clone(),
            cadre: h.cadre.clone(),
            stage: ctx.t(format!("demolition.stage.{}", h.stage)),
        }
    }

    pub fn cells(&self) -> Vec<String> {
        vec![
            self.group.clone(),
            self.kind.clone(),
            self.building.clone(),
            self.address.clone(),
            self.area.clone(),
            self.head.clone(),
            self.cadre.clone(),
            self.stage.clone(),
        ]
    }
}

/// The objects export's header keys.
pub const COLUMNS: [&str; 8] = [
    "demolition.group",
    "demolition.kind_label",
    "demolition.building",
    "demolition.address",
    "demolition.area",
    "demolition.head",
    "demolition.cadre",
    "demolition.stage_label",
];

fn group_name(groups: &[Group], id: i32) -> String {
    groups
        .iter()
        .find(|g| g.id == id)
        .map(|g| g.name.clone())
        .unwrap_or_default()
}

pub fn group_choices(groups: &[Group]) -> Vec<Choice> {
    groups.iter().map(|g| Choice::new(g.id, &g.name)).collect()
}

#[derive(Template)]
#[template(path = "demolition/households/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub c: Command,
    pub group: String,
    pub groups: Vec<Choice>,
    pub rows: Vec<Row>,
    pub may_write: bool,
}

#[derive(Template)]
#[template(path = "demolition/households/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub c: Command,
    pub form: HouseholdForm,
    pub errors: FormErrors,
    pub groups: Vec<Choice>,
    pub kinds: Vec<Choice>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        c: Command,
        form: HouseholdForm,
        errors: FormErrors,
        groups: &[Group],
    ) -> FormPage {
        FormPage {
            kinds: KINDS
                .iter()
                .map(|k| Choice::new(k, ctx.t(format!("demolition.kind.{k}"))))
                .collect(),
            groups: group_choices(groups),
            ctx,
            c,
            form,
            errors,
        }
    }
}

/// A recorded step as shown.
pub struct StepView {
    pub step: String,
    pub done_on: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "demolition/households/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub c: Command,
    pub row: Row,
    pub steps: Vec<StepView>,
    pub next: Option<Choice>,
    pub form: StepForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub may_write: bool,
}

impl ShowPage {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        ctx: Ctx,
        c: Command,
        h: &Household,
        groups: &[Group],
        steps: &[Step],
        form: StepForm,
        errors: FormErrors,
        may_write: bool,
    ) -> ShowPage {
        let next = crate::demolition::domain::next_step(&h.stage)
            .map(|s| Choice::new(s, ctx.t(format!("demolition.stage.{s}"))));
        ShowPage {
            row: Row::of(&ctx, h, groups),
            steps: steps
                .iter()
                .map(|s| StepView {
                    step: ctx.t(format!("demolition.stage.{}", s.step)),
                    done_on: s.done_on.to_string(),
                    note: s.note.clone(),
                })
                .collect(),
            next,
            conflicts: Vec::new(),
            ctx,
            c,
            form,
            errors,
            may_write,
        }
    }
}

crate::stale_page!(ShowPage);
