//! The log form's page: a new log, a same-day edit or a correction (with the 409 comparison).

use std::collections::HashMap;

use askama::Template;

use super::domain::Summary;
use super::forms::{Errors, PatrolForm, VisitInput};
use super::models::{FormData, KeySite};
use crate::issues::domain::URGENCIES;
use crate::issues::pages::CategoryGroup;
use crate::patrols::domain::Change;
use crate::patrols::models::IssueLink;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow};

/// The log form: a new log, a same-day edit or a correction.
#[derive(Template)]
#[template(path = "patrols/log/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: PatrolForm,
    pub errors: Errors,
    /// "new", "edit" or "correct".
    pub mode: &'static str,
    pub action: String,
    pub grid_id: i32,
    pub grid_name: String,
    pub sites: Vec<KeySite>,
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

/// Which form a page is: its mode and where it posts.
pub struct FormView {
    pub mode: Change,
    pub new: bool,
    pub action: String,
}

impl FormView {
    /// A new log.
    pub fn new_log() -> FormView {
        FormView {
            mode: Change::Edit,
            new: true,
            action: "/patrols".into(),
        }
    }

    /// An edit or a correction of log `id`.
    pub fn saved(id: i32, mode: Change) -> FormView {
        FormView {
            mode,
            new: false,
            action: format!("/patrols/{id}"),
        }
    }
}

/// What the form page is built with besides the form: today and the upload limit.
pub struct Limits {
    pub today: String,
    pub upload_max_mib: usize,
}

impl FormPage {
    pub fn new(
        ctx: Ctx,
        limits: &Limits,
        mut form: PatrolForm,
        errors: Errors,
        view: &FormView,
        d: FormData,
    ) -> FormPage {
        form.pad_rows();
        FormPage {
            urgencies: URGENCIES
                .iter()
                .map(|u| Choice::new(u, ctx.t(format!("urgency.{u}"))))
                .collect(),
            categories: CategoryGroup::all(&d.cats, false),
            sites: d.sites,
            today: limits.today.clone(),
            ctx,
            form,
            errors,
            mode: match (view.new, view.mode) {
                (true, _) => "new",
                (false, Change::Edit) => "edit",
                (false, Change::Correct) => "correct",
            },
            action: view.action.clone(),
            grid_id: d.grid.id,
            grid_name: d.grid.name,
            conflicts: Vec::new(),
            issues: d.issues,
            restored: false,
            upload_max_mib: limits.upload_max_mib,
        }
    }
}

/// A form as the comparison lines: site names and findings in the reader's words.
pub fn summary_of(ctx: &Ctx, f: &PatrolForm, sites: &[KeySite]) -> Summary {
    let names: HashMap<i32, &str> = sites.iter().map(|s| (s.id, s.name.as_str())).collect();
    let checks: Vec<(String, String, String)> = f
        .sites
        .iter()
        .filter(|(_, s)| !s.finding.trim().is_empty())
        .map(|(id, s)| {
            (
                names
                    .get(id)
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| id.to_string()),
                ctx.t(format!("patrols.finding.{}", s.finding.trim())),
                s.note.trim().to_string(),
            )
        })
        .collect();
    let visits: Vec<(String, String)> = f
        .visits
        .iter()
        .filter(|v| !v.address.trim().is_empty())
        .map(|v| {
            (
                v.address.trim().to_string(),
                v.householder.trim().to_string(),
            )
        })
        .collect();
    Summary::new(
        f.started_at.trim(),
        f.ended_at.trim(),
        f.route.trim(),
        f.notes.trim(),
        &checks,
        &visits,
    )
}

crate::stale_page!(FormPage);
