//! Templates of the activity pages, the rows they show, and a form as the labelled lines the
//! stale-edit table and the audit log read.

use std::collections::HashMap;

use askama::Template;

use super::forms::{ActivityErrors, ActivityForm, FormData, ListQuery};
use super::models::{Activity, AttendanceRow, IssueLink, ListRow};
use crate::attendance::{Attendance, needs_reason};
use crate::org::models::UnitName;
use crate::party::domain::{ACTIVITY_KINDS, DIFFICULTY};
use crate::party::members::models::MemberChoice;
use crate::party::members::pages::difficulty_choices;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;

/// The activity kinds as choices.
pub fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    ACTIVITY_KINDS
        .iter()
        .map(|k| Choice::new(k, ctx.t(format!("party.activity_kind.{k}"))))
        .collect()
}

/// A code's label (`prefix` + code), blank for a blank code.
pub fn label(ctx: &Ctx, prefix: &str, code: &str) -> String {
    if code.is_empty() {
        String::new()
    } else {
        ctx.t(format!("{prefix}{code}"))
    }
}

/// The activity form (new and edit).
#[derive(Template)]
#[template(path = "party/activities/form.html")]
pub struct FormPage {
    pub ctx: Ctx,
    pub form: ActivityForm,
    pub errors: ActivityErrors,
    pub kinds: Vec<Choice>,
    /// Active members: one attendance row each.
    pub members: Vec<MemberChoice>,
    /// Members who can be visited (label with their difficulty).
    pub visit_members: Vec<Choice>,
    pub difficulties: Vec<Choice>,
    pub pairings: Vec<Choice>,
    pub grids: Vec<UnitName>,
    pub action: String,
    pub branch_id: i32,
    pub branch_name: String,
    pub activity_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub photo_error: Option<String>,
    pub upload_max_mib: usize,
}

impl FormPage {
    /// 党建 › the branch (› the record, when editing one).
    pub fn crumbs(&self) -> Vec<Crumb> {
        let mut c = crate::party::branches::pages::crumbs(
            &self.ctx,
            Some((self.branch_id, &self.branch_name)),
        );
        if let Some(id) = self.activity_id {
            let label = match self.form.title.trim() {
                "" => self.ctx.t("audit.entities.party_activity"),
                t => t.to_string(),
            };
            c.push(Crumb::link(label, format!("/party/activities/{id}")));
        }
        c
    }

    /// The form for a new record (`activity` None) or an edit; `upload_max_mib`: the photo limit.
    pub fn new(
        ctx: Ctx,
        form: ActivityForm,
        errors: ActivityErrors,
        d: &FormData,
        activity: Option<i32>,
        upload_max_mib: usize,
    ) -> FormPage {
        let active = d.members.iter().filter(|m| m.active);
        FormPage {
            kinds: kind_choices(&ctx),
            members: active.clone().cloned().collect(),
            visit_members: active
                .map(|m| {
                    let flag = label(&ctx, "party.difficulty.", &m.difficulty);
                    if flag.is_empty() {
                        Choice::new(m.id, &m.name)
                    } else {
                        Choice::new(m.id, format!("{} · {flag}", m.name))
                    }
                })
                .collect(),
            difficulties: difficulty_choices(&ctx),
            pairings: d
                .pairings
                .iter()
                .map(|p| Choice::new(p.id, &p.label))
                .collect(),
            grids: d.grids.clone(),
            action: match activity {
                Some(id) => format!("/party/activities/{id}"),
                None => format!("/party/branches/{}/activities", d.b.id),
            },
            branch_id: d.b.id,
            branch_name: d.b.name.clone(),
            activity_id: activity,
            conflicts: Vec::new(),
            restored: false,
            photo_error: None,
            upload_max_mib,
            ctx,
            form,
            errors,
        }
    }

    pub fn row_error(&self, id: &i32) -> String {
        self.errors
            .rows
            .get(id)
            .map(|k| self.ctx.t(k))
            .unwrap_or_default()
    }

    /// Whether member `id`'s radio `code` is the one chosen (blank: not expected).
    pub fn checked(&self, id: &i32, code: &str) -> bool {
        let att = self.form.attendance(id);
        att == code || (att.is_empty() && code == "none")
    }

    /// The radios of a member's row: the activity's vocabulary, then "not expected".
    pub fn attendance_codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Attendance::ACTIVITY.iter().map(|a| a.code()).collect();
        codes.push("none");
        codes
    }
}

/// An activity's page.
#[derive(Template)]
#[template(path = "party/activities/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub a: Activity,
    pub branch_id: i32,
    pub branch_name: String,
    pub attendance: Vec<AttendanceRow>,
    pub grids: Vec<UnitName>,
    pub issues: Vec<IssueLink>,
    pub photos: Vec<i32>,
    /// The pairing visited: id and "member → household".
    pub pairing: Option<(i32, String)>,
    pub may_edit: bool,
}

impl ShowPage {
    /// 党建 › the branch.
    pub fn crumbs(&self) -> Vec<Crumb> {
        crate::party::branches::pages::crumbs(&self.ctx, Some((self.branch_id, &self.branch_name)))
    }

    pub fn counts(&self) -> String {
        self.ctx.ta(
            "party.activity.counts",
            &[
                ("present", self.a.present.to_string()),
                ("expected", self.a.expected.to_string()),
            ],
        )
    }
}

