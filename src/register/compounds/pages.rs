//! Templates of the compound pages and what they show.

use askama::Template;
use chrono::NaiveDate;

use super::forms::{BuildingForm, CompoundForm, ListQuery};
use super::models::{Building, Compound};
use crate::org::models::UnitGroup;
use crate::register::domain::{CHECKLIST, COMPOUND_KINDS, checklist_met};
use crate::register::households::forms::HouseholdForm;
use crate::register::households::pages::HouseholdRow;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The compound kinds as choices.
pub fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    COMPOUND_KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("register.kind.{k}"))))
        .collect()
}

/// A compound as a row of the list and its export.
#[derive(Debug, Clone)]
pub struct Row {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub grid: String,
    pub address: String,
    pub head: String,
    pub buildings: i64,
    pub households: i64,
    /// How many of the four checklist items are met.
    pub met: usize,
}

impl Row {
    pub fn of(ctx: &Ctx, c: &Compound, grid: String, totals: (i64, i64)) -> Row {
        Row {
            id: c.id,
            name: c.name.clone(),
            kind: ctx.t(format!("register.kind.{}", c.kind)),
            grid,
            address: c.address.clone(),
            head: c.head_name.clone(),
            buildings: totals.0,
            households: totals.1,
            met: checklist_met(&c.checklist()),
        }
    }
}

/// The compounds in scope.
#[derive(Template)]
#[template(path = "register/compounds/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<Row>,
    /// More compounds lie in scope than the page shows.
    pub more: bool,
    /// Persons found by name or ID number (`who`), shown as the user may read them.
    pub persons: Vec<crate::register::households::pages::PersonView>,
    pub export_query: String,
    pub may_create: bool,
}

impl ListPage {
    pub fn household_total(&self) -> i64 {
        self.rows.iter().map(|r| r.households).sum()
    }

    pub fn complete_total(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| r.met == CHECKLIST.len())
            .count()
    }
}

/// One checklist item on the compound's page: its label key and the day met.
pub struct CheckItem {
    pub key: String,
    pub met_on: Option<NaiveDate>,
}

/// A compound's page: its facts, the checklist, its buildings and households.
#[derive(Template)]
#[template(path = "register/compounds/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub crumbs: Vec<Crumb>,
    pub c: Compound,
    pub kind: String,
    pub grid: String,
    pub checklist: Vec<CheckItem>,
    pub buildings: Vec<Building>,
    pub may_write: bool,
    pub building: BuildingForm,
    pub errors: FormErrors,
    pub households: Vec<HouseholdRow>,
    pub household: HouseholdForm,
    pub household_errors: FormErrors,
    pub building_choices: Vec<Choice>,
}

impl ShowPage {
    pub fn checklist_of(c: &Compound) -> Vec<CheckItem> {
        CHECKLIST
            .iter()
            .zip(c.checklist())
            .map(|(k, met_on)| CheckItem {
                key: format!("register.check.{k}"),
                met_on,
            })
            .collect()
    }
}

/// The compound form (new and edit).
#[derive(Template)]
#[template(path = "register/compounds/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: CompoundForm,
    pub errors: FormErrors,
    pub kinds: Vec<Choice>,
    pub grids: Vec<UnitGroup>,
    pub action: String,
    pub compound_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        form: CompoundForm,
        errors: FormErrors,
        grids: Vec<UnitGroup>,
        compound_id: Option<i32>,
    ) -> FormPage {
        FormPage {
            kinds: kind_choices(&ctx),
            action: match compound_id {
                Some(id) => format!("/register/compounds/{id}"),
                None => "/register/compounds".into(),
            },
            compound_id,
            grids,
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);
