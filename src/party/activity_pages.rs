//! Templates of the activity and pairing pages and the rows they show.

use askama::Template;

use super::activity_forms::{ATTENDANCE, ActivityErrors, ActivityForm};
use super::activity_models::{Activity, IssueLink};
use super::pairing_data::{EndForm, PairingForm, PairingRow};
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;

/// The activity form (new and edit).
#[derive(Template)]
#[template(path = "party/activity_form.html")]
pub struct ActivityFormPage {
    pub ctx: Ctx,
    pub form: ActivityForm,
    pub errors: ActivityErrors,
    pub kinds: Vec<Choice>,
    /// Active members: one attendance row each.
    pub members: Vec<(i32, String)>,
    /// Members who can be visited (label with their difficulty).
    pub visit_members: Vec<Choice>,
    pub difficulties: Vec<Choice>,
    pub pairings: Vec<Choice>,
    pub grids: Vec<(i32, String)>,
    pub action: String,
    pub branch_id: i32,
    pub branch_name: String,
    pub activity_id: Option<i32>,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub photo_error: Option<String>,
    pub upload_max_mib: usize,
}

impl ActivityFormPage {
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

    pub fn attendance_codes(&self) -> Vec<&'static str> {
        ATTENDANCE.to_vec()
    }
}

/// An attendance row as shown.
pub struct AttendanceView {
    pub member_id: i32,
    pub name: String,
    pub attendance: String,
    pub reason: String,
}

/// An activity's page.
#[derive(Template)]
#[template(path = "party/activity.html")]
pub struct ActivityPage {
    pub ctx: Ctx,
    pub a: Activity,
    pub branch_id: i32,
    pub branch_name: String,
    pub attendance: Vec<AttendanceView>,
    pub grids: Vec<(i32, String)>,
    pub issues: Vec<IssueLink>,
    pub photos: Vec<i32>,
    /// The pairing visited: id and "member → household".
    pub pairing: Option<(i32, String)>,
    pub may_edit: bool,
}

impl ActivityPage {
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

/// The activity list in scope.
#[derive(Template)]
#[template(path = "party/activities.html")]
pub struct ActivitiesPage {
    pub ctx: Ctx,
    pub q: super::activities::ListQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub branches: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<ActivityRow>,
    pub pager: Pager,
}

/// A branch's pairings.
#[derive(Template)]
#[template(path = "party/pairings.html")]
pub struct PairingsPage {
    pub ctx: Ctx,
    pub branch_id: i32,
    pub branch_name: String,
    pub rows: Vec<(PairingRow, String, i64)>,
    pub may_edit: bool,
}

/// The pairing form (new and edit).
#[derive(Template)]
#[template(path = "party/pairing_form.html")]
pub struct PairingFormPage {
    pub ctx: Ctx,
    pub form: PairingForm,
    pub errors: FormErrors,
    pub members: Vec<Choice>,
    pub action: String,
    /// The pairing edited; None for a new one.
    pub pairing_id: Option<i32>,
    /// A stale edit: the fields that differ (yours, saved now).
    pub conflicts: Vec<ConflictRow>,
    pub branch_id: i32,
    pub branch_name: String,
}

/// A pairing and its visits.
#[derive(Template)]
#[template(path = "party/pairing.html")]
pub struct PairingPage {
    pub ctx: Ctx,
    pub branch_id: i32,
    pub branch_name: String,
    pub p: PairingRow,
    pub member: String,
    pub visits: Vec<ActivityRow>,
    pub may_edit: bool,
    /// The end form (while the pairing lasts) as typed, with its messages.
    pub end: EndForm,
    pub end_errors: FormErrors,
    /// The end form came from a page older than the pairing (409).
    pub stale: bool,
}