/// A row of the activity list.
pub struct ActivityRow {
    pub id: i32,
    pub day: String,
    pub time: String,
    pub branch_id: i32,
    pub branch: String,
    pub kind: String,
    pub title: String,
    pub place: String,
    pub host: String,
    pub attendance: String,
    pub photos: i32,
}

impl ActivityRow {
    /// A list row as shown (the list, a branch's page, a pairing's visits).
    pub fn of(ctx: &Ctx, r: &ListRow) -> ActivityRow {
        let a = &r.activity;
        ActivityRow {
            id: a.id,
            day: ctx.date(&a.day),
            time: if a.start_time.is_empty() {
                String::new()
            } else {
                format!("{}-{}", a.start_time, a.end_time)
            },
            branch_id: a.branch_id,
            branch: r.branch.clone(),
            kind: ctx.t(format!("party.activity_kind.{}", a.kind)),
            title: a.title.clone(),
            place: a.place.clone(),
            host: a.host.clone(),
            attendance: if a.expected > 0 {
                format!("{}/{}", a.present, a.expected)
            } else {
                String::new()
            },
            photos: a.photos,
        }
    }
}

/// The activity list in scope.
#[derive(Template)]
#[template(path = "party/activities/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub branches: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<ActivityRow>,
    pub pager: Pager,
}

/// A form as the lines a person compares (the 409 table) and the audit log keeps.
pub fn labelled(ctx: &Ctx, f: &ActivityForm, d: &FormData) -> Vec<(&'static str, String)> {
    let names: HashMap<i32, &str> = d.members.iter().map(|m| (m.id, m.name.as_str())).collect();
    let attendance = f
        .att
        .iter()
        .filter(|(_, a)| !a.attendance.trim().is_empty() && a.attendance.trim() != "none")
        .map(|(id, a)| {
            let code = a.attendance.trim();
            let mut s = format!(
                "{} {}",
                names.get(id).copied().unwrap_or_default(),
                label(ctx, "party.att.", code)
            );
            if needs_reason(code) && !a.reason.trim().is_empty() {
                s.push_str(&format!(" ({})", a.reason.trim()));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ");
    let time = if f.start_time.trim().is_empty() {
        String::new()
    } else {
        format!("{}-{}", f.start_time.trim(), f.end_time.trim())
    };
    let visited = match f.visited_member_id.trim().parse::<i32>() {
        Ok(id) => names.get(&id).copied().unwrap_or_default().to_string(),
        Err(_) => f.visited.trim().to_string(),
    };
    let pairing = f
        .pairing_id
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|id| d.pairings.iter().find(|p| p.id == id))
        .map(|p| p.label.clone())
        .unwrap_or_default();
    let grids = d
        .grids
        .iter()
        .filter(|g| f.has_grid(&g.id))
        .map(|g| g.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        (
            "party.activity.kind",
            label(ctx, "party.activity_kind.", f.kind.trim()),
        ),
        ("party.activity.title", f.title.trim().to_string()),
        ("party.activity.day", f.day.trim().to_string()),
        ("party.activity.time", time),
        ("party.activity.place", f.place.trim().to_string()),
        ("party.activity.host", f.host.trim().to_string()),
        ("party.activity.recorder", f.recorder.trim().to_string()),
        ("party.activity.attendance", attendance),
        ("party.activity.visited", visited),
        ("party.activity.given", f.given.trim().to_string()),
        ("party.activity.pairing", pairing),
        ("party.activity.grids", grids),
        ("party.activity.issues", f.issue_numbers().join(", ")),
        ("party.activity.content", f.content.trim().to_string()),
        ("party.activity.outcomes", f.outcomes.trim().to_string()),
    ]
}

/// The export's column headers.
pub const EXPORT_HEADERS: [&str; 16] = [
    "party.activity.day",
    "party.activity.time",
    "party.branch",
    "party.activity.kind",
    "party.activity.title",
    "party.activity.place",
    "party.activity.host",
    "party.activity.recorder",
    "party.activity.expected",
    "party.activity.present",
    "party.activity.visited",
    "party.difficulty_label",
    "party.activity.given",
    "party.activity.content",
    "party.activity.outcomes",
    "party.activity.photos",
];

/// The export's rows: the list's columns and the record's details.
pub fn export_rows(ctx: &Ctx, rows: &[ListRow]) -> Vec<Vec<String>> {
    let difficulty: HashMap<&str, String> = DIFFICULTY
        .iter()
        .filter(|d| !d.is_empty())
        .map(|d| (*d, ctx.t(format!("party.difficulty.{d}"))))
        .collect();
    rows.iter()
        .map(|r| {
            let v = ActivityRow::of(ctx, r);
            let a = &r.activity;
            vec![
                v.day,
                v.time,
                v.branch,
                v.kind,
                v.title,
                v.place,
                v.host,
                a.recorder.clone(),
                a.expected.to_string(),
                a.present.to_string(),
                a.visited.clone(),
                difficulty
                    .get(a.difficulty.as_str())
                    .cloned()
                    .unwrap_or_default(),
                a.given.clone(),
                a.content.clone(),
                a.outcomes.clone(),
                a.photos.to_string(),
            ]
        })
        .collect()
}

crate::stale_page!(FormPage);
