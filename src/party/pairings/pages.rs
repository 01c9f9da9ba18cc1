//! Templates of the pairing pages.

use askama::Template;

use super::forms::{EndForm, PairingForm};
use super::models::{PairingLine, PairingRow};
use crate::party::activities::models::ListRow;
use crate::party::activities::pages::ActivityRow;
use crate::party::branches::models::Branch;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// A branch's pairings.
#[derive(Template)]
#[template(path = "party/pairings/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub branch_id: i32,
    pub branch_name: String,
    pub rows: Vec<PairingLine>,
    pub may_edit: bool,
}

/// The pairing form (new and edit).
#[derive(Template)]
#[template(path = "party/pairings/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: PairingForm,
    pub errors: FormErrors,
    pub members: Vec<Choice>,
    pub action: String,
    /// The pairing edited; None for a new one.
    pub pairing_id: Option<i32>,
    /// A stale edit: the fields that differ (yours, saved now).
    pub conflicts: Vec<ConflictRow>,
    pub branch_id: i32,
    pub branch_name: String,
}

impl FormPage {
    /// The form for a new pairing (`pairing` None) or an edit; `members`: (id, name) offered.
    pub fn new(
        ctx: Ctx,
        b: &Branch,
        members: &[(i32, String)],
        form: PairingForm,
        errors: FormErrors,
        pairing: Option<i32>,
    ) -> FormPage {
        FormPage {
            members: members.iter().map(|m| Choice::new(m.0, &m.1)).collect(),
            action: match pairing {
                Some(p) => format!("/party/branches/{}/pairings/{p}", b.id),
                None => format!("/party/branches/{}/pairings", b.id),
            },
            pairing_id: pairing,
            conflicts: Vec::new(),
            branch_id: b.id,
            branch_name: b.name.clone(),
            ctx,
            form,
            errors,
        }
    }
}

/// A pairing and its visits.
#[derive(Template)]
#[template(path = "party/pairings/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub branch_id: i32,
    pub branch_name: String,
    pub p: PairingRow,
    pub member: String,
    pub visits: Vec<ActivityRow>,
    pub may_edit: bool,
    /// The end form (while the pairing lasts) as typed, with its messages.
    pub end: EndForm,
    pub end_errors: FormErrors,
    /// The end form came from a page older than the pairing (409).
    pub stale: bool,
}

/// A pairing in the user's scope: its branch, the row, the member's name and its visits.
pub struct Loaded {
    pub b: Branch,
    pub p: PairingRow,
    pub member: String,
    pub visits: Vec<ListRow>,
}

impl ShowPage {
    /// 党建 › the branch › its pairings.
    pub fn crumbs(&self) -> Vec<Crumb> {
        let branch = Some((self.branch_id, self.branch_name.as_str()));
        let mut crumbs = crate::party::branches::pages::crumbs(&self.ctx, branch);
        let list = format!("/party/branches/{}/pairings", self.branch_id);
        crumbs.push(Crumb::link(self.ctx.t("party.pairing.title"), list));
        crumbs
    }

    /// The pairing's page; `end` is the end form as typed (or its defaults).
    pub fn new(
        ctx: Ctx,
        may_edit: bool,
        l: Loaded,
        end: EndForm,
        end_errors: FormErrors,
    ) -> ShowPage {
        ShowPage {
            may_edit,
            visits: l.visits.iter().map(|r| ActivityRow::of(&ctx, r)).collect(),
            branch_id: l.b.id,
            branch_name: l.b.name,
            p: l.p,
            member: l.member,
            end,
            end_errors,
            stale: false,
            ctx,
        }
    }
}

crate::stale_page!(FormPage);
