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
    pub lines: Vec<TreeLine>,
    pub labels: KindLabels,
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
