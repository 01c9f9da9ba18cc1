//! The streets and communities that hold meetings, who they invite and how they attend.

use std::collections::HashMap;

use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::agenda::{Book, History, Issue};
use super::texts::{self, pick};
use crate::db::AnyConnection;
use crate::db::schema::{org_units, users};
use crate::demo::names;
use crate::error::AppResult;
use crate::meetings::domain::{self, Kind, State};

/// Share of invited staff present; of the others, the share on leave (the rest are absent).
const PRESENT: f64 = 0.9;
const ON_LEAVE: f64 = 0.5;
/// Share of weekly and supervision meetings with an outside guest.
const GUEST: f64 = 0.08;
/// Grid workers at a huddle besides the unit's own staff.
const HUDDLE_GRID_WORKERS: usize = 6;

#[derive(Debug, Clone)]
pub(super) struct Person {
    pub(super) user_id: Option<i32>,
    pub(super) name: String,
    pub(super) unit: String,
}

/// A street or community with what its meetings need.
pub(super) struct Unit {
    pub(super) id: i32,
    pub(super) street: bool,
    pub(super) name: String,
    pub(super) path: String,
    /// What guests' units are named after: the street's place name.
    pub(super) area: String,
    /// Invited to weekly and supervision meetings, the unit's own staff first.
    pub(super) people: Vec<Person>,
    /// How many of `people` are the unit's own staff (a huddle's core).
    pub(super) own: usize,
    pub(super) chair: String,
    pub(super) recorder: String,
    /// The account that prepares, records and finalizes the meetings.
    pub(super) clerk: Option<i32>,
    pub(super) room: &'static str,
    pub(super) book: Book,
    /// Earlier held meetings, by kind (`Kind` as index: huddle, weekly, supervision).
    pub(super) history: [History; 3],
}

pub(super) fn kind_index(kind: Kind) -> usize {
    match kind {
        Kind::Huddle => 0,
        Kind::Weekly => 1,
        Kind::Supervision => 2,
    }
}

/// An org unit as read: id, parent, kind, name, path.
type UnitRow = (i32, Option<i32>, String, String, String);
/// An active account: id, name, role, unit.
type StaffRow = (i32, String, String, i32);

/// The org tree as the generator needs it.
pub(super) struct Tree {
    pub(super) units: Vec<Unit>,
    /// A unit's index in `units`, by id.
    pub(super) index: HashMap<i32, usize>,
    /// A grid's community; a community's street.
    pub(super) parent: HashMap<i32, i32>,
    pub(super) names: HashMap<i32, String>,
}

pub(super) fn load_tree(conn: &mut AnyConnection, rng: &mut StdRng) -> AppResult<Tree> {
    let rows: Vec<UnitRow> = org_units::table
        .order(org_units::path)
        .select((
            org_units::id,
            org_units::parent_id,
            org_units::kind,
            org_units::name,
            org_units::path,
        ))
        .load(conn)?;
    let staff_rows: Vec<StaffRow> = users::table
        .filter(users::active.eq(true))
        .order((users::display_name, users::id))
        .select((
            users::id,
            users::display_name,
            users::role,
            users::org_unit_id,
        ))
        .load(conn)?;
    let mut staff: HashMap<i32, Vec<StaffRow>> = HashMap::new();
    for s in staff_rows.iter().cloned() {
        staff.entry(s.3).or_default().push(s);
    }
    // Where nobody of the unit can sign the minutes, an admin above it does.
    let admin = staff_rows.iter().find(|s| s.2 == "admin").map(|s| s.0);
    let names: HashMap<i32, String> = rows.iter().map(|r| (r.0, r.3.clone())).collect();
    let parent: HashMap<i32, i32> = rows
        .iter()
        .filter(|r| r.2 != "street")
        .filter_map(|r| Some((r.0, r.1?)))
        .collect();
    let mut units = Vec::new();
    for r in rows.iter().filter(|r| domain::holds_meetings(&r.2)) {
        let street_name = match r.2.as_str() {
            "street" => &r.3,
            _ => r.1.and_then(|p| names.get(&p)).unwrap_or(&r.3),
        };
        units.push(unit(rng, r, &rows, &staff, street_name, admin));
    }
    let index = units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
    Ok(Tree {
        units,
        index,
        parent,
        names,
    })
}

