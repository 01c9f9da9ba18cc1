//! Templates of the issue pages and the view rows they show.

use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDateTime;

use super::domain::{SOURCES, URGENCIES};
use super::forms::{ActionForm, ListQuery, ReportForm};
use super::models::{CategoryRow, EventRow, Issue, IssueDetail, ListRow, PhotoRow, category_names};
use super::urge::forms::UrgeForm;
use super::urge::pages::UrgePanel;
use crate::calendar::domain::{WorkCalendar, due_day};
use crate::org::models::UnitGroup;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::list::Column;
use crate::web::pagination::Pager;

/// Codes as choices labelled from the locale (`{prefix}.{code}`).
pub fn choices(ctx: &Ctx, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice::new(c, ctx.t(format!("{prefix}.{c}"))))
        .collect()
}

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
            .filter(|c| c.is_major() && (c.active || with_inactive))
            .map(|major| CategoryGroup {
                name: major.name.clone(),
                options: cats
                    .iter()
                    .filter(|c| c.parent_id == Some(major.id) && (c.active || with_inactive))
                    .map(|c| Choice::new(c.id, &c.name))
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
    pub source: String,
    pub reported: String,
    pub deadline: String,
    pub closed: String,
    pub overdue: bool,
    /// "超期 3 个工作日" when overdue by whole working days, else "超期" (when overdue).
    pub late: String,
    /// How many times it was urged (督办).
    pub urges: i64,
}

/// A deadline as the reader reads it: the day alone when it closes a whole day (a meeting's
/// decision, a limit in working days), else local date and time.
pub fn deadline_text(ctx: &Ctx, deadline: &NaiveDateTime) -> String {
    match due_day(ctx.local(deadline)) {
        Some(day) => ctx.date(&day),
        None => ctx.dt(deadline),
    }
}

impl ListRowView {
    /// A list row with its category's and grid's names, times in the office's zone.
    pub fn of(
        r: &ListRow,
        (categories, grids): (&HashMap<i32, String>, &HashMap<i32, String>),
        cal: &WorkCalendar,
        ctx: &Ctx,
        now: NaiveDateTime,
    ) -> ListRowView {
        let overdue = super::domain::State::parse(&r.state).is_some_and(|s| s.clock_runs())
            && r.deadline.is_some_and(|d| d < now);
        let late = match r.deadline.filter(|_| overdue) {
            Some(d) => match cal.working_days_late(ctx.local(&d), ctx.local(&now)) {
                0 => ctx.t("issues.overdue"),
                1 => ctx.t("issues.late_one"),
                n => ctx.ta1("issues.late_days", "n", n),
            },
            None => String::new(),
        };
        ListRowView {
            id: r.id,
            number: r.number.clone(),
            title: r.title.clone(),
            state: r.state.clone(),
            urgent: r.urgency == "urgent",
            pending: r.pending.clone(),
            category: categories.get(&r.category_id).cloned().unwrap_or_default(),
            grid: grids.get(&r.grid_id).cloned().unwrap_or_default(),
            address: r.address.clone(),
            source: r.source.clone(),
            reported: ctx.dt(&r.reported_at),
            deadline: r
                .deadline
                .map(|d| deadline_text(ctx, &d))
                .unwrap_or_default(),
            closed: ctx.dt_opt(&r.closed_at),
            overdue,
            late,
            urges: 0,
        }
    }

    /// The row with its 督办 count from `counts` (by issue id).
    pub fn urged(mut self, counts: &HashMap<i32, i64>) -> ListRowView {
        self.urges = counts.get(&self.id).copied().unwrap_or(0);
        self
    }
}

/// The list's export: the page's rows, these columns.
pub const EXPORT_COLUMNS: [Column<ListRowView>; 11] = [
    Column {
        header: "issues.number",
        cell: |_, r| r.number.clone(),
    },
    Column {
        header: "issues.title",
        cell: |_, r| r.title.clone(),
    },
    Column {
        header: "issues.state",
        cell: |ctx, r| ctx.t(format!("issue_state.{}", r.state)),
    },
    Column {
        header: "issues.category",
        cell: |_, r| r.category.clone(),
    },
    Column {
        header: "issues.source",
        cell: |ctx, r| ctx.t(format!("source.{}", r.source)),
    },
    Column {
        header: "issues.grid",
        cell: |_, r| r.grid.clone(),
    },
    Column {
        header: "issues.address",
        cell: |_, r| r.address.clone(),
    },
    Column {
        header: "issues.reported_at",
        cell: |_, r| r.reported.clone(),
    },
    Column {
        header: "issues.deadline",
        cell: |_, r| r.deadline.clone(),
    },
    Column {
        header: "issues.closed_at",
        cell: |_, r| r.closed.clone(),
    },
    Column {
        header: "urge.count",
        cell: |_, r| r.urges.to_string(),
    },
];

/// One to-do tab above the list, with its count.
pub struct TodoTab {
    pub code: &'static str,
    pub count: i64,
    /// How many of them are urged (督办).
    pub urged: i64,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "issues/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub rows: Vec<ListRowView>,
    pub pager: Pager,
    pub q: ListQuery,
    /// Messages of the filter (a bad date), beside their fields.
    pub errors: FormErrors,
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
    pub grids: Vec<UnitGroup>,
    pub sources: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub photo_error: Option<String>,
    pub upload_max_mib: usize,
    pub restored: bool,
}

impl NewPage {
    /// The report form with `form` typed and `errors` beside it.
    pub fn new(
        ctx: Ctx,
        form: ReportForm,
        errors: FormErrors,
        cats: &[CategoryRow],
        grids: Vec<UnitGroup>,
        upload_max: usize,
    ) -> NewPage {
        NewPage {
            sources: choices(&ctx, "source", &SOURCES),
            urgencies: choices(&ctx, "urgency", &URGENCIES),
            categories: CategoryGroup::all(cats, false),
            ctx,
            form,
            errors,
            grids,
            photo_error: None,
            upload_max_mib: upload_max / (1024 * 1024),
            restored: false,
        }
    }
}

/// A timeline entry with the photos taken with it.
pub struct EventView {
    pub row: EventRow,
    pub photos: Vec<PhotoRow>,
    /// For a 督办 entry, which one it is (第N次); 0 otherwise.
    pub nth: usize,
}

/// One action the user may take, with its form's fields.
pub struct ActionView {
    pub code: &'static str,
    pub needs_note: bool,
    pub takes_photos: bool,
}

impl ActionView {
    fn of(a: super::domain::Action) -> ActionView {
        ActionView {
            code: a.code(),
            needs_note: a.needs_note(),
            takes_photos: a.takes_photos(),
        }
    }
}

#[derive(Template)]
#[template(path = "issues/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    /// Street › community › grid.
    pub crumbs: Vec<Crumb>,
    pub issue: Issue,
    pub category: String,
    pub grid: String,
    pub owner: String,
    pub reporter: String,
    pub handler: String,
    /// The patrol log it was reported from.
    pub patrol: Option<i32>,
    /// The meetings that discussed it.
    pub meetings: Vec<crate::meetings::models::IssueMeeting>,
    /// The opinion-box entry it was turned from (党情民意箱).
    pub opinion: Option<i32>,
    /// The party activities that helped resolve it (党建引领): id, kind, day, title, branch.
    pub party_activities: Vec<crate::party::activities::models::LinkedActivity>,
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
    pub urge: UrgePanel,
}

