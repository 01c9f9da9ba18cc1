use askama::Template;
use askama_web::WebTemplate;

use super::domain::Counts;
use super::forms::OrgForm;
use super::models::OrgUnit;
use crate::grids::models::{Person, Site};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// One line of the tree: a unit with its depth below the tree's root and its counts.
pub struct TreeLine {
    pub id: i32,
    pub name: String,
    pub kind_key: String,
    pub indent: i32,
    pub counts: Counts,
}

#[derive(Template, WebTemplate)]
#[template(path = "org/tree.html")]
pub struct TreePage {
    pub ctx: Ctx,
    pub lines: Vec<TreeLine>,
}

pub struct Crumb {
    pub id: i32,
    pub name: String,
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
