//! The branches under each street's party working committee and their members, planned in
//! memory (the activities need them) and written with explicit ids.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use rand::Rng;
use rand::rngs::StdRng;

use super::texts::{self, pick};
use super::{Community, Tree};
use crate::db::AnyConnection;
use crate::demo::bulk::{Bulk, id_opt, q, ts};
use crate::demo::names;
use crate::demo::patrols::ROADS;
use crate::error::AppResult;

/// Members of a community or village branch, of an enterprise branch, of the office's own.
const COMMUNITY_MEMBERS: (usize, usize) = (15, 60);
const ENTERPRISE_MEMBERS: (usize, usize) = (5, 20);
const AGENCY_MEMBERS: (usize, usize) = (20, 40);
/// Members who joined before the founding of the PRC, among a community's (older) members.
const VETERAN: f64 = 0.015;
const DIFFICULT: f64 = 0.04;
const VERY_DIFFICULT: f64 = 0.01;
const VOLUNTEER: f64 = 0.3;
/// Members whose organisational relationship has moved away (kept, inactive).
const MOVED_AWAY: f64 = 0.02;
/// Members per building party group (楼栋党员活动小组).
const PER_GROUP: usize = 10;
/// First secretaries: the seed's 绿东村街道 sent 12 section-level cadres to its communities.
const FIRST_SECRETARIES: usize = 12;
/// Branches per street that recorded nothing for the last month or more.
const SILENT: (usize, usize) = (2, 3);

pub(super) struct Member {
    pub(super) id: i32,
    pub(super) name: String,
    gender: &'static str,
    birth_year: i32,
    pub(super) joined: NaiveDate,
    phone: String,
    pub(super) address: String,
    pub(super) difficulty: &'static str,
    pub(super) volunteer: bool,
    /// Index into the branch's `groups`.
    pub(super) group: usize,
    pub(super) active: bool,
}

impl Member {
    pub(super) fn veteran(&self) -> bool {
        crate::party::domain::is_veteran(self.joined)
    }
}

/// A member paired with a household in need (双扶双带).
pub(super) struct Pairing {
    pub(super) id: i32,
    pub(super) member: usize,
    pub(super) household: String,
    pub(super) address: String,
    situation: &'static str,
    since: NaiveDate,
}

