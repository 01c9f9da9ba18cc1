//! Demo party building (党建, SPEC §7) from the seed report: for every street a branch per
//! community or village, its non-public-enterprise branches (林山寨街道: the report's 11) and the
//! office's agency branch; the report's demonstration sites ("五有一创") and first secretaries;
//! members with veterans, members in difficulty, volunteers and building groups; over the
//! `--days` window each branch's 三会一课 by the rhythm with some gaps, themed party days,
//! study sessions, volunteer service, festival visits and pairing visits, with attendance; and
//! the opinion box of every community.
//!
//! Written like the other generators (`super::bulk`): branches, members, pairings and
//! activities get explicit ids so the rows that name them go out in the same multi-row INSERTs.

mod activities;
mod branches;
mod opinions;
mod texts;

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use rand::rngs::StdRng;

use crate::db::AnyConnection;
use crate::db::schema::{issues, org_units, users};
use crate::error::AppResult;

/// A street as the generator needs it.
pub(super) struct Street {
    pub(super) id: i32,
    pub(super) path: String,
    pub(super) name: String,
    /// Indexes into `Tree::communities`.
    pub(super) communities: Vec<usize>,
    /// The street's clerks, then its leaders: who records and answers at street level.
    pub(super) staff: Vec<i32>,
}

/// A community or village.
pub(super) struct Community {
    pub(super) id: i32,
    pub(super) path: String,
    pub(super) name: String,
    pub(super) street: usize,
    pub(super) village: bool,
    pub(super) grids: Vec<i32>,
    pub(super) clerk: Option<i32>,
    /// A branch-secretary account of the community (the demo's `secretary` for 工人路社区).
    pub(super) secretary: Option<i32>,
}

/// An issue a party activity or an opinion can point at.
#[derive(Clone)]
pub(super) struct IssueRef {
    pub(super) id: i32,
    pub(super) number: String,
    pub(super) grid: i32,
    pub(super) from_box: bool,
    pub(super) reported: NaiveDateTime,
}

impl IssueRef {
    /// The local (Asia/Shanghai) day it was reported.
    pub(super) fn day(&self) -> NaiveDate {
        (self.reported + Duration::hours(8)).date()
    }
}

pub(super) struct Tree {
    pub(super) streets: Vec<Street>,
    pub(super) communities: Vec<Community>,
    pub(super) admin: Option<i32>,
    /// A community's issues since the window began, by report time.
    pub(super) issues: HashMap<usize, Vec<IssueRef>>,
}

impl Tree {
    /// Who records or answers for a community: its clerk, else a street clerk, else the admin.
    pub(super) fn clerk_of(&self, community: usize) -> Option<i32> {
        let c = &self.communities[community];
        c.clerk
            .or_else(|| self.streets[c.street].staff.first().copied())
            .or(self.admin)
    }

    pub(super) fn community_by_name(&self, street: usize, name: &str) -> Option<usize> {
        self.streets[street]
            .communities
            .iter()
            .copied()
            .find(|&c| self.communities[c].name == name)
    }
}

/// What the generator made: branches, members, activities, opinions.
pub struct Made {
    pub branches: usize,
    pub members: usize,
    pub activities: usize,
    pub opinions: usize,
}

/// Generates the branches and members, and the activities and opinions of the `days` days up to
/// `today` (local).
pub fn generate(
    conn: &mut AnyConnection,
    rng: &mut StdRng,
    today: NaiveDate,
    days: usize,
) -> AppResult<Made> {
    let start = today - Duration::days(days as i64);
    let tree = load(conn, start)?;
    let now = crate::db::now();
    let mut ids = Ids::after(conn)?;
    let plan = branches::plan(rng, &tree, today, &mut ids);
    let members = branches::write(conn, &plan, now)?;
    let mut made = Made {
        branches: plan.len(),
        members,
        activities: 0,
        opinions: 0,
    };
    if days > 0 {
        let cal = crate::calendar::models::load(conn, start, today)?;
        let window = activities::Window { start, today, now };
        made.activities = activities::generate(conn, rng, &tree, &plan, &cal, &window, &mut ids)?;
        made.opinions = opinions::generate(conn, rng, &tree, (start, today), now)?;
    }
    if let AnyConnection::Postgresql(pg) = conn {
        // Explicit ids do not move PostgreSQL's sequences; the planner needs statistics of the
        // fresh tables before autovacuum would get round to them.
        for t in [
            "party_branches",
            "party_members",
            "party_pairings",
            "party_activities",
        ] {
            diesel::sql_query(format!(
                "SELECT setval('{t}_id_seq', (SELECT COALESCE(MAX(id), 0) + 1 FROM {t}), false)"
            ))
            .execute(pg)?;
        }
        for t in [
            "party_branches",
            "party_members",
            "party_pairings",
            "party_activities",
            "party_attendance",
            "party_activity_links",
            "party_opinions",
        ] {
            diesel::sql_query(format!("ANALYZE {t}")).execute(pg)?;
        }
    }
    Ok(made)
}

