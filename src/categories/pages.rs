use askama::Template;
use askama_web::WebTemplate;

use super::forms::CategoryForm;
use super::models::Category;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};

/// One line of the taxonomy table: a major, or a minor indented under it.
pub struct CategoryRow {
    pub id: i32,
    pub major: String,
    pub name: String,
    pub is_major: bool,
    /// "5 个工作日" / "4 个工作小时"; empty for a major.
    pub limit: String,
    pub active: bool,
    /// Issues filed in it (for a major: in its minors).
    pub issues: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "categories/list.html")]
pub struct CategoriesPage {
    pub ctx: Ctx,
    pub rows: Vec<CategoryRow>,
}

#[derive(Template, WebTemplate)]
#[template(path = "categories/form.html")]
pub struct CategoryFormPage {
    pub ctx: Ctx,
    /// None when creating.
    pub category: Option<Category>,
    /// The parent choices: on create a first "none: a major category" entry, then the majors.
    pub parents: Vec<Choice>,
    pub units: Vec<Choice>,
    pub form: CategoryForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    /// Issues filed in the category (the edit page; None on pages re-shown after a POST).
    pub issues: Option<i64>,
    /// Whether it may be deleted: no issue uses it and it has no minors.
    pub deletable: bool,
}

impl CategoryFormPage {
    /// Editing a major: no parent and no time limit fields.
    pub fn editing_major(&self) -> bool {
        self.category.as_ref().is_some_and(Category::is_major)
    }
}
