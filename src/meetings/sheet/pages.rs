//! The sheet's page and its rows: the record laid out as a ruled form.

use askama::Template;
use chrono::NaiveDate;

use super::domain::grid_name;
use crate::meetings::agenda::pages::{ItemView, agenda_views};
use crate::meetings::domain::{self, Kind};
use crate::meetings::models::{Loaded, Meeting};
use crate::meetings::pages::{CorrectionView, absent_line, correction_views};
use crate::meetings::record::models::Person;
use crate::web::ctx::Ctx;
use crate::web::xlsx::Sheet;

/// The sheet: its own page without the site's navigation, printed on A4 with page numbers.
#[derive(Template)]
#[template(path = "meetings/sheet/show.html")]
pub struct SheetPage {
    pub ctx: Ctx,
    pub m: Meeting,
    /// "工人路社区周例会记录表"
    pub title: String,
    pub unit_name: String,
    pub kind: String,
    /// The huddle's one-page form.
    pub compact: bool,
    pub time: String,
    pub attendance: String,
    pub absent: String,
    pub rows: Vec<SheetRow>,
    pub corrections: Vec<CorrectionView>,
}

/// One agenda line as the sheet (and its workbook) prints it.
pub struct SheetRow {
    pub number: usize,
    pub issue_number: String,
    pub title: String,
    /// Why the line is on the agenda, in words: "（遗留、超期）".
    pub reasons: String,
    pub grid: String,
    pub responsible: String,
    /// The decision, or what stands instead of one (discussed without a decision, to study).
    pub decision: String,
    pub decided: bool,
    pub deadline: String,
}

impl SheetRow {
    /// The 问题 cell as one line of text: number, title, reasons.
    pub fn problem(&self) -> String {
        [self.issue_number.as_str(), self.title.as_str()]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
            + &self.reasons
    }
}

/// The agenda's lines (removed ones are not on the sheet) as printed rows.
fn rows(ctx: &Ctx, unit: &str, items: Vec<ItemView>) -> Vec<SheetRow> {
    items
        .into_iter()
        .map(|v| {
            let mut reasons: Vec<String> = v
                .reasons
                .iter()
                .map(|r| ctx.t(format!("meetings.reason.{r}")))
                .collect();
            // Overdue by now, though not when the agenda was drafted.
            if v.overdue && !v.reasons.contains(&domain::Reason::Overdue.code()) {
                reasons.push(ctx.t("meetings.reason.overdue"));
            }
            let decision = if !v.item.solution.is_empty() {
                v.item.solution.clone()
            } else if !v.item.discussion.is_empty() {
                ctx.t("meetings.discussed_no_decision")
            } else {
                ctx.t("meetings.no_decision")
            };
            SheetRow {
                number: v.number,
                issue_number: v.issue_number,
                title: v.item.title.clone(),
                reasons: if reasons.is_empty() {
                    String::new()
                } else {
                    ctx.ta1(
                        "sheet.reasons",
                        "list",
                        reasons.join(&ctx.t("sheet.reason_sep")),
                    )
                },
                grid: grid_name(&v.grid, unit),
                responsible: v.item.resp_name.clone(),
                decided: !v.item.solution.is_empty(),
                decision,
                deadline: ctx.date_opt(&v.item.deadline),
            }
        })
        .collect()
}

fn kind_of(m: &Meeting) -> Kind {
    Kind::parse(&m.kind).unwrap_or(Kind::Weekly)
}

impl SheetPage {
    /// The sheet of the meeting `l` as its page shows it today.
    pub fn new(ctx: Ctx, l: Loaded, today: NaiveDate) -> SheetPage {
        let (items, _removed) = agenda_views(&l, crate::db::now(), today);
        let m = l.m;
        let time = match (m.start_time.as_str(), m.end_time.as_str()) {
            (s, "") => format!("{} {s}", ctx.date(&m.day)),
            (s, e) => format!("{} {s}–{e}", ctx.date(&m.day)),
        };
        SheetPage {
            title: ctx.ta1(&format!("sheet.title.{}", m.kind), "unit", &l.unit_name),
            kind: ctx.t(format!("meetings.kind.{}", m.kind)),
            compact: kind_of(&m) == Kind::Huddle,
            attendance: ctx.ta(
                "sheet.attendance_value",
                &[
                    ("expected", m.expected.to_string()),
                    ("present", m.present.to_string()),
                ],
            ),
            absent: absent_line(&ctx, &l.people),
            rows: rows(&ctx, &l.unit_name, items),
            corrections: correction_views(&ctx, l.corrections),
            unit_name: l.unit_name,
            time,
            m,
            ctx,
        }
    }
}

impl SheetPage {
    /// The same record as a workbook: the title block, the items and the attendance.
    pub fn workbook(&self, people: &[Person]) -> Vec<Sheet> {
        let p = self;
        let ctx = &p.ctx;
        let pair = |key: &str, value: &str| vec![ctx.t(key), value.to_string()];
        let corrections: Vec<String> = p
            .corrections
            .iter()
            .map(|c| {
                ctx.ta(
                    "sheet.correction_item",
                    &[
                        ("when", c.when.clone()),
                        ("who", c.who.clone()),
                        ("reason", c.reason.clone()),
                    ],
                )
            })
            .collect();
        let record = vec![
            pair("sheet.title_label", &p.title),
            pair("meetings.unit", &p.unit_name),
            pair("meetings.kind_label", &p.kind),
            pair("meetings.time", &p.time),
            pair("meetings.place", &p.m.place),
            pair("meetings.chair", &p.m.chair),
            pair("meetings.recorder", &p.m.recorder),
            pair("sheet.expected", &p.m.expected.to_string()),
            pair("sheet.present", &p.m.present.to_string()),
            pair("sheet.absent_label", &p.absent),
            pair(
                "meetings.state_label",
                &ctx.t(format!("meetings.state.{}", p.m.state)),
            ),
            pair("meetings.minutes", &p.m.minutes),
            pair("meetings.corrections", &corrections.join("\n")),
        ];
        let items = p
            .rows
            .iter()
            .map(|r| {
                vec![
                    r.number.to_string(),
                    r.problem(),
                    r.grid.clone(),
                    r.responsible.clone(),
                    r.decision.clone(),
                    r.deadline.clone(),
                ]
            })
            .collect();
        let attendance = people
            .iter()
            .map(|x| {
                vec![
                    x.name.clone(),
                    x.unit.clone(),
                    ctx.t(format!("meetings.att.{}", x.attendance)),
                    x.reason.clone(),
                ]
            })
            .collect();
        let headers = |keys: &[&str]| keys.iter().map(|k| ctx.t(k)).collect::<Vec<_>>();
        vec![
            Sheet {
                name: ctx.t("sheet.xlsx_record"),
                headers: headers(&["sheet.field", "sheet.value"]),
                rows: record,
            },
            Sheet {
                name: ctx.t("sheet.xlsx_items"),
                headers: headers(&[
                    "meetings.no",
                    "meetings.problem",
                    "meetings.grid",
                    "sheet.responsible",
                    "meetings.decision",
                    "meetings.deadline",
                ]),
                rows: items,
            },
            Sheet {
                name: ctx.t("sheet.xlsx_people"),
                headers: headers(&[
                    "meetings.person",
                    "meetings.person_unit",
                    "meetings.attendance",
                    "meetings.absence_reason",
                ]),
                rows: attendance,
            },
        ]
    }
}
