//! Templates of the patrol pages and the view rows they show.

use askama::Template;

use super::forms::{Errors, ListQuery, PatrolForm, VisitInput};
use super::models::{IssueLink, Patrol};
use crate::issues::pages::CategoryGroup;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow};
use crate::web::pagination::Pager;

pub struct SiteView {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub interval: i32,
}

/// The log form: a new log, a same-day edit or a correction.
#[derive(Template)]
#[template(path = "patrols/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: PatrolForm,
    pub errors: Errors,
    /// "new", "edit" or "correct".
    pub mode: &'static str,
    pub action: String,
    pub grid_id: i32,
    pub grid_name: String,
    pub sites: Vec<SiteView>,
    pub categories: Vec<CategoryGroup>,
    pub urgencies: Vec<Choice>,
    pub conflicts: Vec<ConflictRow>,
    /// Issues already reported from this log (edit and correction).
    pub issues: Vec<IssueLink>,
    pub restored: bool,
    pub upload_max_mib: usize,
    pub today: String,
}

impl FormPage {
    pub fn finding(&self, site: i32) -> String {
        self.form
            .sites
            .get(&site)
            .map(|s| s.finding.clone())
            .unwrap_or_default()
    }

    fn message(&self, errors: Option<&crate::web::forms::FormErrors>, field: &str) -> String {
        errors
            .and_then(|e| e.get(field))
            .map(|e| self.ctx.err(e))
            .unwrap_or_default()
    }

    /// The message beside a field of a key site's row, a visit row or a problem row ("" if none).
    pub fn site_err(&self, site: &i32, field: &str) -> String {
        self.message(self.errors.site(*site), field)
    }

    pub fn visit_err(&self, row: &usize, field: &str) -> String {
        self.message(self.errors.visit(*row), field)
    }

    pub fn problem_err(&self, row: &usize, field: &str) -> String {
        self.message(self.errors.problem(*row), field)
    }

    /// A visit row's single-line fields, or (`long`) its text areas: (field, label key, value).
    pub fn visit_inputs(
        &self,
        v: &VisitInput,
        long: bool,
    ) -> Vec<(&'static str, &'static str, String)> {
        if long {
            vec![
                ("learned", "patrols.learned", v.learned.clone()),
                ("needs", "patrols.needs", v.needs.clone()),
            ]
        } else {
            vec![
                ("address", "patrols.address", v.address.clone()),
                ("householder", "patrols.householder", v.householder.clone()),
                ("phone", "patrols.phone", v.phone.clone()),
            ]
        }
    }

    pub fn site_note(&self, site: i32) -> String {
        self.form
            .sites
            .get(&site)
            .map(|s| s.note.clone())
            .unwrap_or_default()
    }
}

pub struct VisitView {
    pub address: String,
    pub householder: String,
    pub phone: String,
    pub learned: String,
    pub needs: String,
}

pub struct CorrectionView {
    pub who: String,
    pub when: String,
    pub reason: String,
    pub changes: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "patrols/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub p: Patrol,
    pub grid_name: String,
    pub worker_name: String,
    pub sites: Vec<(String, String, String, String)>,
    pub visits: Vec<VisitView>,
    pub issues: Vec<IssueLink>,
    pub corrections: Vec<CorrectionView>,
    /// "edit", "correct" or "" (what the button offers).
    pub change: &'static str,
}

pub struct RowView {
    pub id: i32,
    pub day: String,
    pub grid: String,
    pub worker_id: i32,
    pub worker: String,
    pub time: String,
    pub quick: bool,
    pub sites: i32,
    pub site_problems: i32,
    pub visits: i32,
    pub problems: i32,
    pub corrections: i32,
}

/// One of my grids on the list page: today's log, or the buttons to make one.
pub struct MyGrid {
    pub id: i32,
    pub name: String,
    pub logged: Option<(i32, bool)>,
}

#[derive(Template)]
#[template(path = "patrols/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rows: Vec<RowView>,
    pub pager: Pager,
    pub q: ListQuery,
    pub units: Vec<Choice>,
    pub workers: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub mine: Vec<MyGrid>,
    pub quick_token: String,
    pub today: String,
}
