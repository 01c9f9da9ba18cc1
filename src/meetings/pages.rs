//! Templates of the meeting pages and the view rows they show.

use askama::Template;
use chrono::NaiveDate;

use super::forms::{AddForm, DecisionForm, NewForm, RecordErrors, RecordForm, TopicIssueForm};
use super::models::{Item, Meeting, Person};
use crate::issues::pages::CategoryGroup;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, ConflictRow, FormErrors};
use crate::web::pagination::Pager;

/// "林山寨社区 周例会 2026-11-30": how pages, the timeline and the sheet name a meeting.
pub fn meeting_name(ctx: &Ctx, unit: &str, kind: &str, day: &NaiveDate) -> String {
    format!(
        "{unit} {} {}",
        ctx.t(format!("meetings.kind.{kind}")),
        ctx.date(day)
    )
}

/// Absent and on-leave attendees with their reasons, as one line of a title block.
pub fn absent_line(ctx: &Ctx, people: &[Person]) -> String {
    let parts: Vec<String> = people
        .iter()
        .filter(|p| super::domain::needs_reason(&p.attendance))
        .map(|p| attendee_line(ctx, p))
        .collect();
    if parts.is_empty() {
        ctx.t("meetings.none")
    } else {
        parts.join(&ctx.t("meetings.list_sep"))
    }
}

/// "王敏（请假：病假）": a name with its attendance and reason.
pub fn attendee_line(ctx: &Ctx, p: &Person) -> String {
    attendance_line(ctx, &p.name, &p.attendance, &p.reason)
}

pub fn attendance_line(ctx: &Ctx, name: &str, attendance: &str, reason: &str) -> String {
    let att = ctx.t(format!("meetings.att.{attendance}"));
    if reason.trim().is_empty() {
        ctx.ta(
            "meetings.attendee",
            &[("name", name.to_string()), ("att", att)],
        )
    } else {
        ctx.ta(
            "meetings.attendee_reason",
            &[
                ("name", name.to_string()),
                ("att", att),
                ("reason", reason.trim().to_string()),
            ],
        )
    }
}

/// The new-meeting form (two steps without JavaScript: choose the unit, then the rest).
#[derive(Template)]
#[template(path = "meetings/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    pub form: NewForm,
    pub errors: FormErrors,
    pub kinds: Vec<Choice>,
    pub units: Vec<Choice>,
    /// The chosen unit's staff: id, name, unit.
    pub staff: Vec<(i32, String, String)>,
    /// Names for the chair and recorder fields' suggestions.
    pub names: Vec<String>,
}

/// One agenda line as shown.
pub struct ItemView {
    pub item: Item,
    pub number: usize,
    pub issue_number: String,
    pub issue_state: String,
    pub grid: String,
    pub reasons: Vec<&'static str>,
    /// The issue's handling deadline has passed.
    pub overdue: bool,
    /// The decision's deadline has passed and the issue is still open.
    pub decision_overdue: bool,
}

/// A meeting's page: title block, attendance, agenda with decisions, minutes, corrections.
#[derive(Template)]
#[template(path = "meetings/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    pub unit_name: String,
    pub people: Vec<Person>,
    pub items: Vec<ItemView>,
    pub removed: Vec<ItemView>,
    pub corrections: Vec<CorrectionView>,
    pub may_record: bool,
    /// "held" or "final": the next state offered, if any.
    pub next_state: String,
    pub add: AddForm,
    pub add_errors: FormErrors,
    /// Lines the drafting left out (more than the agenda holds).
    pub left_out: usize,
}

impl ShowPage {
    /// "王敏（请假：病假）；…" — the title block's absentees, or "none".
    pub fn absent_text(&self) -> String {
        absent_line(&self.ctx, &self.people)
    }

    pub fn is_draft(&self) -> bool {
        self.m.state == "draft"
    }

    pub fn is_final(&self) -> bool {
        self.m.state == "final"
    }

    pub fn agenda_counts(&self) -> String {
        self.ctx.ta(
            "meetings.agenda_counts",
            &[
                ("n", self.items.len().to_string()),
                ("d", self.m.decided.to_string()),
            ],
        )
    }
}

/// A correction as shown: who, when, why, and the changed lines.
pub struct CorrectionView {
    pub who: String,
    pub when: String,
    pub reason: String,
    pub changes: Vec<(String, String, String)>,
}

/// The meeting's record: times, place, chair, recorder, attendance, minutes.
#[derive(Template)]
#[template(path = "meetings/record.html")]
pub struct RecordPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    pub form: RecordForm,
    pub errors: RecordErrors,
    pub people: Vec<Person>,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub correcting: bool,
    pub names: Vec<String>,
}

impl RecordPage {
    pub fn person_error(&self, id: &i32) -> String {
        self.errors
            .people
            .get(id)
            .map(|k| self.ctx.t(k))
            .unwrap_or_default()
    }

    /// Whether attendee `id`'s radio `code` is the one chosen (unset: expected).
    pub fn checked(&self, id: &i32, code: &str) -> bool {
        let att = self.form.attendance(id);
        att == code || (att.is_empty() && code == "expected")
    }

    pub fn attendance_codes(&self) -> Vec<&'static str> {
        super::domain::ATTENDANCE.to_vec()
    }
}

/// An agenda item: the issue, the discussion and the decision (and, for a free topic, turning
/// it into an issue).
#[derive(Template)]
#[template(path = "meetings/item.html")]
pub struct ItemPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    pub view: ItemView,
    pub form: DecisionForm,
    pub errors: FormErrors,
    pub conflicts: Vec<ConflictRow>,
    pub restored: bool,
    pub correcting: bool,
    pub may_record: bool,
    pub target_users: Vec<Choice>,
    pub target_units: Vec<Choice>,
    /// A free topic becoming an issue.
    pub topic: TopicIssueForm,
    pub topic_errors: FormErrors,
    pub categories: Vec<CategoryGroup>,
    pub grids: Vec<Choice>,
}

/// The meeting list.
#[derive(Template)]
#[template(path = "meetings/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: super::handlers::ListQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub rows: Vec<ListRowView>,
    pub pager: Pager,
    pub may_create: bool,
}

pub struct ListRowView {
    pub id: i32,
    pub unit: String,
    pub kind: String,
    pub state: String,
    pub day: String,
    pub start: String,
    pub place: String,
    pub chair: String,
    pub attendance: String,
    pub items: i32,
    pub decided: i32,
    pub corrections: i32,
}
