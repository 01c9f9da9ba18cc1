//! A branch's people: its building or villagers' groups, its members (veterans, members in
//! difficulty, volunteers, members moved away) and the households its members are paired with.

use chrono::{Datelike, Duration, NaiveDate};
use rand::Rng;
use rand::rngs::StdRng;

use super::{
    DIFFICULT, MOVED_AWAY, Member, PER_GROUP, Pairing, VERY_DIFFICULT, VETERAN, VOLUNTEER,
};
use crate::demo::names;
use crate::demo::party::Ids;
use crate::demo::party::texts::{self, pick};
use crate::demo::patrols::ROADS;

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Building party groups of a community ("3号楼党员小组"), villagers' groups of a village; an
/// enterprise or the office meets as one group.
pub(super) fn groups(rng: &mut StdRng, kind: &str, members: usize) -> Vec<String> {
    let n = members.div_ceil(PER_GROUP);
    match kind {
        "community" => {
            let mut buildings: Vec<u32> = Vec::new();
            while buildings.len() < n {
                let b = rng.random_range(1..=30);
                if !buildings.contains(&b) {
                    buildings.push(b);
                }
            }
            buildings.sort_unstable();
            buildings
                .iter()
                .map(|b| format!("{b}号楼党员小组"))
                .collect()
        }
        "village" => (1..=n).map(|k| format!("第{k}村民组党小组")).collect(),
        _ => vec![String::new()],
    }
}

pub(super) fn member(
    rng: &mut StdRng,
    kind: &str,
    i: usize,
    groups: &[String],
    (road, compound): (&str, u32),
    ids: &mut Ids,
) -> Member {
    let neighbourhood = matches!(kind, "community" | "village");
    let joined = if neighbourhood && rng.random_bool(VETERAN) {
        // 新中国成立前老党员: 1946 to September 1949.
        date(1946, 1, 1) + Duration::days(rng.random_range(0..1369))
    } else {
        let from = if neighbourhood { 1950 } else { 1985 };
        date(rng.random_range(from..=2025), 1, 1) + Duration::days(rng.random_range(0..365))
    };
    let age = if joined.year() < 1950 {
        rng.random_range(16..=22)
    } else {
        rng.random_range(18..=40)
    };
    let birth_year = (joined.year() - age).max(1926).min(joined.year() - 16);
    let roll: f64 = rng.random();
    // Veterans, in their nineties, are more often in difficulty.
    let boost = if joined.year() < 1950 { 6.0 } else { 1.0 };
    let difficulty = if roll < VERY_DIFFICULT * boost {
        "very_difficult"
    } else if roll < (VERY_DIFFICULT + DIFFICULT) * boost {
        "difficult"
    } else {
        ""
    };
    let group = i % groups.len().max(1);
    let address = match kind {
        "community" => {
            let building: String = groups[group]
                .chars()
                .take_while(|c| c.is_ascii_digit())
                .collect();
            format!(
                "{road}{compound}号院{building}号楼{}单元{}0{}",
                rng.random_range(1..=4),
                rng.random_range(1..=7),
                rng.random_range(1..=3)
            )
        }
        "village" => format!("{}组{}号", group + 1, rng.random_range(1..=120)),
        _ => format!(
            "{}{}号院{}号楼",
            pick(rng, ROADS),
            rng.random_range(1..=220),
            rng.random_range(1..=12)
        ),
    };
    ids.member += 1;
    Member {
        id: ids.member - 1,
        name: names::person_name(rng),
        gender: if rng.random_bool(0.45) {
            "female"
        } else {
            "male"
        },
        birth_year,
        joined,
        phone: names::mobile(rng),
        address,
        difficulty,
        volunteer: i < 3 || (difficulty.is_empty() && rng.random_bool(VOLUNTEER)),
        group,
        active: i < 5 || !rng.random_bool(MOVED_AWAY),
    }
}

/// Two to four members paired with households in need.
pub(super) fn pairings(
    rng: &mut StdRng,
    members: &[Member],
    (road, compound): (&str, u32),
    today: NaiveDate,
    ids: &mut Ids,
) -> Vec<Pairing> {
    let able: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].active && members[i].difficulty.is_empty())
        .collect();
    let mut out: Vec<Pairing> = Vec::new();
    for _ in 0..rng.random_range(2..=4) {
        let Some(&member) = able.get(rng.random_range(0..able.len().max(1))) else {
            break;
        };
        if out.iter().any(|p| p.member == member) {
            continue;
        }
        ids.pairing += 1;
        out.push(Pairing {
            id: ids.pairing - 1,
            member,
            household: format!("{}家", names::person_name(rng)),
            address: format!(
                "{road}{compound}号院{}号楼{}单元{}0{}",
                rng.random_range(1..=30),
                rng.random_range(1..=4),
                rng.random_range(1..=7),
                rng.random_range(1..=3)
            ),
            situation: pick(rng, texts::SITUATIONS),
            since: today - Duration::days(rng.random_range(90..=1000)),
        });
    }
    out
}