pub(super) struct Branch {
    pub(super) id: i32,
    unit_id: i32,
    pub(super) path: String,
    name: String,
    pub(super) kind: &'static str,
    /// The community it sits in (grids and issues for its links).
    pub(super) community: Option<usize>,
    pub(super) secretary_user: Option<i32>,
    pub(super) first_secretary: Option<(String, &'static str, NaiveDate)>,
    demo: Option<(String, NaiveDate, &'static str)>,
    /// The secretary first, then the other committee members.
    pub(super) members: Vec<Member>,
    pub(super) committee: usize,
    pub(super) groups: Vec<String>,
    pub(super) pairings: Vec<Pairing>,
    /// Where its meetings are held.
    pub(super) place: String,
    /// Records nothing after this day.
    pub(super) silent_from: Option<NaiveDate>,
    /// Who types its records: its secretary's account, else a clerk.
    pub(super) recorder_account: Option<i32>,
}

/// What a branch is before its members are generated.
struct Seat {
    name: String,
    kind: &'static str,
    unit: (i32, String),
    community: Option<usize>,
    place: String,
}

/// Every street's branches, members and pairings.
pub(super) fn plan(
    rng: &mut StdRng,
    tree: &Tree,
    today: NaiveDate,
    ids: &mut super::Ids,
) -> Vec<Branch> {
    let mut out = Vec::new();
    for (s, street) in tree.streets.iter().enumerate() {
        let first = out.len();
        for seat in seats(rng, tree, s) {
            out.push(branch(rng, tree, seat, today, ids));
        }
        let branches = &mut out[first..];
        demo_sites(rng, branches, &street.name, today);
        // The seed gives first secretaries to 绿东村街道; synthetic streets follow its practice,
        // 林山寨街道's report does not mention them.
        if street.name != "林山寨街道" {
            first_secretaries(rng, branches, today);
        }
        silence(rng, branches, today);
    }
    out
}

/// A branch per community or village, the enterprises', and the office's agency branch.
fn seats(rng: &mut StdRng, tree: &Tree, s: usize) -> Vec<Seat> {
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
fn enterprises(rng: &mut StdRng, tree: &Tree, s: usize) -> Vec<(String, Option<usize>)> {
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

fn branch(
    rng: &mut StdRng,
    tree: &Tree,
    seat: Seat,
    today: NaiveDate,
    ids: &mut super::Ids,
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

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Building party groups of a community ("3号楼党员小组"), villagers' groups of a village; an
/// enterprise or the office meets as one group.
fn groups(rng: &mut StdRng, kind: &str, members: usize) -> Vec<String> {
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

fn member(
    rng: &mut StdRng,
    kind: &str,
    i: usize,
    groups: &[String],
    (road, compound): (&str, u32),
    ids: &mut super::Ids,
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
fn pairings(
    rng: &mut StdRng,
    members: &[Member],
    (road, compound): (&str, u32),
    today: NaiveDate,
    ids: &mut super::Ids,
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

/// The seed's demonstration sites by name; a synthetic street's first community and first
/// enterprise.
fn demo_sites(rng: &mut StdRng, branches: &mut [Branch], street: &str, today: NaiveDate) {
    let real = matches!(street, "林山寨街道" | "绿东村街道");
    let mut first_enterprise = true;
    for (i, b) in branches.iter_mut().enumerate() {
        let brand = if real {
            texts::DEMO_SITES
                .iter()
                .find(|(site, _)| b.name == format!("{site}党支部"))
                .map(|(_, brand)| brand.to_string())
        } else if i == 0 || (b.kind == "enterprise" && first_enterprise) {
            first_enterprise &= b.kind != "enterprise";
            Some("“党建引领网格治理”".to_string())
        } else {
            None
        };
        let Some(brand) = brand else { continue };
        let evidence = format!(
            "党群服务中心{}平方米，悬挂党组织牌子，三会一课、党员管理等{}项制度上墙，\
             每月开展主题党日，台账齐全；特色品牌：{brand}",
            rng.random_range(120..=600),
            rng.random_range(6..=12)
        );
        let reviewed = today - Duration::days(rng.random_range(30..=300));
        b.demo = Some((evidence, reviewed, pick(rng, texts::REVIEWS)));
    }
}

/// Office cadres sent to communities as first secretaries, the strongest community (the
/// street's first) excepted (先进社区帮扶后进社区).
fn first_secretaries(rng: &mut StdRng, branches: &mut [Branch], today: NaiveDate) {
    for b in branches
        .iter_mut()
        .filter(|b| matches!(b.kind, "community" | "village"))
        .skip(1)
        .take(FIRST_SECRETARIES)
    {
        let since = today - Duration::days(rng.random_range(60..=900));
        b.first_secretary = Some((
            names::person_name(rng),
            pick(rng, texts::FIRST_SECRETARY_POSTS),
            since,
        ));
    }
}

/// A few branches of the street fell silent a month or more ago; never a demonstration site
/// or the demo secretary's branch, which the demo walks through.
fn silence(rng: &mut StdRng, branches: &mut [Branch], today: NaiveDate) {
    let candidates: Vec<usize> = (0..branches.len())
        .filter(|&i| branches[i].demo.is_none() && branches[i].secretary_user.is_none())
        .collect();
    let n = rng.random_range(SILENT.0..=SILENT.1);
    for k in 0..n.min(candidates.len()) {
        // Spread over the street: every few candidates one.
        let j = ((k * candidates.len()) / n + rng.random_range(0..2)).min(candidates.len() - 1);
        branches[candidates[j]].silent_from =
            Some(today - Duration::days(rng.random_range(31..=75)));
    }
}

const BRANCH_COLUMNS: &str = "id, unit_id, scope_path, name, kind, secretary, secretary_user_id, \
    phone, first_secretary, first_secretary_post, first_secretary_since, demo_site, \
    demo_criteria, demo_evidence, demo_reviewed_on, demo_review, notes, members, active, \
    version, created_at, updated_at";
const MEMBER_COLUMNS: &str = "id, branch_id, scope_path, name, gender, birth_year, joined_on, \
    phone, address, difficulty, volunteer, building_group, notes, active, version, created_at, \
    updated_at";
const PAIRING_COLUMNS: &str = "id, branch_id, scope_path, member_id, household, address, \
    situation, since, active, version, created_at, updated_at";

fn day_opt(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "NULL".into(), |d| format!("'{d}'"))
}

fn bool_sql(b: bool) -> &'static str {
    if b { "TRUE" } else { "FALSE" }
}

/// Writes branches, then members and pairings; returns the members written.
pub(super) fn write(
    conn: &mut AnyConnection,
    branches: &[Branch],
    now: NaiveDateTime,
) -> AppResult<usize> {
    let mut w = Bulk::new("party_branches", BRANCH_COLUMNS);
    for b in branches {
        w.push(conn, branch_row(b, now))?;
    }
    w.flush(conn)?;
    let mut m = Bulk::new("party_members", MEMBER_COLUMNS);
    let mut p = Bulk::new("party_pairings", PAIRING_COLUMNS);
    let mut written = 0;
    for b in branches {
        for x in &b.members {
            let group = b.groups.get(x.group).map_or("", String::as_str);
            let notes = if x.active {
                ""
            } else {
                "组织关系已转出"
            };
            m.push(
                conn,
                format!(
                    "({}, {}, {}, {}, '{}', {}, '{}', {}, {}, '{}', {}, {}, {}, {}, 1, {}, {})",
                    x.id,
                    b.id,
                    q(&b.path),
                    q(&x.name),
                    x.gender,
                    x.birth_year,
                    x.joined,
                    q(&x.phone),
                    q(&x.address),
                    x.difficulty,
                    bool_sql(x.volunteer),
                    q(group),
                    q(notes),
                    bool_sql(x.active),
                    ts(now),
                    ts(now),
                ),
            )?;
            written += 1;
        }
    }
    m.flush(conn)?;
    for b in branches {
        for x in &b.pairings {
            let member = b.members[x.member].id;
            p.push(
                conn,
                format!(
                    "({}, {}, {}, {member}, {}, {}, {}, '{}', TRUE, 1, {}, {})",
                    x.id,
                    b.id,
                    q(&b.path),
                    q(&x.household),
                    q(&x.address),
                    q(x.situation),
                    x.since,
                    ts(now),
                    ts(now),
                ),
            )?;
        }
    }
    p.flush(conn)?;
    Ok(written)
}

fn branch_row(b: &Branch, now: NaiveDateTime) -> String {
    let secretary = b.members.first();
    let (fs, post, since) = match &b.first_secretary {
        Some((name, post, since)) => (name.as_str(), *post, Some(*since)),
        None => ("", "", None),
    };
    let (criteria, evidence, reviewed, review) = match &b.demo {
        Some((evidence, on, review)) => (texts::CRITERIA, evidence.as_str(), Some(*on), *review),
        None => ("", "", None, ""),
    };
    let active = b.members.iter().filter(|m| m.active).count();
    format!(
        "({}, {}, {}, {}, '{}', {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, '', {active}, TRUE, \
         1, {}, {})",
        b.id,
        b.unit_id,
        q(&b.path),
        q(&b.name),
        b.kind,
        q(secretary.map_or("", |m| m.name.as_str())),
        id_opt(b.secretary_user),
        q(secretary.map_or("", |m| m.phone.as_str())),
        q(fs),
        q(post),
        day_opt(since),
        bool_sql(b.demo.is_some()),
        q(criteria),
        q(evidence),
        day_opt(reviewed),
        q(review),
        ts(now),
        ts(now),
    )
}
