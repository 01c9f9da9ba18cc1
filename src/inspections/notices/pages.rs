//! Templates of the notice pages: the list, the form, a notice's page with its steps, and the
//! A4 print with its tear-off receipt (回执).

use askama::Template;

use super::domain::{self, STATES};
use super::forms::{AnswerForm, ExtForm, ListQuery, NoticeForm, SignForm};
use super::models::{Answer, Notice};
use crate::inspections::visits::models::Finding;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The notice's number as printed.
pub fn number(ctx: &Ctx, n: &Notice) -> String {
    domain::number_text(&ctx.t("notices.number_pattern"), n.year, n.number)
}

/// The states as choices.
pub fn state_choices(ctx: &Ctx) -> Vec<Choice> {
    STATES
        .iter()
        .map(|s| Choice::new(s, ctx.t(format!("notices.state.{s}"))))
        .collect()
}

fn crumbs(ctx: &Ctx) -> Vec<Crumb> {
    vec![
        Crumb::link(ctx.t("inspect.title"), "/inspections"),
        Crumb::link(ctx.t("notices.title"), "/inspections/notices"),
    ]
}

/// A row of the list and its export.
pub struct NoticeRow {
    pub id: i32,
    pub number: String,
    pub unit: String,
    pub issued: String,
    pub deadline: String,
    pub state: &'static str,
    pub state_label: String,
    pub findings: i64,
    pub answered: i64,
    pub signed: String,
}

impl NoticeRow {
    pub fn of(ctx: &Ctx, n: &Notice, p: domain::Progress, state: &'static str) -> NoticeRow {
        NoticeRow {
            id: n.id,
            number: number(ctx, n),
            unit: n.unit_name.clone(),
            issued: ctx.date(&n.issued_on),
            deadline: ctx.date(&n.deadline),
            state,
            state_label: ctx.t(format!("notices.state.{state}")),
            findings: p.findings,
            answered: p.answered,
            signed: n.signed_name.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "inspections/notices/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub states: Vec<Choice>,
    pub rows: Vec<NoticeRow>,
    pub export_query: String,
}

/// The notice form: the unit's open findings to tick.
#[derive(Template)]
#[template(path = "inspections/notices/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub round_title: String,
    pub unit_name: String,
    pub offered: Vec<Finding>,
    pub form: NoticeForm,
    pub errors: FormErrors,
}

impl FormPage {
    pub fn crumbs(&self) -> Vec<Crumb> {
        crumbs(&self.ctx)
    }
}

/// A finding of the notice with its category and answers.
pub struct Line {
    pub f: Finding,
    pub category: String,
    pub answers: Vec<Answer>,
}

impl Line {
    pub fn last_answer(&self) -> String {
        self.answers
            .last()
            .map(|a| a.body.clone())
            .unwrap_or_default()
    }
}

/// What a notice page holds besides the notice: its lines and who may do what.
pub struct Shown {
    pub n: Notice,
    pub number: String,
    pub round_title: String,
    pub issuer: String,
    pub state: &'static str,
    pub lines: Vec<Line>,
    pub may_respond: bool,
    pub may_decide: bool,
    pub may_ask: bool,
}

/// The forms a notice page shows, as typed, with their messages and a stale step's table.
#[derive(Default)]
pub struct Typed {
    pub sign: SignForm,
    pub answer: AnswerForm,
    pub ext: ExtForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

/// A notice's page.
#[derive(Template)]
#[template(path = "inspections/notices/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub s: Shown,
    pub t: Typed,
    pub conflicts: Vec<ConflictRow>,
}

crate::stale_page!(ShowPage);

impl ShowPage {
    pub fn crumbs(&self) -> Vec<Crumb> {
        crumbs(&self.ctx)
    }
    pub fn answer_for(&self, id: &i32) -> bool {
        self.t.answer.finding.trim() == id.to_string()
    }
}

/// The notice printed on A4 with its tear-off receipt.
#[derive(Template)]
#[template(path = "inspections/notices/print.html")]
pub struct PrintPage {
    pub ctx: Ctx,
    pub s: Shown,
}

impl PrintPage {
    pub fn lead(&self) -> String {
        self.ctx.ta(
            "notices.print_lead",
            &[
                ("round", self.s.round_title.clone()),
                ("day", self.ctx.date(&self.s.n.issued_on)),
            ],
        )
    }
    pub fn deadline_text(&self) -> String {
        self.ctx.ta(
            "notices.print_deadline",
            &[
                ("date", self.ctx.date(&self.s.n.deadline)),
                ("n", self.s.n.working_days.to_string()),
            ],
        )
    }
}
