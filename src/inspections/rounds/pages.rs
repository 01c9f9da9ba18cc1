//! Templates of the round pages and what they show.

use askama::Template;

use super::forms::{FormData, ListQuery, RoundForm};
use super::models::{Loaded, Round};
use crate::inspections::domain::MODES;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The modes as choices.
pub fn mode_choices(ctx: &Ctx) -> Vec<Choice> {
    MODES
        .iter()
        .map(|m| Choice::new(m, ctx.t(format!("inspect.mode_{m}"))))
        .collect()
}

/// A row of the round list and its export.
pub struct RoundRow {
    pub id: i32,
    pub title: String,
    pub mode: String,
    pub planned: String,
    pub units: i64,
    pub items: i64,
}

impl RoundRow {
    pub fn of(ctx: &Ctx, r: &Round, units: i64, items: i64) -> RoundRow {
        RoundRow {
            id: r.id,
            title: r.title.clone(),
            mode: ctx.t(format!("inspect.mode_{}", r.mode)),
            planned: format!(
                "{} – {}",
                ctx.date(&r.planned_from),
                ctx.date(&r.planned_to)
            ),
            units,
            items,
        }
    }
}

/// The rounds in scope.
#[derive(Template)]
#[template(path = "inspections/rounds/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub errors: FormErrors,
    pub modes: Vec<Choice>,
    pub rows: Vec<RoundRow>,
    pub export_query: String,
    pub may_plan: bool,
}

/// A round's page.
#[derive(Template)]
#[template(path = "inspections/rounds/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub l: Loaded,
    pub may_edit: bool,
    pub may_inspect: bool,
    /// The round's inspections, the latest first.
    pub visits: Vec<crate::inspections::visits::models::Visit>,
}

impl ShowPage {
    pub fn crumbs(&self) -> Vec<Crumb> {
        vec![Crumb::link(self.ctx.t("inspect.title"), "/inspections")]
    }
}

/// A unit offered by the form, as a checkbox indented by its depth.
pub struct UnitBox {
    pub id: i32,
    /// The name, indented by its depth below the first level offered.
    pub label: String,
}

/// The round form (new and edit).
#[derive(Template)]
#[template(path = "inspections/rounds/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: RoundForm,
    pub errors: FormErrors,
    pub modes: Vec<Choice>,
    pub units: Vec<UnitBox>,
    pub inspectors: Vec<Choice>,
    pub action: String,
    pub round_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

impl FormPage {
    /// The form for a new round (`round` None) or an edit.
    pub fn new(
        ctx: Ctx,
        form: RoundForm,
        errors: FormErrors,
        d: &FormData,
        round: Option<i32>,
    ) -> FormPage {
        let top = d.units.iter().map(|u| u.depth).min().unwrap_or(0);
        FormPage {
            modes: mode_choices(&ctx),
            units: d
                .units
                .iter()
                .map(|u| UnitBox {
                    id: u.id,
                    label: format!(
                        "{}{}",
                        "\u{3000}".repeat((u.depth - top).max(0) as usize),
                        u.name
                    ),
                })
                .collect(),
            inspectors: d
                .inspectors
                .iter()
                .map(|i| Choice::new(i.user_id, &i.name))
                .collect(),
            action: match round {
                Some(id) => format!("/inspections/rounds/{id}"),
                None => "/inspections/rounds".into(),
            },
            round_id: round,
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }

    pub fn unit_ticked(&self, id: &i32) -> bool {
        self.form.has_unit(id)
    }

    pub fn inspector_ticked(&self, value: &str) -> bool {
        self.form.inspectors.iter().any(|v| v == value)
    }
}

crate::stale_page!(FormPage);
