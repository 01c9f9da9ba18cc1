use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;

use super::domain::{Counts, Kind};
use super::forms::OrgForm;
use super::models::{self, OrgUnit};
use crate::auth::CurrentUser;
use crate::db::AnyConnection;
use crate::error::AppResult;
use crate::grids::models::{Person, Site};
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// One line of the tree: a unit with its depth below the tree's root and its counts.
pub struct TreeLine {
    pub id: i32,
    pub name: String,
    pub kind: Kind,
    pub indent: i32,
    pub counts: Counts,
}

impl TreeLine {
    pub fn is_grid(&self) -> bool {
        self.kind == Kind::Grid
    }
}

/// The kinds' names in the user's language, translated once per page rather than once per row
/// (a district's tree has about 1,000 rows).
pub struct KindLabels([String; 5]);

impl KindLabels {
    pub fn new(ctx: &Ctx) -> KindLabels {
        KindLabels(Kind::ALL.map(|k| ctx.t(k.label_key())))
    }

    pub fn of(&self, kind: &Kind) -> &str {
        let i = Kind::ALL.iter().position(|k| k == kind).unwrap_or(0);
        &self.0[i]
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "org/tree.html")]
pub struct TreePage {
    pub ctx: Ctx,
    pub blocks: Vec<TreeBlock>,
    pub labels: KindLabels,
    /// The name filter (`?q=`), trimmed.
    pub q: String,
}

/// A block of the tree page: a community (or village) folded over its grids, or a unit above
/// them (a district, a street) on a line of its own.
pub struct TreeBlock {
    pub head: TreeLine,
    pub grids: Vec<TreeLine>,
    /// A community: folds (`<details>`) over its grids.
    pub fold: bool,
    /// Unfolded: the user's own community, or a filter's matches.
    pub open: bool,
}

/// The tree's lines (depth first) as blocks, kept to those whose name contains `q` (with the
/// units above them, and a matching community's grids); every block when `q` is empty.
/// Communities fold below the user's level: open only at the root or where `q` matched.
pub fn tree_blocks(lines: Vec<TreeLine>, q: &str) -> Vec<TreeBlock> {
    let mut blocks: Vec<TreeBlock> = Vec::new();
    for l in lines {
        match blocks.last_mut() {
            Some(b) if b.fold && l.is_grid() => b.grids.push(l),
            _ => {
                let fold = l.kind.is_level2();
                let open = fold && l.indent == 0;
                blocks.push(TreeBlock {
                    head: l,
                    grids: Vec::new(),
                    fold,
                    open,
                });
            }
        }
    }
    if q.is_empty() {
        return blocks;
    }
    let has = |l: &TreeLine| l.name.contains(q);
    let mut kept: Vec<TreeBlock> = Vec::new();
    // Backwards, so a unit knows whether anything below it was kept.
    let mut below: Vec<i32> = Vec::new(); // indents of the kept blocks after this one
    for mut b in blocks.into_iter().rev() {
        if !has(&b.head) {
            b.grids.retain(has);
        }
        let under = below.iter().any(|&i| i > b.head.indent);
        if has(&b.head) || !b.grids.is_empty() || under {
            b.open = true;
            below.retain(|&i| i <= b.head.indent);
            below.push(b.head.indent);
            kept.push(b);
        }
    }
    kept.reverse();
    kept
}

/// The trail of the unit at `path` (`/1/2/5/`): one query for its units' names.
pub fn crumbs_for(
    conn: &mut AnyConnection,
    user: &CurrentUser,
    path: &str,
) -> AppResult<Vec<Crumb>> {
    let ids: Vec<i32> = path.split('/').filter_map(|s| s.parse().ok()).collect();
    Ok(crumbs_from(user, &models::by_ids(conn, &ids)?))
}

/// The trail of a unit from its ancestors already loaded (root first, the unit last).
pub fn crumbs_from(user: &CurrentUser, ancestors: &[OrgUnit]) -> Vec<Crumb> {
    let names = ancestors.iter().map(|u| (u.id, u.name.clone())).collect();
    ancestors
        .last()
        .map_or_else(Vec::new, |u| crumbs_along(user, &u.path, &names))
}

