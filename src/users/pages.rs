use askama::Template;
use askama_web::WebTemplate;

use super::forms::{UserForm, UserQuery};
use super::models::Account;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
pub struct UsersPage {
    pub ctx: Ctx,
    pub q: UserQuery,
    pub rows: Vec<Account>,
    pub pager: Pager,
    pub roles: Vec<Choice>,
    pub orgs: Vec<Choice>,
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
