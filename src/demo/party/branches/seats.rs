//! A branch's seat (a community or village, an enterprise, the street office) and the branch
//! built on it with its members and pairings.

use chrono::NaiveDate;
use rand::Rng;
use rand::rngs::StdRng;

use super::members::{date, groups, member, pairings};
use super::{AGENCY_MEMBERS, Branch, COMMUNITY_MEMBERS, ENTERPRISE_MEMBERS, Member};
use crate::demo::party::texts::{self, pick};
use crate::demo::party::{Community, Ids, Tree};
use crate::demo::patrols::ROADS;

/// What a branch is before its members are generated.
pub(super) struct Seat {
    pub(super) name: String,
    pub(super) kind: &'static str,
    pub(super) unit: (i32, String),
    pub(super) community: Option<usize>,
    pub(super) place: String,
}

/// A branch per community or village, the enterprises', and the office's agency branch.
pub(super) fn seats(rng: &mut StdRng, tree: &Tree, s: usize) -> Vec<Seat> {
    let street = &tree.streets[s];
    let mut out: Vec<Seat> = street
        .communities
        .iter()
        .map(|&c| {
            let com = &tree.communities[c];
            Seat {
                name: format!("{}党支部", com.name),
                kind: if com.village { "village" } else { "community" },
                unit: (com.id, com.path.clone()),
                community: Some(c),
                place: format!("{}党群服务中心会议室", com.name),
            }
        })
        .collect();
    for (firm, within) in enterprises(rng, tree, s) {
        let (unit, community) = match within {
            Some(c) => {
                let com: &Community = &tree.communities[c];
                ((com.id, com.path.clone()), Some(c))
            }
            None => ((street.id, street.path.clone()), None),
        };
        out.push(Seat {
            name: format!("{firm}党支部"),
            kind: "enterprise",
            unit,
            community,
            place: format!("{firm}会议室"),
        });
    }
    out.push(Seat {
        name: format!("{}机关党支部", street.name),
        kind: "agency",
        unit: (street.id, street.path.clone()),
        community: None,
        place: format!("{}办事处三楼会议室", street.name),
    });
    out
}

/// A street's non-public enterprises with the community each sits in: the seed's eleven for
/// 林山寨街道, proportionately many generated ones elsewhere (11 per 15 communities).
pub(super) fn enterprises(rng: &mut StdRng, tree: &Tree, s: usize) -> Vec<(String, Option<usize>)> {
    let street = &tree.streets[s];
    if street.name == "林山寨街道" {
        return texts::LSZ_ENTERPRISES
            .iter()
            .map(|(firm, within)| {
                let c = within.and_then(|name| tree.community_by_name(s, name));
                (firm.to_string(), c)
            })
            .collect();
    }
    let n = (street.communities.len() * 11 + 7) / 15;
    (0..n.min(texts::FIRM_TRADES.len()))
        .map(|i| {
            let firm = format!(
                "郑州{}{}",
                pick(rng, texts::FIRM_PREFIXES),
                texts::FIRM_TRADES[i]
            );
            let c = street.communities.get(i % street.communities.len().max(1));
            (firm, c.copied())
        })
        .collect()
}

pub(super) fn branch(
    rng: &mut StdRng,
    tree: &Tree,
    seat: Seat,
    today: NaiveDate,
    ids: &mut Ids,
) -> Branch {
    let (lo, hi) = match seat.kind {
        "community" | "village" => COMMUNITY_MEMBERS,
        "enterprise" => ENTERPRISE_MEMBERS,
        _ => AGENCY_MEMBERS,
    };
    let n = rng.random_range(lo..=hi);
    let groups = groups(rng, seat.kind, n);
    let road = pick(rng, ROADS);
    let compound = rng.random_range(1..=220);
    let mut members: Vec<Member> = (0..n)
        .map(|i| member(rng, seat.kind, i, &groups, (road, compound), ids))
        .collect();
    // Someone who keeps the branch going: the secretary is active and not in difficulty.
    if let Some(sec) = members.first_mut() {
        sec.active = true;
        sec.difficulty = "";
        sec.joined = sec.joined.max(date(1985, 7, 1));
    }
    let community = seat.community;
    let secretary_user = match seat.kind {
        "community" | "village" => community.and_then(|c| tree.communities[c].secretary),
        _ => None,
    };
    let recorder_account = secretary_user.or_else(|| match community {
        Some(c) => tree.clerk_of(c),
        None => tree
            .streets
            .iter()
            .find(|s| s.path == seat.unit.1)
            .and_then(|s| s.staff.first().copied())
            .or(tree.admin),
    });
    let pairings = match seat.kind {
        "community" | "village" => pairings(rng, &members, (road, compound), today, ids),
        _ => Vec::new(),
    };
    ids.branch += 1;
    Branch {
        id: ids.branch - 1,
        unit_id: seat.unit.0,
        path: seat.unit.1,
        name: seat.name,
        kind: seat.kind,
        community,
        secretary_user,
        first_secretary: None,
        demo: None,
        committee: if n < 10 { 3 } else { 5 },
        members,
        groups,
        pairings,
        place: seat.place,
        silent_from: None,
        recorder_account,
    }
}