/// The trail of the unit at `path`, root first, from its units' names: a unit in the user's
/// scope links to its page, one above it is plain text (the user cannot open it).
pub fn crumbs_along(user: &CurrentUser, path: &str, names: &HashMap<i32, String>) -> Vec<Crumb> {
    let mut prefix = String::from("/");
    let mut crumbs = Vec::new();
    for id in path.split('/').filter_map(|s| s.parse::<i32>().ok()) {
        prefix.push_str(&format!("{id}/"));
        let Some(name) = names.get(&id) else { continue };
        crumbs.push(if user.sees(&prefix) {
            Crumb::link(name, format!("/org/{id}"))
        } else {
            Crumb::text(name)
        });
    }
    crumbs
}

#[derive(Template, WebTemplate)]
#[template(path = "org/show.html")]
pub struct OrgPage {
    pub ctx: Ctx,
    pub unit: OrgUnit,
    pub kind_key: String,
    pub is_grid: bool,
    pub crumbs: Vec<Crumb>,
    pub counts: Counts,
    pub children: Vec<TreeLine>,
    pub labels: KindLabels,
    pub people: Vec<Person>,
    pub sites: Vec<Site>,
    /// Kinds an admin may add here, as (code, label).
    pub child_kinds: Vec<Choice>,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/form.html")]
pub struct OrgFormPage {
    pub ctx: Ctx,
    /// None when creating.
    pub unit_id: Option<i32>,
    pub parent_name: String,
    pub kinds: Vec<Choice>,
    pub form: OrgForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
}

crate::stale_page!(OrgFormPage);

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i32, name: &str, kind: Kind, indent: i32) -> TreeLine {
        TreeLine {
            id,
            name: name.into(),
            kind,
            indent,
            counts: Counts::default(),
        }
    }

    fn tree() -> Vec<TreeLine> {
        vec![
            line(1, "中原区", Kind::District, 0),
            line(2, "林山寨街道", Kind::Street, 1),
            line(3, "工人路社区", Kind::Community, 2),
            line(4, "工人路社区第1网格", Kind::Grid, 3),
            line(5, "工人路社区第2网格", Kind::Grid, 3),
            line(6, "陇西社区", Kind::Community, 2),
            line(7, "陇西社区第1网格", Kind::Grid, 3),
            line(8, "绿东村街道", Kind::Street, 1),
        ]
    }

    fn heads(b: &[TreeBlock]) -> Vec<(i32, Vec<i32>, bool)> {
        b.iter()
            .map(|b| (b.head.id, b.grids.iter().map(|g| g.id).collect(), b.open))
            .collect()
    }

    #[test]
    fn communities_fold_over_their_grids_and_a_filter_keeps_the_way_down() {
        let all = tree_blocks(tree(), "");
        assert_eq!(
            heads(&all),
            [
                (1, vec![], false),
                (2, vec![], false),
                (3, vec![4, 5], false),
                (6, vec![7], false),
                (8, vec![], false)
            ]
        );
        assert!(all[2].fold && !all[1].fold);
        // A grid's name: its community (open) and the units above, not its siblings.
        let found = tree_blocks(tree(), "第2网格");
        assert_eq!(
            heads(&found),
            [(1, vec![], true), (2, vec![], true), (3, vec![5], true)]
        );
        // A community's name: all its grids.
        let found = tree_blocks(tree(), "陇西");
        assert_eq!(
            heads(&found),
            [(1, vec![], true), (2, vec![], true), (6, vec![7], true)]
        );
        assert!(tree_blocks(tree(), "无此单位").is_empty());
        // A community's own clerk sees it open.
        let own = tree_blocks(
            tree()
                .into_iter()
                .skip(2)
                .take(3)
                .map(|mut l| {
                    l.indent -= 2;
                    l
                })
                .collect(),
            "",
        );
        assert!(own[0].open);
    }
}
