//! Templates of the opinion pages and the rows they show.

use std::collections::HashMap;

use askama::Template;

use super::domain::{CHANNELS, STATES, keeps_contact, may_enter, title_of};
use super::forms::{AnswerForm, IssueForm, ListQuery, OpinionForm};
use super::models::Opinion;
use crate::auth::CurrentUser;
use crate::issues::models::CategoryRow;
use crate::issues::pages::CategoryGroup;
use crate::org::models::UnitGroup;
use crate::party::branches::models::BranchUnit;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;
use crate::web::privacy::{mask_name, mask_phone, masked_contact};

/// The opinion's page shows this user the resident's contact in full (they keep the record and
/// there is a contact): the view is audited.
pub fn reveals(user: &CurrentUser, o: &Opinion) -> bool {
    keeps_contact(user, &o.scope_path)
        && !(o.contact_name.trim().is_empty() && o.contact_phone.trim().is_empty())
}

/// The contact on the opinion's page: in full for who keeps the record, masked for the others.
fn contact(user: &CurrentUser, o: &Opinion) -> (String, String) {
    if keeps_contact(user, &o.scope_path) {
        (o.contact_name.clone(), o.contact_phone.clone())
    } else {
        (mask_name(&o.contact_name), mask_phone(&o.contact_phone))
    }
}

/// An opinion as a line of the list.
pub struct RowView {
    pub id: i32,
    pub day: String,
    pub unit: String,
    pub channel: String,
    pub content: String,
    pub contact: String,
    pub state: String,
    pub issue_id: Option<i32>,
}

impl RowView {
    /// `units`: unit id → name. The contact masked, whoever reads the list.
    pub fn of(ctx: &Ctx, o: &Opinion, units: &HashMap<i32, String>) -> RowView {
        let mut content: String = o.content.chars().take(60).collect();
        if o.content.chars().count() > 60 {
            content.push('…');
        }
        RowView {
            id: o.id,
            day: ctx.date(&o.received_on),
            unit: units.get(&o.unit_id).cloned().unwrap_or_default(),
            channel: ctx.t(format!("party.opinion.channel.{}", o.channel)),
            content,
            contact: masked_contact(&o.contact_name, &o.contact_phone),
            state: o.state.clone(),
            issue_id: o.issue_id,
        }
    }
}

/// The opinion states as choices.
pub fn state_choices(ctx: &Ctx) -> Vec<Choice> {
    STATES
        .iter()
        .map(|s| Choice::new(s, ctx.t(format!("party.opinion.state.{s}"))))
        .collect()
}

#[derive(Template)]
#[template(path = "party/opinions/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub states: Vec<Choice>,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub errors: FormErrors,
    pub may_create: bool,
}

#[derive(Template)]
#[template(path = "party/opinions/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: OpinionForm,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub channels: Vec<Choice>,
}

impl FormPage {
    /// `units`: the units the user may enter opinions for.
    pub fn new(ctx: Ctx, form: OpinionForm, errors: FormErrors, units: &[BranchUnit]) -> FormPage {
        FormPage {
            channels: CHANNELS
                .iter()
                .map(|c| Choice::new(c, ctx.t(format!("party.opinion.channel.{c}"))))
                .collect(),
            units: units
                .iter()
                .map(|u| crate::org::models::indented(u.id, &u.name, u.depth))
                .collect(),
            ctx,
            form,
            errors,
        }
    }
}

#[derive(Template)]
#[template(path = "party/opinions/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub o: Opinion,
    pub unit: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub answered_by: String,
    pub issue_number: String,
    pub may_enter: bool,
    pub answer: AnswerForm,
    pub answer_errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub issue: IssueForm,
    pub issue_errors: FormErrors,
    pub categories: Vec<CategoryGroup>,
    /// The unit's grids under their communities, in tree order.
    pub grids: Vec<UnitGroup>,
}

/// An opinion with what its page shows beside it: the unit's name, who answered, the issue's
/// number, and — while it can still become an issue — the categories and the unit's grids.
pub struct Loaded {
    pub o: Opinion,
    pub unit: String,
    pub answered_by: String,
    pub issue_number: String,
    pub cats: Vec<CategoryRow>,
    pub grids: Vec<UnitGroup>,
}

impl ShowPage {
    pub fn new(ctx: Ctx, user: &CurrentUser, d: Loaded) -> ShowPage {
        let (contact_name, contact_phone) = contact(user, &d.o);
        ShowPage {
            may_enter: may_enter(user, &d.o.scope_path),
            answer: AnswerForm::from_opinion(&d.o),
            answer_errors: FormErrors::new(),
            conflicts: Vec::new(),
            issue: IssueForm {
                title: title_of(&d.o.content),
                form_token: crate::web::csrf::random_token(),
                ..Default::default()
            },
            issue_errors: FormErrors::new(),
            categories: CategoryGroup::all(&d.cats, false),
            grids: d.grids,
            unit: d.unit,
            answered_by: d.answered_by,
            issue_number: d.issue_number,
            contact_name,
            contact_phone,
            o: d.o,
            ctx,
        }
    }
}
