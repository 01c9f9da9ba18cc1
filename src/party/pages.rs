//! Templates of the party pages and the view rows they show.

use askama::Template;

use super::forms::{BranchForm, MemberForm};
use super::models::{Branch, Member};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// The branches in scope.
#[derive(Template)]
#[template(path = "party/branches.html")]
pub struct BranchesPage {
    pub ctx: Ctx,
    pub q: super::branches::ListQuery,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<Branch>,
    /// Ids of active branches with no activity for 30 days.
    pub silent: Vec<i32>,
    pub export_query: String,
    pub may_create: bool,
}

impl BranchesPage {
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

/// A member as shown: personal data masked unless the viewer keeps the branch's record.
pub struct MemberView {
    pub m: Member,
    pub phone: String,
    pub address: String,
    pub veteran: bool,
}

impl MemberView {
    /// `full`: the viewer keeps the branch's record ([`super::domain::sees_personal`]); others
    /// read the phone masked and no address.
    pub fn of(m: Member, full: bool) -> MemberView {
        MemberView {
            phone: if full {
                m.phone.clone()
            } else {
                crate::web::forms::mask_phone(&m.phone)
            },
            address: if full {
                m.address.clone()
            } else {
                String::new()
            },
            veteran: m.veteran(),
            m,
        }
    }
}

/// A branch's page.
#[derive(Template)]
#[template(path = "party/branch.html")]
pub struct BranchPage {
    pub ctx: Ctx,
    pub b: Branch,
    pub unit: String,
    pub members: Vec<MemberView>,
    /// The latest activities, newest first.
    pub activities: Vec<super::activity_pages::ActivityRow>,
    pub may_edit: bool,
    pub may_edit_branch: bool,
    pub silent: bool,
}

/// The branch form (new and edit).
#[derive(Template)]
#[template(path = "party/branch_form.html")]
pub struct BranchFormPage {
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

/// The member form (new and edit).
#[derive(Template)]
#[template(path = "party/member_form.html")]
pub struct MemberFormPage {
    pub ctx: Ctx,
    pub form: MemberForm,
    pub errors: FormErrors,
    pub genders: Vec<Choice>,
    pub difficulties: Vec<Choice>,
    pub action: String,
    pub branch_id: i32,
    pub branch_name: String,
    pub conflicts: Vec<ConflictRow>,
}
