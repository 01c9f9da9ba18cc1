use askama::Template;
use askama_web::WebTemplate;

use super::forms::CategoryForm;
use super::models::{Category, DAY, HOUR};
use crate::web::ctx::Ctx;
use crate::web::edit::Labelled;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::list::Column;

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

crate::stale_page!(CategoryFormPage);

impl CategoryFormPage {
    /// Editing a major: no parent and no time limit fields.
    pub fn editing_major(&self) -> bool {
        self.category.as_ref().is_some_and(Category::is_major)
    }
}

pub fn limit_text(ctx: &Ctx, value: impl ToString, unit: &str) -> String {
    let key = if unit == HOUR {
        "categories.limit_hours"
    } else {
        "categories.limit_days"
    };
    ctx.ta1(key, "n", value)
}

pub fn unit_choices(ctx: &Ctx) -> Vec<Choice> {
    vec![
        Choice::new(DAY, ctx.t("categories.unit_day")),
        Choice::new(HOUR, ctx.t("categories.unit_hour")),
    ]
}

/// The majors as parent choices; on create first the "no parent: a major" choice.
pub fn parent_choices(ctx: &Ctx, all: &[Category], creating: bool) -> Vec<Choice> {
    let none = creating.then(|| Choice::new("", ctx.t("categories.as_major")));
    none.into_iter()
        .chain(
            all.iter()
                .filter(|c| c.is_major())
                .map(|c| Choice::new(c.id, &c.name)),
        )
        .collect()
}

/// Majors in order, each followed by its minors, with issue counts (a major's: its minors').
pub fn rows(
    ctx: &Ctx,
    all: &[Category],
    counts: &std::collections::HashMap<i32, i64>,
) -> Vec<CategoryRow> {
    let count = |id: i32| counts.get(&id).copied().unwrap_or(0);
    let mut out = Vec::with_capacity(all.len());
    for major in all.iter().filter(|c| c.is_major()) {
        let minors: Vec<&Category> = all
            .iter()
            .filter(|c| c.parent_id == Some(major.id))
            .collect();
        out.push(CategoryRow {
            id: major.id,
            major: major.name.clone(),
            name: major.name.clone(),
            is_major: true,
            limit: String::new(),
            active: major.active,
            issues: count(major.id) + minors.iter().map(|m| count(m.id)).sum::<i64>(),
        });
        out.extend(minors.into_iter().map(|m| CategoryRow {
            id: m.id,
            major: major.name.clone(),
            name: m.name.clone(),
            is_major: false,
            limit: limit_text(ctx, m.limit_value, &m.limit_unit),
            active: m.active,
            issues: count(m.id),
        }));
    }
    out
}

/// The export's columns: the page's rows, a minor's name in its own column.
pub const EXPORT_COLUMNS: &[Column<CategoryRow>] = &[
    Column {
        header: "categories.major",
        cell: |_, r| r.major.clone(),
    },
    Column {
        header: "categories.minor",
        cell: |_, r| {
            if r.is_major {
                String::new()
            } else {
                r.name.clone()
            }
        },
    },
    Column {
        header: "categories.limit",
        cell: |_, r| r.limit.clone(),
    },
    Column {
        header: "categories.status",
        cell: |ctx, r| {
            ctx.t(if r.active {
                "categories.active"
            } else {
                "categories.inactive"
            })
        },
    },
    Column {
        header: "categories.issues",
        cell: |_, r| r.issues.to_string(),
    },
];

/// The edit form's fields as the conflict table shows them (names and units in words).
pub fn labelled(ctx: &Ctx, all: &[Category], f: &CategoryForm, major: bool) -> Labelled {
    let mut out = vec![("categories.name", f.name.clone())];
    if !major {
        let parent = all
            .iter()
            .find(|c| c.id.to_string() == f.parent_id.trim())
            .map_or_else(|| f.parent_id.clone(), |c| c.name.clone());
        out.push(("categories.parent", parent));
        out.push((
            "categories.limit",
            limit_text(ctx, f.limit_value.trim(), f.limit_unit.trim()),
        ));
    }
    out.push(("categories.sort_order", f.sort_order.clone()));
    let active = if f.is_active() {
        "categories.active"
    } else {
        "categories.inactive"
    };
    out.push(("categories.status", ctx.t(active)));
    out
}
