//! Templates of the issue pages and the view rows they show.

use askama::Template;

use super::forms::{ActionForm, ListQuery, ReportForm};
use super::models::{CategoryRow, EventRow, Issue, PhotoRow};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;

/// Categories grouped under their major category, for `<optgroup>`.
pub struct CategoryGroup {
    pub name: String,
    pub options: Vec<Choice>,
}

impl CategoryGroup {
    /// Minor categories under their majors; with `all`, inactive ones too (for labels). Without,
    /// a deactivated major hides its minors as well.
    pub fn all(cats: &[CategoryRow], with_inactive: bool) -> Vec<CategoryGroup> {
        cats.iter()
            .filter(|c| c.1.is_none() && (c.5 || with_inactive))
            .map(|major| CategoryGroup {
                name: major.2.clone(),
                options: cats
                    .iter()
                    .filter(|c| c.1 == Some(major.0) && (c.5 || with_inactive))
                    .map(|c| Choice::new(c.0, &c.2))
                    .collect(),
            })
            .filter(|g| !g.options.is_empty())
            .collect()
    }
}

pub struct ListRowView {
    pub id: i32,
    pub number: String,
    pub title: String,
    pub state: String,
    pub urgent: bool,
    pub pending: String,
    pub category: String,
    pub grid: String,
    pub address: String,
    pub reported: String,
    pub deadline: String,
    pub overdue: bool,
}

pub struct TodoTab {
    pub code: &'static str,
    pub count: i64,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "issues/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rows: Vec<ListRowView>,
    pub pager: Pager,
    pub q: ListQuery,
    pub states: Vec<Choice>,
    pub categories: Vec<CategoryGroup>,
    pub units: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub todos: Vec<TodoTab>,
}

#[derive(Template)]
#[template(path = "issues/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub form: ReportForm,
    pub errors: FormErrors,
    pub categories: Vec<CategoryGroup>,
    pub grids: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub photo_error: Option<String>,
    pub upload_max_mib: usize,
    pub restored: bool,
}

pub struct EventView {
    pub row: EventRow,
    pub photos: Vec<PhotoRow>,
}

/// One action the user may take, with its form's fields.
pub struct ActionView {
    pub code: &'static str,
    pub needs_note: bool,
    pub takes_photos: bool,
}

#[derive(Template)]
#[template(path = "issues/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub issue: Issue,
    pub category: String,
    pub grid: String,
    pub owner: String,
    pub reporter: String,
    pub handler: String,
    /// The patrol log it was reported from.
    pub patrol: Option<i32>,
    /// The meetings that discussed it: meeting id, kind, day, agenda item id.
    pub meetings: Vec<(i32, String, chrono::NaiveDate, i32)>,
    /// The opinion-box entry it was turned from (党情民意箱).
    pub opinion: Option<i32>,
    /// The party activities that helped resolve it (党建引领): id, kind, day, title, branch.
    pub party_activities: Vec<crate::party::activity_models::IssueActivity>,
    pub overdue: bool,
    pub events: Vec<EventView>,
    pub before_photos: Vec<PhotoRow>,
    pub actions: Vec<ActionView>,
    pub form: ActionForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub photo_error: Option<String>,
    pub categories: Vec<CategoryGroup>,
    pub target_users: Vec<Choice>,
    pub target_units: Vec<Choice>,
    pub upload_max_mib: usize,
}

impl ShowPage {
    /// The typed value of a field of `action`'s form (empty for the other forms).
    pub fn typed<'a>(&'a self, action: &str, value: &'a str) -> &'a str {
        if self.form.action == action {
            value
        } else {
            ""
        }
    }

    pub fn errors_for(&self, action: &str) -> FormErrors {
        if self.form.action == action {
            self.errors.clone()
        } else {
            FormErrors::new()
        }
    }
}
