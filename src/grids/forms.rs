//! Forms for a grid's responsible people and key sites.

use serde::Deserialize;

use super::models::{Person, PersonFields, Site, SiteFields, Staff};
use crate::org::domain::{DUTIES, SITE_KINDS};
use crate::web::edit::{Labelled, VersionedForm};
use crate::web::forms::{self, FormErrors};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub duty: String,
    /// A staff account, or empty for an outside person (partner unit staff, volunteers).
    pub user_id: String,
    pub name: String,
    pub unit_name: String,
    pub phone: String,
    pub service_items: String,
    pub duty_hours: String,
    pub sort_order: String,
    pub version: String,
    pub form_token: String,
}

impl PersonForm {
    pub fn from_person(p: &Person) -> PersonForm {
        PersonForm {
            duty: p.duty.clone(),
            user_id: p.user_id.map(|i| i.to_string()).unwrap_or_default(),
            name: p.name.clone(),
            unit_name: p.unit_name.clone(),
            phone: p.phone.clone(),
            service_items: p.service_items.clone(),
            duty_hours: p.duty_hours.clone(),
            sort_order: p.sort_order.to_string(),
            version: p.version.to_string(),
            form_token: String::new(),
        }
    }

    /// `staff` are the accounts that may be named. A chosen account fills an
    /// empty name and phone.
    pub fn parse(&self, staff: &[Staff]) -> Result<PersonFields, FormErrors> {
        let mut e = FormErrors::new();
        let duty = forms::one_of(&mut e, "duty", &self.duty, &DUTIES)
            .unwrap_or_default()
            .to_string();
        let account = if self.user_id.trim().is_empty() {
            None
        } else {
            let found = self
                .user_id
                .trim()
                .parse::<i32>()
                .ok()
                .and_then(|id| staff.iter().find(|s| s.id == id));
            if found.is_none() {
                e.add("user_id", "form.invalid_choice");
            }
            found
        };
        let name_raw = if self.name.trim().is_empty() {
            account.map(|a| a.display_name.clone()).unwrap_or_default()
        } else {
            self.name.clone()
        };
        let name = forms::required(&mut e, "name", &name_raw, 30);
        let phone_raw = if self.phone.trim().is_empty() {
            account.map(|a| a.phone.clone()).unwrap_or_default()
        } else {
            self.phone.clone()
        };
        let phone = forms::phone(&mut e, "phone", &phone_raw, true);
        let unit_name = forms::optional(&mut e, "unit_name", &self.unit_name, 60);
        if duty == "partner_unit" && unit_name.is_empty() {
            e.add("unit_name", "grids.unit_name_required");
        }
        let service_items = forms::optional(&mut e, "service_items", &self.service_items, 500);
        let duty_hours = forms::optional(&mut e, "duty_hours", &self.duty_hours, 100);
        let sort_order = if self.sort_order.trim().is_empty() {
            0
        } else {
            forms::int_in(&mut e, "sort_order", &self.sort_order, 0, 999)
        };
        e.finish(|| PersonFields {
            user_id: account.map(|a| a.id),
            name,
            duty,
            unit_name,
            phone,
            service_items,
            duty_hours,
            sort_order,
        })
    }

    pub fn labelled(&self) -> Labelled {
        vec![
            ("grids.duty", self.duty.clone()),
            ("grids.account", self.user_id.clone()),
            ("grids.name", self.name.clone()),
            ("grids.unit_name", self.unit_name.clone()),
            ("grids.phone", self.phone.clone()),
            ("grids.service_items", self.service_items.clone()),
            ("grids.duty_hours", self.duty_hours.clone()),
            ("grids.sort_order", self.sort_order.clone()),
        ]
    }
}

impl VersionedForm for PersonForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SiteForm {
    pub name: String,
    pub kind: String,
    pub address: String,
    pub patrol_days: String,
    pub notes: String,
    /// Checkbox: "on" when ticked, absent when not.
    pub active: String,
    pub version: String,
    pub form_token: String,
}

impl SiteForm {
    pub fn from_site(s: &Site) -> SiteForm {
        SiteForm {
            name: s.name.clone(),
            kind: s.kind.clone(),
            address: s.address.clone(),
            patrol_days: s.patrol_days.to_string(),
            notes: s.notes.clone(),
            active: if s.active { "on".into() } else { String::new() },
            version: s.version.to_string(),
            form_token: String::new(),
        }
    }

    pub fn parse(&self) -> Result<SiteFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = forms::required(&mut e, "name", &self.name, 60);
        let kind = forms::one_of(&mut e, "kind", &self.kind, &SITE_KINDS)
            .unwrap_or_default()
            .to_string();
        let address = forms::optional(&mut e, "address", &self.address, 200);
        let patrol_days = forms::int_in(&mut e, "patrol_days", &self.patrol_days, 1, 90);
        let notes = forms::optional(&mut e, "notes", &self.notes, 500);
        e.finish(|| SiteFields {
            name,
            kind,
            address,
            patrol_days,
            notes,
            active: !self.active.is_empty(),
        })
    }

    pub fn labelled(&self) -> Labelled {
        vec![
            ("sites.name", self.name.clone()),
            ("sites.kind", self.kind.clone()),
            ("sites.address", self.address.clone()),
            ("sites.patrol_days", self.patrol_days.clone()),
            ("sites.notes", self.notes.clone()),
            ("sites.active", self.active.clone()),
        ]
    }
}

impl VersionedForm for SiteForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, check, form, has_errors};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn person_and_site_forms(person in form::<PersonForm>(), site in form::<SiteForm>()) {
            if let Some(f) = person {
                let staff = [Staff {
                    id: 1,
                    display_name: "s".into(),
                    phone: "13800000000".into(),
                }];
                check(f.parse(&staff), has_errors)?;
            }
            if let Some(f) = site {
                check(f.parse(), has_errors)?;
            }
        }
    }
}