/// A unit with its attendees, chair and recorder.
fn unit(
    rng: &mut StdRng,
    r: &UnitRow,
    rows: &[UnitRow],
    staff: &HashMap<i32, Vec<StaffRow>>,
    street_name: &str,
    admin: Option<i32>,
) -> Unit {
    let street = r.2 == "street";
    let person = |s: &StaffRow, unit: &str| Person {
        user_id: Some(s.0),
        name: s.1.clone(),
        unit: unit.to_string(),
    };
    let own_staff = staff.get(&r.0).map(Vec::as_slice).unwrap_or_default();
    let mut people: Vec<Person> = own_staff.iter().map(|s| person(s, &r.3)).collect();
    let own = people.len();
    // Children in path order: a community's grids' staff; a street's communities' clerks.
    for c in rows.iter().filter(|c| c.1 == Some(r.0)) {
        let theirs = staff.get(&c.0).map(Vec::as_slice).unwrap_or_default();
        match (street, c.2.as_str()) {
            (false, "grid") => people.extend(theirs.iter().map(|s| person(s, &c.3))),
            (true, _) => people.extend(
                theirs
                    .iter()
                    .find(|s| s.2 == "clerk")
                    .or(theirs.first())
                    .map(|s| person(s, &c.3)),
            ),
            _ => {}
        }
    }
    let with_role = |roles: &[&str]| {
        roles
            .iter()
            .find_map(|role| own_staff.iter().find(|s| s.2 == *role))
    };
    let chair = with_role(&["leader", "branch_secretary"])
        .map(|s| s.1.clone())
        .unwrap_or_else(|| names::person_name(rng));
    let clerk = with_role(&["clerk"]);
    let recorder = clerk
        .map(|s| s.1.clone())
        .unwrap_or_else(|| names::person_name(rng));
    let area = match street_name.strip_suffix("街道") {
        Some(a) if !a.starts_with('第') => a.to_string(),
        _ => street_name.to_string(),
    };
    Unit {
        id: r.0,
        street,
        name: r.3.clone(),
        path: r.4.clone(),
        area,
        people,
        own,
        chair,
        recorder,
        clerk: clerk
            .or_else(|| with_role(&["leader", "branch_secretary"]))
            .map(|s| s.0)
            .or(admin),
        room: if street {
            pick(rng, texts::STREET_ROOMS)
        } else {
            pick(rng, texts::COMMUNITY_ROOMS)
        },
        book: Book::default(),
        history: Default::default(),
    }
}

/// Files each issue with its community and its street, oldest report first.
pub(super) fn file_issues(tree: &mut Tree, issues: &[Issue]) {
    let mut order: Vec<usize> = (0..issues.len()).collect();
    order.sort_by_key(|i| (issues[*i].reported, issues[*i].id));
    for i in order {
        let community = tree.parent.get(&issues[i].grid_id).copied();
        let street = community.and_then(|c| tree.parent.get(&c)).copied();
        for unit in [community, street].into_iter().flatten() {
            if let Some(u) = tree.index.get(&unit) {
                let u = &mut tree.units[*u];
                u.book.add(u.id, i, &issues[i]);
            }
        }
    }
}

/// Who was invited and how they attended: (person, attendance, reason).
pub(super) fn attendance(
    rng: &mut StdRng,
    unit: &Unit,
    kind: Kind,
    state: State,
) -> Vec<(Person, &'static str, &'static str)> {
    let mut invited: Vec<Person> = match kind {
        Kind::Huddle => huddle_people(rng, unit),
        _ => unit.people.clone(),
    };
    let guests = usize::from(kind != Kind::Huddle && rng.random_bool(GUEST));
    for _ in 0..guests {
        invited.push(Person {
            user_id: None,
            name: names::person_name(rng),
            unit: texts::guest_unit(rng, &unit.area),
        });
    }
    invited
        .into_iter()
        .map(|p| {
            let (att, reason) = if state == State::Draft {
                ("expected", "")
            } else if p.user_id.is_none()
                || p.name == unit.chair
                || p.name == unit.recorder
                || rng.random_bool(PRESENT)
            {
                // The chair and the recorder hold the meeting: they are there.
                ("present", "")
            } else if rng.random_bool(ON_LEAVE) {
                ("leave", pick(rng, texts::LEAVE))
            } else {
                ("absent", pick(rng, texts::ABSENT))
            };
            (p, att, reason)
        })
        .collect()
}

/// A huddle: the unit's own staff and up to six of its grids' workers.
fn huddle_people(rng: &mut StdRng, unit: &Unit) -> Vec<Person> {
    let (own, grids) = unit.people.split_at(unit.own);
    let mut chosen: Vec<usize> = (0..grids.len()).collect();
    while chosen.len() > HUDDLE_GRID_WORKERS {
        chosen.remove(rng.random_range(0..chosen.len()));
    }
    own.iter()
        .cloned()
        .chain(chosen.into_iter().map(|i| grids[i].clone()))
        .collect()
}
