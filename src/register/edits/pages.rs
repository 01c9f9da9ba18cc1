//! The household and person edit pages, each with its move-out form below.

use askama::Template;

use super::forms::{HouseholdEdit, MoveOutForm, PersonEdit};
use crate::register::compounds::models::Building;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// Where a household lives, for the page's title and crumbs.
pub struct Where {
    pub household_id: i32,
    pub compound_id: i32,
    pub compound: String,
    pub place: String,
}

#[derive(Template)]
#[template(path = "register/edits/household.html")]
pub struct HouseholdPage {
    pub ctx: Ctx,
    pub at: Where,
    pub moved_out: Option<String>,
    pub form: HouseholdEdit,
    pub errors: FormErrors,
    pub buildings: Vec<Choice>,
    pub out: MoveOutForm,
    pub out_errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

#[derive(Template)]
#[template(path = "register/edits/person.html")]
pub struct PersonPage {
    pub ctx: Ctx,
    pub at: Where,
    pub person_id: i32,
    pub moved_out: Option<String>,
    pub form: PersonEdit,
    pub errors: FormErrors,
    pub relations: Vec<Choice>,
    pub sexes: Vec<Choice>,
    /// (field name, label key) of each care tag's checkbox.
    pub tags: Vec<(String, String)>,
    pub out: MoveOutForm,
    pub out_errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

crate::stale_page!(HouseholdPage, PersonPage);

impl PersonPage {
    /// Is the care tag's checkbox `field` ticked on the form.
    pub fn ticked(&self, field: &str) -> bool {
        let code = field.trim_start_matches("tag_");
        self.form.p.tags().split(',').any(|t| t == code)
    }
}

/// A compound's buildings as choices.
pub fn building_choices(buildings: &[Building]) -> Vec<Choice> {
    buildings
        .iter()
        .map(|b| Choice::new(b.id, &b.name))
        .collect()
}
