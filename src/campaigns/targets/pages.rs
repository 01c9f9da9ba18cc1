//! The target form's page.

use askama::Template;

use super::forms::TargetForm;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};

#[derive(Template)]
#[template(path = "campaigns/targets/form.html")]
pub struct TargetPage {
    pub ctx: Ctx,
    pub campaign_id: i32,
    pub campaign: String,
    pub form: TargetForm,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
}