impl ShowPage {
    /// The issue page as first shown: the step forms fresh for the version read.
    pub fn fresh(ctx: Ctx, d: IssueDetail, upload_max: usize) -> ShowPage {
        let form = ActionForm {
            version: d.issue.version.to_string(),
            form_token: crate::web::csrf::random_token(),
            ..Default::default()
        };
        ShowPage::new(ctx, d, form, upload_max)
    }

    /// The issue page of `d` with the step form `form` (typed, or fresh with the version shown).
    pub fn new(ctx: Ctx, d: IssueDetail, form: ActionForm, upload_max: usize) -> ShowPage {
        let i = &d.issue;
        let handler = if let Some(u) = i.handler_user_id {
            d.names.get(&u).cloned().unwrap_or_default()
        } else if let Some(u) = i.handler_unit_id {
            d.units.get(&u).cloned().unwrap_or_default()
        } else {
            i.handler_party.clone()
        };
        let unit = |id: &i32| d.units.get(id).cloned().unwrap_or_default();
        let photos = |stage: &str, event: Option<i32>| -> Vec<PhotoRow> {
            d.photos
                .iter()
                .filter(|p| p.stage == stage && (event.is_none() || p.event_id == event))
                .cloned()
                .collect()
        };
        let mut urged = 0;
        let events = d
            .events
            .iter()
            .map(|row| EventView {
                photos: photos("after", Some(row.id)),
                nth: if row.action == "urge" {
                    urged += 1;
                    urged
                } else {
                    0
                },
                row: row.clone(),
            })
            .collect();
        let crumbs = ctx.user.as_ref().map_or_else(Vec::new, |u| {
            crate::org::crumbs_along(u, &i.scope_path, &d.units)
        });
        ShowPage {
            crumbs,
            urge: UrgePanel {
                count: d.urges,
                offered: d.may_urge,
                form: UrgeForm {
                    form_token: crate::web::csrf::random_token(),
                    ..Default::default()
                },
                errors: FormErrors::new(),
            },
            category: category_names(&d.cats)
                .remove(&i.category_id)
                .unwrap_or_default(),
            grid: unit(&i.grid_id),
            owner: unit(&i.owner_unit_id),
            reporter: d.names.get(&i.reporter_id).cloned().unwrap_or_default(),
            handler,
            overdue: i.overdue(crate::db::now()),
            before_photos: photos("before", None),
            events,
            actions: d.actions.iter().map(|a| ActionView::of(*a)).collect(),
            categories: CategoryGroup::all(&d.cats, false),
            target_users: d
                .target_users
                .iter()
                .map(|u| Choice::new(u.id, format!("{}（{}）", u.name, u.unit)))
                .collect(),
            target_units: d
                .target_units
                .iter()
                .map(|u| Choice::new(u.id, &u.name))
                .collect(),
            patrol: d.patrol,
            meetings: d.meetings,
            opinion: d.opinion,
            party_activities: d.party_activities,
            issue: d.issue,
            form,
            errors: FormErrors::new(),
            conflicts: Vec::new(),
            photo_error: None,
            upload_max_mib: upload_max / (1024 * 1024),
            ctx,
        }
    }

    /// Sets the message of a refused photo (a locale key of `photos::prepare`).
    pub fn photo_refused(&mut self, key: &str) {
        let max = self.upload_max_mib * 1024 * 1024;
        self.photo_error = Some(crate::photos::message(&self.ctx, key, max));
    }

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
