//! The grid's rules: which unit kinds nest under which ("三级网格": street = level-1 grid,
//! community/village = level-2, grid = level-3), the duties of a grid's responsible people, the
//! kinds of key sites, and the tree's counts.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    District,
    Street,
    Community,
    Village,
    Grid,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::District,
        Kind::Street,
        Kind::Community,
        Kind::Village,
        Kind::Grid,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::District => "district",
            Kind::Street => "street",
            Kind::Community => "community",
            Kind::Village => "village",
            Kind::Grid => "grid",
        }
    }

    pub fn parse(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    pub fn label_key(self) -> String {
        format!("kind.{}", self.code())
    }

    /// What may be created under a unit of this kind.
    pub fn child_kinds(self) -> &'static [Kind] {
        match self {
            Kind::District => &[Kind::Street],
            Kind::Street => &[Kind::Community, Kind::Village],
            Kind::Community | Kind::Village => &[Kind::Grid],
            Kind::Grid => &[],
        }
    }

    pub fn is_level2(self) -> bool {
        matches!(self, Kind::Community | Kind::Village)
    }
}

/// The duties of a grid's responsible people (网格责任人).
pub const DUTIES: [&str; 4] = [
    "grid_leader",
    "grid_worker",
    "sent_down_cadre",
    "partner_unit",
];

/// Kinds of key sites (重点部位).
pub const SITE_KINDS: [&str; 9] = [
    "school",
    "market",
    "construction",
    "old_building",
    "hospital",
    "enterprise",
    "public_venue",
    "hazard",
    "other",
];

/// Required patrol intervals offered in the form, in days (daily, twice a week, weekly, …).
pub const PATROL_INTERVALS: [i32; 5] = [1, 3, 7, 14, 30];

/// Counts shown beside each unit on the tree page: the level-2 units, grids, active staff and
/// active key sites in its subtree (itself included).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub communities: i64,
    pub grids: i64,
    pub staff: i64,
    pub sites: i64,
}

/// Sums each unit's own figures up through its ancestors. `units` are (id, parent_id, kind);
/// `staff` and `sites` are per-unit figures. Units are processed deepest first, so each unit's
/// total is complete before it is added to its parent.
pub fn roll_up(
    units: &[(i32, Option<i32>, Kind, i32)],
    staff: &HashMap<i32, i64>,
    sites: &HashMap<i32, i64>,
) -> HashMap<i32, Counts> {
    let mut totals: HashMap<i32, Counts> = HashMap::with_capacity(units.len());
    for (id, _, kind, _) in units {
        totals.insert(
            *id,
            Counts {
                communities: i64::from(kind.is_level2()),
                grids: i64::from(*kind == Kind::Grid),
                staff: staff.get(id).copied().unwrap_or(0),
                sites: sites.get(id).copied().unwrap_or(0),
            },
        );
    }
    let mut order: Vec<&(i32, Option<i32>, Kind, i32)> = units.iter().collect();
    order.sort_by_key(|u| std::cmp::Reverse(u.3));
    for (id, parent, _, _) in order {
        let Some(parent) = parent else { continue };
        let own = totals[id];
        if let Some(p) = totals.get_mut(parent) {
            p.communities += own.communities;
            p.grids += own.grids;
            p.staff += own.staff;
            p.sites += own.sites;
        }
    }
    totals
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_follows_the_three_level_grid() {
        assert_eq!(Kind::District.child_kinds(), &[Kind::Street]);
        assert!(Kind::Street.child_kinds().contains(&Kind::Village));
        assert_eq!(Kind::Village.child_kinds(), &[Kind::Grid]);
        assert!(Kind::Grid.child_kinds().is_empty());
    }

    #[test]
    fn counts_roll_up_to_every_ancestor() {
        use Kind::*;
        let units = vec![
            (1, None, District, 0),
            (2, Some(1), Street, 1),
            (3, Some(2), Community, 2),
            (4, Some(3), Grid, 3),
            (5, Some(3), Grid, 3),
            (6, Some(2), Village, 2),
            (7, Some(6), Grid, 3),
        ];
        let staff = HashMap::from([(2, 5), (4, 1), (7, 2)]);
        let sites = HashMap::from([(4, 3), (5, 1)]);
        let t = roll_up(&units, &staff, &sites);
        assert_eq!(
            t[&1],
            Counts {
                communities: 2,
                grids: 3,
                staff: 8,
                sites: 4
            }
        );
        assert_eq!(
            t[&3],
            Counts {
                communities: 1,
                grids: 2,
                staff: 1,
                sites: 4
            }
        );
        assert_eq!(
            t[&7],
            Counts {
                communities: 0,
                grids: 1,
                staff: 2,
                sites: 0
            }
        );
    }
}
