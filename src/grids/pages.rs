use askama::Template;
use askama_web::WebTemplate;

use super::forms::{PersonForm, SiteForm};
use super::models::Person;
use crate::org::models::OrgUnit;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

#[derive(Template, WebTemplate)]
#[template(path = "grids/person_form.html")]
pub struct PersonFormPage {
    pub ctx: Ctx,
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    pub person: Option<Person>,
    pub duties: Vec<Choice>,
    pub staff: Vec<Choice>,
    pub form: PersonForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub photo_error: Option<String>,
    pub upload_max_mib: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "grids/site_form.html")]
pub struct SiteFormPage {
    pub ctx: Ctx,
    pub grid: OrgUnit,
    pub crumbs: Vec<Crumb>,
    pub site_id: Option<i32>,
    pub kinds: Vec<Choice>,
    pub intervals: Vec<Choice>,
    pub form: SiteForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

/// What the notice and the service card show.
pub struct GridSheet {
    pub grid: OrgUnit,
    /// The community (or village) and street above the grid.
    pub community: Option<OrgUnit>,
    pub street: Option<OrgUnit>,
    pub people: Vec<Person>,
    /// From the user's scope root down to the grid.
    pub crumbs: Vec<Crumb>,
}

#[derive(Template, WebTemplate)]
#[template(path = "grids/notice.html")]
pub struct NoticePage {
    pub ctx: Ctx,
    pub sheet: GridSheet,
}

#[derive(Template, WebTemplate)]
#[template(path = "grids/card.html")]
pub struct CardPage {
    pub ctx: Ctx,
    pub sheet: GridSheet,
    /// Cards per A4 sheet, to cut and hand out to households.
    pub copies: Vec<usize>,
}

crate::stale_page!(PersonFormPage, SiteFormPage);
