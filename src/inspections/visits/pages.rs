//! Templates of the inspection form and page.

use askama::Template;

use super::forms::VisitForm;
use super::models::{Finding, Visit};
use crate::inspections::domain::{RESULTS, SEVERITIES};
use crate::inspections::rounds::models::Loaded;
use crate::issues::pages::CategoryGroup;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};

fn choices(ctx: &Ctx, codes: &[&str], prefix: &str) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice::new(c, ctx.t(format!("{prefix}{c}"))))
        .collect()
}

fn crumbs(ctx: &Ctx, l: &Loaded) -> Vec<Crumb> {
    vec![
        Crumb::link(ctx.t("inspect.title"), "/inspections"),
        Crumb::link(
            &l.round.title,
            format!("/inspections/rounds/{}", l.round.id),
        ),
    ]
}

/// The inspection form: the round's units, a result per checklist item, one finding.
#[derive(Template)]
#[template(path = "inspections/visits/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub l: Loaded,
    pub form: VisitForm,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub results: Vec<Choice>,
    pub severities: Vec<Choice>,
    pub categories: Vec<CategoryGroup>,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        l: Loaded,
        form: VisitForm,
        errors: FormErrors,
        categories: Vec<CategoryGroup>,
    ) -> FormPage {
        FormPage {
            units: l
                .units
                .iter()
                .map(|u| Choice::new(u.unit_id, &u.unit_name))
                .collect(),
            results: choices(&ctx, &RESULTS, "inspect.result_"),
            severities: choices(&ctx, &SEVERITIES, "inspect.severity_"),
            categories,
            ctx,
            l,
            form,
            errors,
        }
    }

    pub fn crumbs(&self) -> Vec<Crumb> {
        crumbs(&self.ctx, &self.l)
    }

    pub fn checked(&self, item: &i32, result: &str) -> bool {
        self.form.result(*item) == result
    }
}

/// A checklist line with its result, in words.
pub struct ResultRow {
    pub position: i32,
    pub item: String,
    pub standard: String,
    pub result: String,
    pub code: String,
}

/// A finding as the page shows it.
pub struct FindingRow {
    pub f: Finding,
    pub category: String,
    pub severity: String,
}

/// An inspection's page.
#[derive(Template)]
#[template(path = "inspections/visits/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub l: Loaded,
    pub v: Visit,
    pub inspector: String,
    pub results: Vec<ResultRow>,
    pub findings: Vec<FindingRow>,
    /// May the user issue a rectification notice for the visit's unit (`notices::domain`).
    pub may_issue: bool,
}

impl ShowPage {
    pub fn crumbs(&self) -> Vec<Crumb> {
        crumbs(&self.ctx, &self.l)
    }
}
