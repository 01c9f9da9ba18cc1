//! A meeting's pages — the list, the new-meeting form, the meeting's page — with the view rows
//! they show and how a meeting, an attendee and a correction are worded (the sheet and the
//! record form word them the same way).

use std::collections::HashMap;

use askama::Template;
use chrono::NaiveDate;

use super::agenda::forms::AddForm;
use super::agenda::pages::{ItemView, agenda_views};
use super::domain::{self, KINDS, State};
use super::forms::{ListQuery, NewForm};
use super::models::{Correction, ListRow, Loaded, Meeting};
use super::record::models::{Person, Staff};
use crate::auth::CurrentUser;
use crate::web::crumbs::Crumb;
use crate::web::ctx::Ctx;
use crate::web::forms::{Choice, FormErrors};
use crate::web::list::Column;
use crate::web::pagination::Pager;

/// "林山寨社区 周例会 2026-11-30": how pages, the timeline and the sheet name a meeting.
pub fn meeting_name(ctx: &Ctx, unit: &str, kind: &str, day: &NaiveDate) -> String {
    format!(
        "{unit} {} {}",
        ctx.t(format!("meetings.kind.{kind}")),
        ctx.date(day)
    )
}

/// The meeting's name as stored in another record's text (an issue's timeline, the audit
/// log): the kind as a marker, so each reader sees it in their own language.
pub fn meeting_ref(unit: &str, kind: &str, day: &NaiveDate) -> String {
    format!(
        "{unit} {} {day}",
        crate::web::i18n::mark(&format!("meetings.kind.{kind}"))
    )
}

/// Absent and on-leave attendees with their reasons, as one line of a title block.
pub fn absent_line(ctx: &Ctx, people: &[Person]) -> String {
    let parts: Vec<String> = people
        .iter()
        .filter(|p| crate::attendance::needs_reason(&p.attendance))
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
    /// The chosen unit's staff.
    pub staff: Vec<Staff>,
    /// The chair's and recorder's choices: the unit's staff by name.
    pub names: Vec<String>,
}

/// The meeting states as choices.
pub fn state_choices(ctx: &Ctx) -> Vec<Choice> {
    [State::Draft, State::Held, State::Final]
        .iter()
        .map(|s| Choice::new(s.code(), ctx.t(format!("meetings.state.{}", s.code()))))
        .collect()
}

/// The meeting kinds as choices.
pub fn kind_choices(ctx: &Ctx) -> Vec<Choice> {
    KINDS
        .iter()
        .map(|k| Choice::new(k.code(), ctx.t(format!("meetings.kind.{}", k.code()))))
        .collect()
}

impl NewPage {
    /// `units`: the units the user holds meetings for; `staff`: the chosen unit's.
    pub fn new(
        ctx: Ctx,
        form: NewForm,
        errors: FormErrors,
        units: Vec<crate::org::models::UnitOption>,
        staff: Vec<Staff>,
    ) -> NewPage {
        let mut names: Vec<String> = staff.iter().map(|s| s.name.clone()).collect();
        names.dedup();
        let names = crate::web::forms::names_with(names, &[&form.chair, &form.recorder]);
        NewPage {
            kinds: kind_choices(&ctx),
            units: units
                .iter()
                .map(crate::org::models::UnitOption::choice)
                .collect(),
            staff,
            names,
            ctx,
            form,
            errors,
        }
    }
}

/// A meeting's page: title block, attendance, agenda with decisions, minutes, corrections.
#[derive(Template)]
#[template(path = "meetings/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub m: Meeting,
    pub name: String,
    /// Street › community: the meeting's unit last.
    pub crumbs: Vec<Crumb>,
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
    /// The meeting's page, also re-rendered with the add-a-line form's errors.
    pub fn new(
        ctx: Ctx,
        user: &CurrentUser,
        l: Loaded,
        (mut add, add_errors): (AddForm, FormErrors),
        left_out: usize,
        today: NaiveDate,
    ) -> ShowPage {
        let (items, removed) = agenda_views(&l, crate::db::now(), today);
        let corrections = correction_views(&ctx, l.corrections);
        add.version = l.m.version.to_string();
        if add.form_token.is_empty() {
            add.form_token = crate::web::csrf::random_token();
        }
        let next = l.m.state().next();
        ShowPage {
            name: meeting_name(&ctx, &l.unit_name, &l.m.kind, &l.m.day),
            unit_name: l.unit_name,
            crumbs: l.crumbs,
            people: l.people,
            items,
            removed,
            corrections,
            may_record: domain::may_record(user, &l.m.scope_path),
            next_state: next.map(|s| s.code().to_string()).unwrap_or_default(),
            m: l.m,
            add,
            add_errors,
            left_out,
            ctx,
        }
    }

    /// "王敏（请假：病假）；…" — the title block's absentees, or "none".
    pub fn absent_text(&self) -> String {
        absent_line(&self.ctx, &self.people)
    }

    /// The chair is an attendee marked absent or on leave (a warning beside the name).
    pub fn chair_absent(&self) -> bool {
        let people = self.people.iter();
        super::domain::chair_absent(
            &self.m.chair,
            people.map(|p| (p.name.as_str(), p.attendance.as_str())),
        )
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
    pub changes: Vec<ChangeView>,
}

