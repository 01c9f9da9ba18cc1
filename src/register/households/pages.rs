//! Templates of the household and person pages, with ID numbers and phones masked for who may
//! not read them in full.

use askama::Template;

use super::forms::{HouseholdForm, PersonForm};
use super::models::{Household, Person};
use crate::register::compounds::models::{Building, Compound};
use crate::register::domain::{self, CARE_TAGS, RELATIONS, SEXES};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::privacy::mask_phone;

/// A household as a line of its compound's page.
pub struct HouseholdRow {
    pub id: i32,
    pub place: String,
    pub moved_out: bool,
}

impl HouseholdRow {
    pub fn of(h: &Household, buildings: &[Building]) -> HouseholdRow {
        HouseholdRow {
            id: h.id,
            place: place(h, buildings),
            moved_out: h.moved_out.is_some(),
        }
    }
}

/// 3号楼 2单元 301.
pub fn place(h: &Household, buildings: &[Building]) -> String {
    let b = h
        .building_id
        .and_then(|id| buildings.iter().find(|b| b.id == id))
        .map(|b| b.name.clone())
        .unwrap_or_default();
    [b, h.unit_no.clone(), h.room.clone()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person as shown: the ID number and phone in full or masked.
pub struct PersonView {
    pub id: i32,
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub id_number: String,
    pub phone: String,
    pub birth_date: String,
    pub registered_address: String,
    pub separated: bool,
    pub tags: Vec<String>,
    pub moved_in: String,
    pub moved_out: String,
}

impl PersonView {
    pub fn of(ctx: &Ctx, p: &Person, full: bool) -> PersonView {
        PersonView {
            id: p.id,
            name: p.name.clone(),
            relation: ctx.t(format!("register.relation.{}", p.relation)),
            sex: ctx.t(format!("register.sex.{}", p.sex)),
            id_number: if full {
                p.id_number.clone()
            } else {
                domain::mask_id(&p.id_number)
            },
            phone: if full {
                p.phone.clone()
            } else {
                mask_phone(&p.phone)
            },
            birth_date: ctx.date_opt(&p.birth_date),
            registered_address: p.registered_address.clone(),
            separated: p.separated,
            tags: domain::tags_of(&p.tags)
                .into_iter()
                .map(|t| ctx.t(format!("register.tag.{t}")))
                .collect(),
            moved_in: ctx.date_opt(&p.moved_in),
            moved_out: ctx.date_opt(&p.moved_out),
        }
    }
}

/// A household's page: where it lives, its persons, the person form.
#[derive(Template)]
#[template(path = "register/households/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub h: Household,
    pub compound: Compound,
    pub place: String,
    pub persons: Vec<PersonView>,
    pub may_write: bool,
    pub form: PersonForm,
    pub errors: FormErrors,
    pub relations: Vec<Choice>,
    pub sexes: Vec<Choice>,
    /// (field name, label key) of each care tag's checkbox.
    pub tags: Vec<(String, String)>,
}

impl ShowPage {
    pub fn choices(ctx: &Ctx) -> (Vec<Choice>, Vec<Choice>, Vec<(String, String)>) {
        (
            RELATIONS
                .iter()
                .map(|r| Choice::new(r, ctx.t(format!("register.relation.{r}"))))
                .collect(),
            SEXES
                .iter()
                .map(|s| Choice::new(s, ctx.t(format!("register.sex.{s}"))))
                .collect(),
            CARE_TAGS
                .iter()
                .map(|t| (format!("tag_{t}"), format!("register.tag.{t}")))
                .collect(),
        )
    }

    /// Is the care tag's checkbox `field` ticked on the form.
    pub fn ticked(&self, field: &str) -> bool {
        let code = field.trim_start_matches("tag_");
        self.form.tags().split(',').any(|t| t == code)
    }
}

/// A person's page.
#[derive(Template)]
#[template(path = "register/households/person.html")]
pub struct PersonPage {
    pub ctx: Ctx,
    pub p: PersonView,
    pub household_id: i32,
    pub place: String,
    pub compound: String,
    pub full: bool,
    /// May the user edit the person or move them out (`domain::may_edit_personal`).
    pub may_edit: bool,
}

/// The household form's blank state on a compound's page.
pub fn blank_household() -> HouseholdForm {
    HouseholdForm {
        form_token: crate::web::csrf::random_token(),
        ..Default::default()
    }
}
