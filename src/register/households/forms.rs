//! The household form (on its compound's page) and the person form (on its household's page).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{Household, HouseholdFields, PersonFields};
use crate::register::compounds::models::{Building, Compound};
use crate::register::domain::{self, RELATIONS, SEXES};
use crate::web::forms::{FormErrors, one_of, optional, optional_date, phone, required};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdForm {
    pub building_id: String,
    pub unit_no: String,
    pub room: String,
    pub moved_in: String,
    pub notes: String,
    pub form_token: String,
}

impl HouseholdForm {
    pub fn parse(
        &self,
        c: &Compound,
        buildings: &[Building],
    ) -> Result<HouseholdFields, FormErrors> {
        let mut e = FormErrors::new();
        let building_id = match self.building_id.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(id) if buildings.iter().any(|b| b.id == id) => Some(id),
                _ => {
                    e.add("building_id", "form.invalid_choice");
                    None
                }
            },
        };
        let unit_no = optional(&mut e, "unit_no", &self.unit_no, 10);
        let room = required(&mut e, "room", &self.room, 20);
        let moved_in = optional_date(&mut e, "moved_in", &self.moved_in);
        let notes = optional(&mut e, "notes", &self.notes, 500);
        e.finish(|| HouseholdFields {
            compound_id: c.id,
            building_id,
            scope_path: c.scope_path.clone(),
            unit_no,
            room,
            moved_in,
            notes,
        })
    }
}

/// A person added to a household; one checkbox per care tag (`tag_<code>`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub relation: String,
    pub sex: String,
    pub id_number: String,
    pub phone: String,
    pub registered_address: String,
    pub separated: String,
    pub tag_dibao: String,
    pub tag_tekun: String,
    pub tag_disabled: String,
    pub tag_elderly_alone: String,
    pub tag_unemployed: String,
    pub tag_veteran: String,
    pub tag_party_member: String,
    pub tag_key_service: String,
    pub moved_in: String,
    pub notes: String,
    pub form_token: String,
}

fn ticked(raw: &str) -> bool {
    matches!(raw.trim(), "on" | "1" | "true")
}

impl PersonForm {
    /// The ticked tags as stored (comma-separated codes).
    pub fn tags(&self) -> String {
        [
            ("dibao", &self.tag_dibao),
            ("tekun", &self.tag_tekun),
            ("disabled", &self.tag_disabled),
            ("elderly_alone", &self.tag_elderly_alone),
            ("unemployed", &self.tag_unemployed),
            ("veteran", &self.tag_veteran),
            ("party_member", &self.tag_party_member),
            ("key_service", &self.tag_key_service),
        ]
        .into_iter()
        .filter(|(_, v)| ticked(v))
        .map(|(k, _)| k)
        .collect::<Vec<_>>()
        .join(",")
    }

    pub fn parse(&self, h: &Household, today: NaiveDate) -> Result<PersonFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "name", &self.name, 30);
        let relation = one_of(&mut e, "relation", &self.relation, &RELATIONS)
            .unwrap_or("")
            .to_string();
        let sex = one_of(&mut e, "sex", &self.sex, &SEXES)
            .unwrap_or("")
            .to_string();
        let id_number = domain::normalize_id(&self.id_number);
        let mut birth_date = None;
        if id_number.is_empty() {
            e.add("id_number", "form.required");
        } else {
            match domain::check_id(&id_number, Some(&sex), today) {
                Ok(f) => birth_date = Some(f.birth_date),
                Err(err) => e.add("id_number", err.key()),
            }
        }
        let phone = phone(&mut e, "phone", &self.phone, false);
        let registered_address =
            optional(&mut e, "registered_address", &self.registered_address, 120);
        let moved_in = optional_date(&mut e, "moved_in", &self.moved_in);
        let notes = optional(&mut e, "notes", &self.notes, 500);
        e.finish(|| PersonFields {
            household_id: h.id,
            scope_path: h.scope_path.clone(),
            name,
            relation,
            id_number,
            sex,
            birth_date,
            phone,
            registered_address,
            separated: ticked(&self.separated),
            tags: self.tags(),
            moved_in,
            notes,
        })
    }
}
