//! The org unit form (create and edit), and the new form's query (`?parent=ID&kind=…`).

use serde::Deserialize;

use super::domain::Kind;
use super::models::{OrgFields, OrgUnit};
use crate::web::edit::{Labelled, VersionedForm};
use crate::web::forms::{self, FormErrors};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrgForm {
    pub parent_id: String,
    pub kind: String,
    pub name: String,
    pub code: String,
    pub address: String,
    pub phone: String,
    pub duty_hours: String,
    pub service_items: String,
    pub boundary: String,
    pub sort_order: String,
    pub version: String,
    pub form_token: String,
}

impl OrgForm {
    pub fn from_unit(u: &OrgUnit) -> OrgForm {
        OrgForm {
            parent_id: u.parent_id.map(|p| p.to_string()).unwrap_or_default(),
            kind: u.kind.clone(),
            name: u.name.clone(),
            code: u.code.clone(),
            address: u.address.clone(),
            phone: u.phone.clone(),
            duty_hours: u.duty_hours.clone(),
            service_items: u.service_items.clone(),
            boundary: u.boundary.clone(),
            sort_order: u.sort_order.to_string(),
            version: u.version.to_string(),
            form_token: String::new(),
        }
    }

    /// Validates the editable fields; `kind` is checked against the parent by the handler.
    pub fn parse(&self) -> Result<OrgFields, FormErrors> {
        let mut e = FormErrors::new();
        let name = forms::required(&mut e, "name", &self.name, 50);
        let code = forms::optional(&mut e, "code", &self.code, 16);
        if !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            e.add("code", "org.code_invalid");
        }
        let address = forms::optional(&mut e, "address", &self.address, 200);
        let phone = forms::phone(&mut e, "phone", &self.phone, false);
        let duty_hours = forms::optional(&mut e, "duty_hours", &self.duty_hours, 100);
        let service_items = forms::optional(&mut e, "service_items", &self.service_items, 1000);
        let boundary = forms::optional(&mut e, "boundary", &self.boundary, 500);
        let sort_order = if self.sort_order.trim().is_empty() {
            0
        } else {
            forms::int_in(&mut e, "sort_order", &self.sort_order, 0, 9999)
        };
        e.finish(|| OrgFields {
            name,
            code: code.to_uppercase(),
            address,
            phone,
            duty_hours,
            service_items,
            boundary,
            sort_order,
        })
    }

    /// The kind, if it may be created under `parent`.
    pub fn parse_kind(&self, parent: Kind, e: &mut FormErrors) -> Option<Kind> {
        let kind = Kind::parse(self.kind.trim()).filter(|k| parent.child_kinds().contains(k));
        if kind.is_none() {
            e.add("kind", "form.invalid_choice");
        }
        kind
    }

    /// Labelled values for the stale-edit comparison.
    pub fn labelled(&self) -> Labelled {
        vec![
            ("org.name", self.name.clone()),
            ("org.code", self.code.clone()),
            ("org.address", self.address.clone()),
            ("org.phone", self.phone.clone()),
            ("org.duty_hours", self.duty_hours.clone()),
            ("org.service_items", self.service_items.clone()),
            ("org.boundary", self.boundary.clone()),
            ("org.sort_order", self.sort_order.clone()),
        ]
    }
}

impl VersionedForm for OrgForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

/// GET /org/new?parent=ID[&kind=…]: where the unit goes, and which kind is preselected.
#[derive(Debug, Deserialize)]
pub struct NewQuery {
    pub parent: i32,
    pub kind: Option<String>,
}

#[cfg(test)]
mod proptests {
    use proptest::prelude::*;

    use super::*;
    use crate::proptests::{CASES, check, form, has_errors};

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(CASES))]

        #[test]
        fn unit_forms(f in form::<OrgForm>()) {
            if let Some(f) = f {
                check(f.parse(), has_errors)?;
                for parent in [Kind::District, Kind::Street, Kind::Community, Kind::Grid] {
                    let mut e = FormErrors::new();
                    prop_assert!(f.parse_kind(parent, &mut e).is_some() != e.has("kind"));
                }
            }
        }
    }
}
