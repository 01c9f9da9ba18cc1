//! The register's demo slice (issue 21): a few compounds of 林山寨街道's communities the seed
//! report names (工人路社区, 郑州日报社区, 棉麻社区) — an old unmanaged 楼院, a work unit's
//! 家属院, a commercial 小区 — with their buildings, households and fictional persons, each with
//! a valid GB 11643 ID number (the check character computed) and care tags at about the
//! street's rates (低保, 独居老人, 残疾, 4050 …). Small: the test suite seeds it.

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::db::schema::org_units;
use crate::db::{self, AnyConnection};
use crate::error::AppResult;
use crate::register::compounds::models::{self as compounds, BuildingFields, CompoundFields};
use crate::register::domain::check_char;
use crate::register::households::models::{self as households, HouseholdFields, PersonFields};

/// (grid, compound, kind, address, property company, buildings, floors, households per building)
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i32,
    i32,
    i32,
);

const COMPOUNDS: [Seed; 4] = [
    (
        "工人路社区第1网格",
        "工人路 46 号院",
        "unmanaged",
        "工人路 46 号",
        "",
        2,
        6,
        4,
    ),
    (
        "工人路社区第1网格",
        "中原区供电局家属院",
        "work_unit",
        "工人路 52 号",
        "供电局后勤服务中心",
        2,
        7,
        4,
    ),
    (
        "郑州日报社区第1网格",
        "郑州日报社家属院",
        "work_unit",
        "陇海西路 88 号",
        "郑州日报社物业科",
        2,
        6,
        3,
    ),
    (
        "棉麻社区第1网格",
        "景桥小区",
        "commercial",
        "棉纺西路 21 号",
        "景桥物业服务有限公司",
        1,
        11,
        4,
    ),
];

/// Fictional householders and members: (surname + given names) chosen so none collides with
/// the names the tests type.
const SURNAMES: [&str; 12] = [
    "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马",
];
const GIVEN: [&str; 12] = [
    "桂兰", "秀珍", "振华", "玉梅", "德明", "春生", "淑芬", "志刚", "海燕", "文博", "子涵", "一诺",
];

/// An 18-character ID number of 中原区 (410102) for a birth day and a sequence, the 17th digit
/// odd for a man, with its check character.
pub fn id_number(born: NaiveDate, seq: u32, male: bool) -> String {
    let third = (seq % 5) * 2 + u32::from(male);
    let base = format!("410102{}{:02}{third}", born.format("%Y%m%d"), 10 + seq % 90);
    let digits: Vec<u32> = base.chars().filter_map(|c| c.to_digit(10)).collect();
    format!("{base}{}", check_char(&digits))
}

fn grid(conn: &mut AnyConnection, name: &str) -> AppResult<Option<(i32, String)>> {
    Ok(org_units::table
        .filter(org_units::name.eq(name))
        .select((org_units::id, org_units::path))
        .first(conn)
        .optional()?)
}

