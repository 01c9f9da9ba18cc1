//! The member form's page, and a member as the branch page, the roll's export and the ledger show
//! them.

use askama::Template;

use super::forms::{GENDERS, MemberForm};
use super::models::Member;
use crate::party::branches::models::Branch;
use crate::party::domain::DIFFICULTY;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// A member as shown: personal data masked unless the viewer keeps the branch's record.
pub struct MemberView {
    pub m: Member,
    pub phone: String,
    pub address: String,
    pub veteran: bool,
}

impl MemberView {
    /// `full`: the viewer keeps the branch's record ([`crate::party::domain::sees_personal`]);
    /// others read the phone masked and no address.
    pub fn of(m: Member, full: bool) -> MemberView {
        MemberView {
            phone: if full {
                m.phone.clone()
            } else {
                crate::web::privacy::mask_phone(&m.phone)
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

/// The difficulty levels as choices ("none" first).
pub fn difficulty_choices(ctx: &Ctx) -> Vec<Choice> {
    DIFFICULTY
        .iter()
        .map(|d| {
            Choice::new(
                d,
                if d.is_empty() {
                    ctx.t("party.difficulty.none")
                } else {
                    ctx.t(format!("party.difficulty.{d}"))
                },
            )
        })
        .collect()
}

/// The member form (new and edit).
#[derive(Template)]
#[template(path = "party/members/form.html")]
pub struct FormPage {
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

impl FormPage {
    /// 党建 › the branch.
    pub fn crumbs(&self) -> Vec<Crumb> {
        crate::party::branches::pages::crumbs(&self.ctx, Some((self.branch_id, &self.branch_name)))
    }

    /// The form for a new member (`member` None) or an edit.
    pub fn new(
        ctx: Ctx,
        b: &Branch,
        form: MemberForm,
        errors: FormErrors,
        member: Option<i32>,
    ) -> FormPage {
        FormPage {
            genders: GENDERS
                .iter()
                .map(|g| Choice::new(g, ctx.t(format!("party.gender.{g}"))))
                .collect(),
            difficulties: difficulty_choices(&ctx),
            action: match member {
                Some(m) => format!("/party/branches/{}/members/{m}", b.id),
                None => format!("/party/branches/{}/members", b.id),
            },
            branch_id: b.id,
            branch_name: b.name.clone(),
            conflicts: Vec::new(),
            ctx,
            form,
            errors,
        }
    }
}

crate::stale_page!(FormPage);
