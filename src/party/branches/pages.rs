//! Templates of the branch pages and what they show.

use askama::Template;

use super::forms::{BranchForm, ListQuery};
use super::models::{Branch, BranchUnit, SecretaryAccount};
use crate::party::activities::pages::ActivityRow;
use crate::party::domain::BRANCH_KINDS;
use crate::party::members::pages::MemberView;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The trail of a party page: 党建, then the branch when the page sits under one.
pub fn crumbs(ctx: &Ctx, branch: Option<(i32, &str)>) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb::link(ctx.t("nav.party"), "/party")];
    if let Some((id, name)) = branch {
        crumbs.push(Crumb::link(name, format!("/party/branches/{id}")));
    }
    crumbs
}

/// The branch kinds as choices.
pub fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    BRANCH_KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("party.branch_kind.{k}"))))
        .collect()
}

/// The branches in scope.
#[derive(Template)]
#[template(path = "party/branches/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<Branch>,
    /// Ids of active branches with no activity for 30 days.
    pub silent: Vec<i32>,
    pub export_query: String,
    pub may_create: bool,
}

impl ShowPage {
    pub fn crumbs(&self) -> Vec<Crumb> {
        crumbs(&self.ctx, None)
    }
}

impl ListPage {
    pub fn is_silent(&self, id: &i32) -> bool {
        self.silent.contains(id)
    }

    pub fn member_total(&self) -> i32 {
        self.rows.iter().map(|b| b.members).sum()
    }

    pub fn demo_total(&self) -> usize {
        self.rows.iter().filter(|b| b.demo_site).count()
    }
}

/// A branch's page.
#[derive(Template)]
#[template(path = "party/branches/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub b: Branch,
    pub unit: String,
    pub members: Vec<MemberView>,
    /// The latest activities, newest first.
    pub activities: Vec<ActivityRow>,
    pub may_edit: bool,
    pub may_edit_branch: bool,
    pub silent: bool,
}

/// The branch form (new and edit).
#[derive(Template)]
#[template(path = "party/branches/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: BranchForm,
    pub errors: FormErrors,
    pub kinds: Vec<Choice>,
    pub units: Vec<Choice>,
    pub accounts: Vec<Choice>,
    pub action: String,
    pub branch_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
}

/// What the branch form offers: the units a branch can belong to, the secretary accounts.
pub struct FormData {
    pub units: Vec<BranchUnit>,
    pub accounts: Vec<SecretaryAccount>,
}

impl FormPage {
    /// The form for a new branch (`branch` None) or an edit.
    pub fn new(
        ctx: Ctx,
        form: BranchForm,
        errors: FormErrors,
        d: &FormData,
        branch: Option<&Branch>,
    ) -> FormPage {
        FormPage {
            kinds: kind_choices(&ctx),
            units: d
                .units
                .iter()
                .map(|u| crate::org::models::indented(u.id, &u.name, u.depth))
                .collect(),
            accounts: d
                .accounts
                .iter()
                .map(|a| Choice::new(a.id, format!("{} · {}", a.name, a.unit)))
                .collect(),
            action: match branch {
                Some(b) => format!("/party/branches/{}", b.id),
                None => "/party/branches".into(),
            },
            branch_id: branch.map(|b| b.id),
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);