/// Writes the slice; answers the persons written.
pub fn generate(conn: &mut AnyConnection, today: NaiveDate) -> AppResult<usize> {
    let now = db::now();
    let mut n = 0usize;
    for (ci, (grid_name, name, kind, address, company, blocks, floors, per)) in
        COMPOUNDS.iter().enumerate()
    {
        let Some((grid_id, path)) = grid(conn, grid_name)? else {
            continue;
        };
        let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d);
        let cid = compounds::insert(
            conn,
            &CompoundFields {
                grid_id,
                scope_path: path.clone(),
                name: name.to_string(),
                kind: kind.to_string(),
                address: address.to_string(),
                property_company: company.to_string(),
                property_contact: String::new(),
                property_phone: String::new(),
                head_name: format!("{}{}", SURNAMES[ci], GIVEN[ci + 2]),
                head_phone: format!("1380371{:04}", 2100 + ci),
                lights_on: day(4, 10),
                roads_on: if *kind == "unmanaged" {
                    None
                } else {
                    day(5, 20)
                },
                water_on: day(6, 1),
                safety_on: if ci % 2 == 0 { day(9, 15) } else { None },
                notes: String::new(),
            },
            now,
        )?;
        for b in 1..=*blocks {
            let bid = compounds::insert_building(
                conn,
                &BuildingFields {
                    compound_id: cid,
                    scope_path: path.clone(),
                    name: format!("{b}号楼"),
                    floors: *floors,
                    units: 2,
                    households: floors * 4,
                },
                now,
            )?;
            for k in 0..*per {
                let seq = (ci * 100 + b as usize * 10 + k as usize) as u32;
                let hid = households::insert(
                    conn,
                    &HouseholdFields {
                        compound_id: cid,
                        building_id: Some(bid),
                        scope_path: path.clone(),
                        unit_no: format!("{}单元", 1 + k % 2),
                        room: format!("{}0{}", 1 + k % *floors, 1 + k % 2),
                        moved_in: NaiveDate::from_ymd_opt(1995 + (seq % 28) as i32, 3, 1),
                        notes: String::new(),
                    },
                    now,
                )?;
                n += persons(conn, hid, &path, seq, today)?;
            }
        }
    }
    Ok(n)
}

/// A household's persons: an elder living alone in one household in four, else a couple with
/// a child; care tags at about the street's rates.
fn persons(
    conn: &mut AnyConnection,
    hid: i32,
    path: &str,
    seq: u32,
    today: NaiveDate,
) -> AppResult<usize> {
    let surname = SURNAMES[(seq as usize * 7) % SURNAMES.len()];
    let alone = seq.is_multiple_of(4);
    let mut members: Vec<(&str, bool, i32, String)> = Vec::new();
    if alone {
        let tags = if seq.is_multiple_of(8) {
            "elderly_alone,dibao"
        } else {
            "elderly_alone"
        };
        members.push((
            "householder",
            seq.is_multiple_of(3),
            1938 + (seq % 12) as i32,
            tags.into(),
        ));
    } else {
        let tags = match seq % 9 {
            1 => "unemployed",
            2 => "disabled",
            5 => "veteran",
            7 => "dibao",
            _ => "",
        };
        members.push(("householder", true, 1960 + (seq % 25) as i32, tags.into()));
        members.push(("spouse", false, 1962 + (seq % 25) as i32, String::new()));
        members.push((
            "child",
            seq.is_multiple_of(2),
            1990 + (seq % 20) as i32,
            String::new(),
        ));
    }
    for (i, (relation, male, year, tags)) in members.iter().enumerate() {
        let born = NaiveDate::from_ymd_opt(*year, 1 + seq % 12, 1 + (seq + i as u32) % 28)
            .unwrap_or(today);
        let given = GIVEN[(seq as usize + i * 5) % GIVEN.len()];
        households::insert_person(
            conn,
            &PersonFields {
                household_id: hid,
                scope_path: path.to_string(),
                name: format!("{surname}{given}"),
                relation: relation.to_string(),
                id_number: id_number(born, seq * 3 + i as u32, *male),
                sex: if *male { "male" } else { "female" }.into(),
                birth_date: Some(born),
                phone: format!("1393710{:04}", seq * 3 + i as u32),
                registered_address: String::new(),
                separated: seq % 11 == 3,
                tags: tags.clone(),
                moved_in: None,
                notes: String::new(),
            },
            db::now(),
        )?;
    }
    Ok(members.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::register::domain::check_id;

    #[test]
    fn generated_id_numbers_pass_the_check() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        for seq in 0..300 {
            let born = NaiveDate::from_ymd_opt(1950 + seq as i32 % 60, 1 + seq % 12, 1).unwrap();
            for male in [true, false] {
                let id = id_number(born, seq, male);
                let f = check_id(&id, Some(if male { "male" } else { "female" }), today);
                assert_eq!(f.map(|f| f.birth_date), Ok(born), "{id}");
            }
        }
    }
}
