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

/// One unit with its own figures, as read from the tree.
#[derive(Debug, Clone, Copy)]
pub struct UnitFigures {
    pub id: i32,
    pub parent_id: Option<i32>,
    pub kind: Kind,
    pub depth: i32,
    pub staff: i64,
    pub sites: i64,
}

/// Sums each unit's own figures up through its ancestors. Units are processed deepest first, so
/// each unit's total is complete before it is added to its parent.
pub fn roll_up(units: &[UnitFigures]) -> HashMap<i32, Counts> {
    let mut totals: HashMap<i32, Counts> = HashMap::with_capacity(units.len());
    for u in units {
        totals.insert(
            u.id,
            Counts {
                communities: i64::from(u.kind.is_level2()),
                grids: i64::from(u.kind == Kind::Grid),
                staff: u.staff,
                sites: u.sites,
            },
        );
    }
    let mut order: Vec<&UnitFigures> = units.iter().collect();
    order.sort_by_key(|u| std::cmp::Reverse(u.depth));
    for u in order {
        let Some(parent) = u.parent_id else { continue };
        let own = totals[&u.id];
        if let Some(p) = totals.get_mut(&parent) {
            p.communities += own.communities;
            p.grids += own.grids;
            p.staff += own.staff;
            p.sites += own.sites;
        }
    }
    totals
}

/// A part of a name as it sorts: runs of digits as numbers, so 第2网格 comes before 第10网格.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum NamePart {
    Number(u64),
    Text(String),
}

/// A name's natural sort key (see [`NamePart`]).
pub fn natural_key(name: &str) -> Vec<NamePart> {
    let mut parts = Vec::new();
    let mut chars = name.chars().peekable();
    while let Some(&c) = chars.peek() {
        let digit = c.is_ascii_digit();
        let mut run = String::new();
        while let Some(&c) = chars.peek().filter(|c| c.is_ascii_digit() == digit) {
            run.push(c);
            chars.next();
        }
        parts.push(match run.parse::<u64>() {
            Ok(n) if digit => NamePart::Number(n),
            _ => NamePart::Text(run),
        });
    }
    parts
}

/// A unit's place among its siblings: its sort order, then its name naturally.
fn sibling_key(sort_order: i32, name: &str) -> (i32, Vec<NamePart>) {
    (sort_order, natural_key(name))
}

/// The indices of `units` (id, parent id, sort order, name) in the org tree's order: depth
/// first, siblings by [`sibling_key`]. Units whose parent is not among them are the tops.
pub fn tree_order(units: &[(i32, Option<i32>, i32, &str)]) -> Vec<usize> {
    let ids: std::collections::HashSet<i32> = units.iter().map(|u| u.0).collect();
    let mut children: HashMap<Option<i32>, Vec<usize>> = HashMap::new();
    for (i, u) in units.iter().enumerate() {
        let parent = u.1.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(i);
    }
    for list in children.values_mut() {
        list.sort_by_cached_key(|&i| sibling_key(units[i].2, units[i].3));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<usize> = children
        .get(&None)
        .into_iter()
        .flatten()
        .rev()
        .copied()
        .collect();
    while let Some(i) = stack.pop() {
        out.push(i);
        if let Some(kids) = children.get(&Some(units[i].0)) {
            stack.extend(kids.iter().rev());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_reads_in_order_with_numbers_as_numbers() {
        assert!(natural_key("第2网格") < natural_key("第10网格"));
        assert!(natural_key("第1网格") < natural_key("第2网格"));
        // Ids out of order, as units are added over the years: 第1网格 was added last.
        let units = [
            (9, Some(1), 0, "第10网格"),
            (1, None, 0, "工人路社区"),
            (5, Some(1), 0, "第2网格"),
            (2, None, 0, "建设路社区"),
            (7, Some(2), 0, "第1网格"),
            (12, Some(1), 0, "第1网格"),
        ];
        let names: Vec<(i32, &str)> = tree_order(&units)
            .into_iter()
            .map(|i| (units[i].0, units[i].3))
            .collect();
        assert_eq!(
            names,
            [
                (1, "工人路社区"),
                (12, "第1网格"),
                (5, "第2网格"),
                (9, "第10网格"),
                (2, "建设路社区"),
                (7, "第1网格")
            ]
        );
    }

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
        let u = |id, parent_id, kind, depth, staff, sites| UnitFigures {
            id,
            parent_id,
            kind,
            depth,
            staff,
            sites,
        };
        let units = vec![
            u(1, None, District, 0, 0, 0),
            u(2, Some(1), Street, 1, 5, 0),
            u(3, Some(2), Community, 2, 0, 0),
            u(4, Some(3), Grid, 3, 1, 3),
            u(5, Some(3), Grid, 3, 0, 1),
            u(6, Some(2), Village, 2, 0, 0),
            u(7, Some(6), Grid, 3, 2, 0),
        ];
        let t = roll_up(&units);
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
