use askama::Template;
use askama_web::WebTemplate;

use super::forms::{UserForm, UserQuery};
use super::models::Account;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::list::Column;
use crate::web::pagination::Pager;
use crate::web::privacy::mask_phone;

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
pub struct UsersPage {
    pub ctx: Ctx,
    pub q: UserQuery,
    pub rows: Vec<Account>,
    pub pager: Pager,
    pub roles: Vec<Choice>,
    pub orgs: Vec<Choice>,
    pub statuses: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "users/form.html")]
pub struct UserFormPage {
    pub ctx: Ctx,
    /// None when creating.
    pub account: Option<Account>,
    pub roles: Vec<Choice>,
    pub orgs: Vec<Choice>,
    pub form: UserForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    /// The reset-password form's error, shown beside it.
    pub reset_errors: FormErrors,
}

/// The export's columns: the list's, with the same masking and names.
pub const EXPORT_COLUMNS: &[Column<Account>] = &[
    Column {
        header: "users.username",
        cell: |_, a| a.username.clone(),
    },
    Column {
        header: "users.display_name",
        cell: |_, a| a.display_name.clone(),
    },
    Column {
        header: "users.role",
        cell: |ctx, a| ctx.t(format!("role.{}", a.role)),
    },
    Column {
        header: "users.org_unit",
        cell: |_, a| a.org_name.clone(),
    },
    Column {
        header: "users.phone",
        cell: |_, a| mask_phone(&a.phone),
    },
    Column {
        header: "users.status",
        cell: |ctx, a| ctx.t(a.status_key()),
    },
    Column {
        header: "users.last_login",
        cell: |ctx, a| ctx.dt_opt(&a.last_login_at),
    },
];

crate::stale_page!(UserFormPage);
