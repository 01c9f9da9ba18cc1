//! Checking a batch's rows against the register (the compound inside the uploader's scope and
//! writable by them, its building, an ID number already living there) and writing the correct
//! rows: one household per place, joined to the one already living there if there is one.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::domain::{self, BUILDING, COMPOUND, ID_NUMBER, Person, Row};
use super::models;
use crate::auth::CurrentUser;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::register::domain::{may_write, normalize_id};
use crate::register::households::models::{self as households, HouseholdFields, PersonFields};

/// A correct row: its person, where it goes (compound, its scope, building).
pub struct Resolved {
    pub person: Person,
    pub compound_id: i32,
    pub scope_path: String,
    pub building_id: Option<i32>,
}

/// Checks every row (its errors recomputed from its cells); one entry per row, `Some` for the
/// correct ones.
pub fn check_all(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    rows: &mut [Row],
    today: NaiveDate,
) -> AppResult<Vec<Option<Resolved>>> {
    let mut persons: Vec<Option<Person>> = rows
        .iter_mut()
        .map(|r| {
            r.errors.clear();
            domain::check(r, today)
        })
        .collect();
    domain::mark_duplicates(rows);
    let mut names: Vec<String> = rows.iter().map(|r| r.cell(COMPOUND).to_string()).collect();
    names.sort();
    names.dedup();
    let compounds: HashMap<String, _> = models::compounds_named(conn, user, &names)?
        .into_iter()
        .filter(|c| may_write(user, &c.scope_path))
        .map(|c| (c.name.clone(), c))
        .collect();
    let ids: Vec<i32> = compounds.values().map(|c| c.id).collect();
    let buildings = models::buildings_of(conn, &ids)?;
    let numbers: Vec<String> = rows
        .iter()
        .map(|r| normalize_id(r.cell(ID_NUMBER)))
        .collect();
    let taken = models::ids_taken(conn, &numbers)?;
    let mut out = Vec::with_capacity(rows.len());
    for (row, person) in rows.iter_mut().zip(persons.iter_mut()) {
        let compound = compounds.get(row.cell(COMPOUND));
        if compound.is_none() && !row.cell(COMPOUND).is_empty() {
            row.error(COMPOUND, "regimport.err.compound", "");
        }
        let mut building_id = None;
        if let (Some(c), false) = (compound, row.cell(BUILDING).is_empty()) {
            building_id = buildings
                .iter()
                .find(|b| b.compound_id == c.id && b.name == row.cell(BUILDING))
                .map(|b| b.id);
            if building_id.is_none() {
                row.error(BUILDING, "regimport.err.building", "");
            }
        }
        if taken.contains(&normalize_id(row.cell(ID_NUMBER))) {
            row.error(ID_NUMBER, "regimport.err.registered", "");
        }
        out.push(match (person.take(), compound, row.ok()) {
            (Some(person), Some(c), true) => Some(Resolved {
                person,
                compound_id: c.id,
                scope_path: c.scope_path.clone(),
                building_id,
            }),
            _ => None,
        });
    }
    Ok(out)
}

/// Writes the correct rows; answers (households added, persons added).
pub fn write(
    conn: &mut AnyConnection,
    rows: &[Row],
    resolved: Vec<Option<Resolved>>,
) -> AppResult<(i32, i32)> {
    let now = db::now();
    let mut homes: HashMap<(i32, Option<i32>, String, String), i32> = HashMap::new();
    let (mut added_h, mut added_p) = (0, 0);
    for (row, r) in rows.iter().zip(resolved) {
        let Some(r) = r else { continue };
        let (unit_no, room) = (row.cell(2).to_string(), row.cell(3).to_string());
        let key = (r.compound_id, r.building_id, unit_no.clone(), room.clone());
        let hid = match homes.get(&key) {
            Some(id) => *id,
            None => {
                let found =
                    models::household_at(conn, r.compound_id, r.building_id, &unit_no, &room)?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        added_h += 1;
                        let f = HouseholdFields {
                            compound_id: r.compound_id,
                            building_id: r.building_id,
                            scope_path: r.scope_path.clone(),
                            unit_no,
                            room,
                            moved_in: None,
                            notes: String::new(),
                        };
                        households::insert(conn, &f, now)?
                    }
                };
                homes.insert(key, id);
                id
            }
        };
        let p = r.person;
        let f = PersonFields {
            household_id: hid,
            scope_path: r.scope_path,
            name: p.name,
            relation: p.relation,
            id_number: p.id_number,
            sex: p.sex,
            birth_date: Some(p.birth_date),
            phone: p.phone,
            registered_address: p.registered_address,
            separated: false,
            tags: p.tags,
            moved_in: None,
            notes: String::new(),
        };
        households::insert_person(conn, &f, now)?;
        added_p += 1;
    }
    Ok((added_h, added_p))
}
