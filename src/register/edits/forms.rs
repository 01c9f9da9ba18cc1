//! The household and person edit forms (with the version they were opened on) and the move-out
//! form; each reads through the add forms' own checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::register::compounds::models::{Building, Compound};
use crate::register::domain;
use crate::register::households::forms::{HouseholdForm, PersonForm};
use crate::register::households::models::{Household, HouseholdFields, Person, PersonFields};
use crate::web::edit::{Labelled, VersionedForm, past_or_today};
use crate::web::forms::FormErrors;
use crate::web::privacy::mask_phone;

fn day(d: &Option<NaiveDate>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct HouseholdEdit {
    pub building_id: String,
    pub unit_no: String,
    pub room: String,
    pub moved_in: String,
    pub notes: String,
    pub version: String,
}

impl HouseholdEdit {
    pub fn of(h: &Household) -> HouseholdEdit {
        HouseholdEdit {
            building_id: h.building_id.map(|b| b.to_string()).unwrap_or_default(),
            unit_no: h.unit_no.clone(),
            room: h.room.clone(),
            moved_in: day(&h.moved_in),
            notes: h.notes.clone(),
            version: h.version.to_string(),
        }
    }

    pub fn parse(&self, c: &Compound, b: &[Building]) -> Result<HouseholdFields, FormErrors> {
        HouseholdForm {
            building_id: self.building_id.clone(),
            unit_no: self.unit_no.clone(),
            room: self.room.clone(),
            moved_in: self.moved_in.clone(),
            notes: self.notes.clone(),
            form_token: String::new(),
        }
        .parse(c, b)
    }

    /// The fields as people read them (the building by its name).
    pub fn labelled(&self, buildings: &[Building]) -> Labelled {
        let building = buildings
            .iter()
            .find(|b| b.id.to_string() == self.building_id.trim())
            .map(|b| b.name.clone())
            .unwrap_or_default();
        vec![
            ("register.building", building),
            ("register.unit_no", self.unit_no.trim().to_string()),
            ("register.room", self.room.trim().to_string()),
            ("register.moved_in", self.moved_in.trim().to_string()),
            ("register.notes", self.notes.trim().to_string()),
        ]
    }
}

impl VersionedForm for HouseholdEdit {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

/// The person form with the version it was opened on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonEdit {
    #[serde(flatten)]
    pub p: PersonForm,
    pub version: String,
}

fn on(b: bool) -> String {
    if b { "on".into() } else { String::new() }
}

impl PersonEdit {
    pub fn of(p: &Person) -> PersonEdit {
        let tags = domain::tags_of(&p.tags);
        let t = |code: &str| on(tags.contains(&code));
        PersonEdit {
            p: PersonForm {
                name: p.name.clone(),
                relation: p.relation.clone(),
                sex: p.sex.clone(),
                id_number: p.id_number.clone(),
                phone: p.phone.clone(),
                registered_address: p.registered_address.clone(),
                separated: on(p.separated),
                tag_dibao: t("dibao"),
                tag_tekun: t("tekun"),
                tag_disabled: t("disabled"),
                tag_elderly_alone: t("elderly_alone"),
                tag_unemployed: t("unemployed"),
                tag_veteran: t("veteran"),
                tag_party_member: t("party_member"),
                tag_key_service: t("key_service"),
                moved_in: day(&p.moved_in),
                notes: p.notes.clone(),
                form_token: String::new(),
            },
            version: p.version.to_string(),
        }
    }

    pub fn parse(&self, h: &Household, today: NaiveDate) -> Result<PersonFields, FormErrors> {
        self.p.parse(h, today)
    }

    /// The fields as people read them; `masked` for the audit log, which never keeps an ID
    /// number or a phone in full.
    pub fn labelled(&self, masked: bool) -> Labelled {
        let f = &self.p;
        let id = domain::normalize_id(&f.id_number);
        let (id, phone) = if masked {
            (domain::mask_id(&id), mask_phone(f.phone.trim()))
        } else {
            (id, f.phone.trim().to_string())
        };
        vec![
            ("register.name", f.name.trim().to_string()),
            ("register.relation_label", f.relation.trim().to_string()),
            ("register.sex_label", f.sex.trim().to_string()),
            ("register.id_number", id),
            ("register.phone", phone),
            (
                "register.registered_address",
                f.registered_address.trim().to_string(),
            ),
            ("register.separated", f.separated.trim().to_string()),
            ("register.tags", f.tags()),
            ("register.moved_in", f.moved_in.trim().to_string()),
            ("register.notes", f.notes.trim().to_string()),
        ]
    }
}

impl VersionedForm for PersonEdit {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

/// Moving out on a day: not in the future, not before the day they moved in.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct MoveOutForm {
    pub moved_out: String,
    pub version: String,
}

impl MoveOutForm {
    pub fn new(version: i32, today: NaiveDate) -> MoveOutForm {
        MoveOutForm {
            moved_out: today.to_string(),
            version: version.to_string(),
        }
    }

    pub fn parse(
        &self,
        moved_in: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<NaiveDate, FormErrors> {
        let mut e = FormErrors::new();
        let d = past_or_today(&mut e, "moved_out", &self.moved_out, today);
        if let (Some(d), Some(i)) = (d, moved_in)
            && d < i
        {
            e.add("moved_out", "regimport.before_moved_in");
        }
        e.finish(|| d.unwrap_or(today))
    }

    pub fn labelled(&self) -> Labelled {
        vec![("register.moved_out", self.moved_out.trim().to_string())]
    }

    /// The record's side of the 409: the day it moved out, if it did.
    pub fn latest(moved_out: Option<NaiveDate>, version: i32) -> MoveOutForm {
        MoveOutForm {
            moved_out: day(&moved_out),
            version: version.to_string(),
        }
    }
}

impl VersionedForm for MoveOutForm {
    fn version(&self) -> &str {
        &self.version
    }
    fn set_version(&mut self, version: i32) {
        self.version = version.to_string();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moving_out_is_not_in_the_future_nor_before_moving_in() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let f = |d: &str| MoveOutForm {
            moved_out: d.into(),
            version: "1".into(),
        };
        assert_eq!(
            f("2026-11-30").parse(None, today).ok(),
            NaiveDate::from_ymd_opt(2026, 11, 30)
        );
        assert!(f("").parse(None, today).unwrap_err().has("moved_out"));
        assert!(f("2026-12-04").parse(None, today).is_err());
        let e = f("2020-01-01")
            .parse(NaiveDate::from_ymd_opt(2021, 1, 1), today)
            .unwrap_err();
        assert_eq!(e.get("moved_out").unwrap().key, "regimport.before_moved_in");
    }
}
