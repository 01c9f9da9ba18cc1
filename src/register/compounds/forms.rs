//! The compound list's query, the compound form and the building form, as typed and as parsed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::models::{BuildingFields, Compound, CompoundFields};
use crate::register::domain::COMPOUND_KINDS;
use crate::web::forms::{FormErrors, int_in, one_of, optional, optional_date, phone, required};
use crate::web::list::ListParams;

/// The compound list's query string: a community or grid, part of a name, a kind.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub unit: String,
    pub q: String,
    pub kind: String,
    /// A person's name or ID number, looked for inside the scope.
    pub who: String,
}

impl ListParams for ListQuery {
    fn filters(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("unit", &self.unit),
            ("q", &self.q),
            ("kind", &self.kind),
            ("who", &self.who),
        ]
    }
    fn page(&self) -> Option<&str> {
        None
    }
}

impl ListQuery {
    pub fn kind(&self) -> Option<String> {
        COMPOUND_KINDS
            .iter()
            .find(|k| **k == self.kind.trim())
            .map(|k| k.to_string())
    }

    pub fn name(&self) -> Option<String> {
        let q = self.q.trim();
        (!q.is_empty()).then(|| q.chars().take(60).collect())
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CompoundForm {
    pub grid_id: String,
    pub name: String,
    pub kind: String,
    pub address: String,
    pub property_company: String,
    pub property_contact: String,
    pub property_phone: String,
    pub head_name: String,
    pub head_phone: String,
    pub lights_on: String,
    pub roads_on: String,
    pub water_on: String,
    pub safety_on: String,
    pub notes: String,
    pub version: String,
    pub form_token: String,
}

impl CompoundForm {
    pub fn from_compound(c: &Compound) -> CompoundForm {
        let d = |x: &Option<NaiveDate>| x.map(|d| d.to_string()).unwrap_or_default();
        CompoundForm {
            grid_id: c.grid_id.to_string(),
            name: c.name.clone(),
            kind: c.kind.clone(),
            address: c.address.clone(),
            property_company: c.property_company.clone(),
            property_contact: c.property_contact.clone(),
            property_phone: c.property_phone.clone(),
            head_name: c.head_name.clone(),
            head_phone: c.head_phone.clone(),
            lights_on: d(&c.lights_on),
            roads_on: d(&c.roads_on),
            water_on: d(&c.water_on),
            safety_on: d(&c.safety_on),
            notes: c.notes.clone(),
            version: c.version.to_string(),
            form_token: String::new(),
        }
    }

    /// `grids`: the grids in the user's scope (id, path) a compound may lie in; `today`: a
    /// checklist item is not met in the future.
    pub fn parse(
        &self,
        grids: &[(i32, String)],
        today: NaiveDate,
    ) -> Result<CompoundFields, FormErrors> {
        let mut e = FormErrors::new();
        let grid = self
            .grid_id
            .trim()
            .parse::<i32>()
            .ok()
            .and_then(|id| grids.iter().find(|g| g.0 == id))
            .cloned();
        if grid.is_none() {
            e.add(
                "grid_id",
                if self.grid_id.trim().is_empty() {
                    "form.required"
                } else {
                    "form.invalid_choice"
                },
            );
        }
        let name = required(&mut e, "name", &self.name, 60);
        let kind = one_of(&mut e, "kind", &self.kind, &COMPOUND_KINDS)
            .unwrap_or("")
            .to_string();
        let address = optional(&mut e, "address", &self.address, 120);
        let property_company = optional(&mut e, "property_company", &self.property_company, 60);
        let property_contact = optional(&mut e, "property_contact", &self.property_contact, 30);
        let property_phone = phone(&mut e, "property_phone", &self.property_phone, false);
        let head_name = optional(&mut e, "head_name", &self.head_name, 30);
        let head_phone = phone(&mut e, "head_phone", &self.head_phone, false);
        let mut met = |field: &'static str, raw: &str| {
            let d = optional_date(&mut e, field, raw);
            if d.is_some_and(|d| d > today) {
                e.add(field, "form.date_future");
            }
            d
        };
        let lights_on = met("lights_on", &self.lights_on);
        let roads_on = met("roads_on", &self.roads_on);
        let water_on = met("water_on", &self.water_on);
        let safety_on = met("safety_on", &self.safety_on);
        let notes = optional(&mut e, "notes", &self.notes, 2000);
        let (grid_id, scope_path) = grid.unwrap_or_default();
        e.finish(|| CompoundFields {
            grid_id,
            scope_path,
            name,
            kind,
            address,
            property_company,
            property_contact,
            property_phone,
            head_name,
            head_phone,
            lights_on,
            roads_on,
            water_on,
            safety_on,
            notes,
        })
    }
}

/// The labelled values of a compound form, for the stale-edit table and the audit log.
pub fn labelled(f: &CompoundForm) -> Vec<(&'static str, String)> {
    vec![
        ("register.grid", f.grid_id.trim().to_string()),
        ("register.compound", f.name.trim().to_string()),
        ("register.kind", f.kind.trim().to_string()),
        ("register.address", f.address.trim().to_string()),
        (
            "register.property_company",
            f.property_company.trim().to_string(),
        ),
        (
            "register.property_contact",
            f.property_contact.trim().to_string(),
        ),
        (
            "register.property_phone",
            f.property_phone.trim().to_string(),
        ),
        ("register.head_name", f.head_name.trim().to_string()),
        ("register.head_phone", f.head_phone.trim().to_string()),
        ("register.check.lights", f.lights_on.trim().to_string()),
        ("register.check.roads", f.roads_on.trim().to_string()),
        ("register.check.water", f.water_on.trim().to_string()),
        ("register.check.safety", f.safety_on.trim().to_string()),
        ("register.notes", f.notes.trim().to_string()),
    ]
}

crate::edit_form!(CompoundForm);

/// A building added on its compound's page.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BuildingForm {
    pub name: String,
    pub floors: String,
    pub units: String,
    pub households: String,
    pub form_token: String,
}

impl BuildingForm {
    pub fn parse(&self, c: &Compound) -> Result<BuildingFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = required(&mut e, "name", &self.name, 30);
        let floors = int_in(&mut e, "floors", &self.floors, 1, 120);
        let units = int_in(&mut e, "units", &self.units, 1, 50);
        let households = int_in(&mut e, "households", &self.households, 0, 5000);
        e.finish(|| BuildingFields {
            compound_id: c.id,
            scope_path: c.scope_path.clone(),
            name,
            floors,
            units,
            households,
        })
    }
}
