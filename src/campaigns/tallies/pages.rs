//! The tally form's and the correction form's pages.

use askama::Template;

use super::forms::{CorrectForm, TallyForm};
use crate::campaigns::models::{Campaign, Target};
use crate::campaigns::pages::{TallyView, unit_label};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

#[derive(Template)]
#[template(path = "campaigns/tallies/form.html")]
pub struct TallyPage {
    pub ctx: Ctx,
    pub campaign_id: i32,
    pub campaign: String,
    pub form: TallyForm,
    pub errors: FormErrors,
    pub targets: Vec<Choice>,
    pub units: Vec<Choice>,
}

impl TallyPage {
    pub fn new(
        ctx: Ctx,
        c: &Campaign,
        targets: &[Target],
        units: &[(i32, String, i32, String)],
        form: TallyForm,
        errors: FormErrors,
    ) -> TallyPage {
        TallyPage {
            campaign_id: c.id,
            campaign: c.name.clone(),
            targets: targets
                .iter()
                .map(|t| {
                    let label = format!("{} ({})", t.item, unit_label(&ctx, &t.unit_of_count));
                    Choice::new(t.id, label)
                })
                .collect(),
            units: units
                .iter()
                .map(|u| crate::org::models::indented(u.0, &u.1, u.2))
                .collect(),
            ctx,
            form,
            errors,
        }
    }
}

#[derive(Template)]
#[template(path = "campaigns/tallies/correct.html")]
pub struct CorrectPage {
    pub ctx: Ctx,
    pub campaign_id: i32,
    pub campaign: String,
    pub entry: TallyView,
    pub form: CorrectForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

crate::stale_page!(CorrectPage);