/// One changed line of a correction: its label (in the reader's language), before and after.
pub struct ChangeView {
    pub label: String,
    pub before: String,
    pub after: String,
}

pub fn correction_views(ctx: &Ctx, rows: Vec<Correction>) -> Vec<CorrectionView> {
    rows.into_iter()
        .map(|c| CorrectionView {
            who: c.who.unwrap_or_default(),
            when: ctx.dt(&c.at),
            changes: serde_json::from_str::<Vec<(String, String, String)>>(&c.changes)
                .unwrap_or_default()
                .into_iter()
                .map(|(label, before, after)| ChangeView {
                    label: ctx.t(label),
                    before,
                    after,
                })
                .collect(),
            reason: c.reason,
        })
        .collect()
}

/// The meeting list.
#[derive(Template)]
#[template(path = "meetings/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub q: ListQuery,
    pub errors: FormErrors,
    pub units: Vec<Choice>,
    pub tabs: Vec<KindTab>,
    pub states: Vec<Choice>,
    pub rows: Vec<ListRowView>,
    pub pager: Pager,
    pub may_create: bool,
}

/// A kind tab above the list (全部 / 周例会 / 日碰头 / 督查会), linking with the other filters kept.
pub struct KindTab {
    pub href: String,
    pub label: String,
    pub active: bool,
}

/// The kind tabs of the list at query `q` (its kind already defaulted).
pub fn kind_tabs(ctx: &Ctx, q: &ListQuery) -> Vec<KindTab> {
    let all = KindTab {
        href: q.kind_href("all"),
        label: ctx.t("form.all"),
        active: domain::Kind::parse(&q.kind).is_none(),
    };
    let kinds = KINDS.iter().map(|k| KindTab {
        href: q.kind_href(k.code()),
        label: ctx.t(format!("meetings.kind.{}", k.code())),
        active: q.kind == k.code(),
    });
    std::iter::once(all).chain(kinds).collect()
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

impl ListRowView {
    /// `units`: unit names by id.
    pub fn new(ctx: &Ctx, r: &ListRow, units: &HashMap<i32, String>) -> ListRowView {
        ListRowView {
            id: r.id,
            unit: units.get(&r.unit_id).cloned().unwrap_or_default(),
            kind: ctx.t(format!("meetings.kind.{}", r.kind)),
            state: r.state.clone(),
            day: ctx.date(&r.day),
            start: r.start_time.clone(),
            place: r.place.clone(),
            chair: r.chair.clone(),
            attendance: format!("{}/{}", r.present, r.expected),
            items: r.items,
            decided: r.decided,
            corrections: r.corrections,
        }
    }
}

/// The list's export: the page's row views under these columns.
pub const EXPORT_COLUMNS: &[Column<ListRowView>] = &[
    Column {
        header: "meetings.day",
        cell: |_, r| r.day.clone(),
    },
    Column {
        header: "meetings.start_time",
        cell: |_, r| r.start.clone(),
    },
    Column {
        header: "meetings.unit",
        cell: |_, r| r.unit.clone(),
    },
    Column {
        header: "meetings.kind_label",
        cell: |_, r| r.kind.clone(),
    },
    Column {
        header: "meetings.state_label",
        cell: |ctx, r| ctx.t(format!("meetings.state.{}", r.state)),
    },
    Column {
        header: "meetings.place",
        cell: |_, r| r.place.clone(),
    },
    Column {
        header: "meetings.chair",
        cell: |_, r| r.chair.clone(),
    },
    Column {
        header: "meetings.attendance",
        cell: |_, r| r.attendance.clone(),
    },
    Column {
        header: "meetings.items",
        cell: |_, r| r.items.to_string(),
    },
    Column {
        header: "meetings.decided",
        cell: |_, r| r.decided.to_string(),
    },
    Column {
        header: "meetings.corrections",
        cell: |_, r| r.corrections.to_string(),
    },
];
