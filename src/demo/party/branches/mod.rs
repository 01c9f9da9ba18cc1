//! The branches under each street's party working committee and their members, planned in
//! memory (the activities need them) and written with explicit ids.
//!
//! The plan is made in steps: each branch's seat (`seats`), its members, building groups and
//! pairings (`members`), then the street's marks on its branches (`marks`: demonstration sites,
//! first secretaries, silent branches); `rows` writes the plan out.

mod marks;
mod members;
mod rows;
mod seats;

pub(super) use rows::write;

use chrono::NaiveDate;
use rand::rngs::StdRng;

use super::Tree;
use marks::{demo_sites, first_secretaries, silence};
use seats::{branch, seats};

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