/// The next explicit id of each table whose rows others name.
pub(super) struct Ids {
    pub(super) branch: i32,
    pub(super) member: i32,
    pub(super) pairing: i32,
    pub(super) activity: i32,
}

impl Ids {
    fn after(conn: &mut AnyConnection) -> AppResult<Ids> {
        use crate::db::schema::{party_activities, party_branches, party_members, party_pairings};
        use diesel::dsl::max;
        let next = |m: Option<i32>| m.unwrap_or(0) + 1;
        Ok(Ids {
            branch: next(
                party_branches::table
                    .select(max(party_branches::id))
                    .get_result(conn)?,
            ),
            member: next(
                party_members::table
                    .select(max(party_members::id))
                    .get_result(conn)?,
            ),
            pairing: next(
                party_pairings::table
                    .select(max(party_pairings::id))
                    .get_result(conn)?,
            ),
            activity: next(
                party_activities::table
                    .select(max(party_activities::id))
                    .get_result(conn)?,
            ),
        })
    }
}

/// An org unit as read: id, parent, kind, name, path.
type UnitRow = (i32, Option<i32>, String, String, String);

/// The streets, communities and grids, the accounts that keep party records, and the issues of
/// the window.
fn load(conn: &mut AnyConnection, start: NaiveDate) -> AppResult<Tree> {
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
    let mut tree = Tree {
        streets: Vec::new(),
        communities: Vec::new(),
        admin: None,
        issues: HashMap::new(),
    };
    let mut street_of: HashMap<i32, usize> = HashMap::new();
    let mut community_of: HashMap<i32, usize> = HashMap::new();
    // Ordered by path: a parent comes before its children.
    for (id, parent, kind, name, path) in rows {
        let parent = parent.unwrap_or(0);
        match kind.as_str() {
            "street" => {
                street_of.insert(id, tree.streets.len());
                tree.streets.push(Street {
                    id,
                    path,
                    name,
                    communities: Vec::new(),
                    staff: Vec::new(),
                });
            }
            "community" | "village" => {
                let Some(&street) = street_of.get(&parent) else {
                    continue;
                };
                community_of.insert(id, tree.communities.len());
                tree.streets[street]
                    .communities
                    .push(tree.communities.len());
                tree.communities.push(Community {
                    id,
                    path,
                    name,
                    street,
                    village: kind == "village",
                    grids: Vec::new(),
                    clerk: None,
                    secretary: None,
                });
            }
            "grid" => {
                if let Some(&c) = community_of.get(&parent) {
                    tree.communities[c].grids.push(id);
                    community_of.insert(id, c);
                }
            }
            _ => {}
        }
    }
    load_accounts(conn, &mut tree, &street_of, &community_of)?;
    load_issues(conn, &mut tree, &community_of, start)?;
    Ok(tree)
}

fn load_accounts(
    conn: &mut AnyConnection,
    tree: &mut Tree,
    street_of: &HashMap<i32, usize>,
    community_of: &HashMap<i32, usize>,
) -> AppResult<()> {
    let accounts: Vec<(i32, String, i32)> = users::table
        .filter(users::active.eq(true))
        .order(users::id)
        .select((users::id, users::role, users::org_unit_id))
        .load(conn)?;
    let mut leaders = Vec::new();
    for (id, role, unit) in accounts {
        match (role.as_str(), street_of.get(&unit), community_of.get(&unit)) {
            ("admin", _, _) => {
                tree.admin.get_or_insert(id);
            }
            ("clerk", Some(&s), _) => tree.streets[s].staff.push(id),
            ("leader", Some(&s), _) => leaders.push((s, id)),
            // Grid accounts map to their community too: only the community's own count.
            ("clerk", _, Some(&c)) if tree.communities[c].id == unit => {
                tree.communities[c].clerk.get_or_insert(id);
            }
            ("branch_secretary", _, Some(&c)) if tree.communities[c].id == unit => {
                tree.communities[c].secretary.get_or_insert(id);
            }
            _ => {}
        }
    }
    for (s, id) in leaders {
        tree.streets[s].staff.push(id);
    }
    Ok(())
}

fn load_issues(
    conn: &mut AnyConnection,
    tree: &mut Tree,
    community_of: &HashMap<i32, usize>,
    start: NaiveDate,
) -> AppResult<()> {
    let since = start.and_time(chrono::NaiveTime::MIN) - Duration::hours(8);
    let rows: Vec<(i32, String, i32, String, NaiveDateTime)> = issues::table
        .filter(issues::reported_at.ge(since))
        .order((issues::reported_at, issues::id))
        .select((
            issues::id,
            issues::number,
            issues::grid_id,
            issues::source,
            issues::reported_at,
        ))
        .load(conn)?;
    for (id, number, grid, source, reported) in rows {
        let Some(&c) = community_of.get(&grid) else {
            continue;
        };
        tree.issues.entry(c).or_default().push(IssueRef {
            id,
            number,
            grid,
            from_box: source == "opinion_box",
            reported,
        });
    }
    Ok(())
}
