//! The printed record of a meeting as a street office files it: the weekly meeting's and the
//! supervision meeting's A4 sheet (周例会记录表, 督查会记录表), the daily huddle's compact
//! one-page form (日碰头记录表), and the same record as a workbook. Both read the meeting through
//! `handlers::load`, so the sheet shows exactly what the meeting's page shows, in the same scope.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::domain::{self, Kind};
use super::handlers::{self, Loaded};
use super::models::Meeting;
use super::pages::{CorrectionView, ItemView, absent_line};
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::xlsx::{Sheet, respond_sheets};

/// The sheet: its own page without the site's navigation, printed on A4 with page numbers.
#[derive(Template)]
#[template(path = "meetings/sheet.html")]
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
    /// Admits the page's one `<style>` block (see `web::headers::csp`).
    pub nonce: String,
    /// The CSS `content` of the page-number margin box, from the locale.
    pub page_counter: String,
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

/// A grid's name without the meeting unit's in front ("工人路社区第4网格" on 工人路社区's sheet is
/// "第4网格"): the title already names the unit, and the column is narrow.
fn grid_name(grid: &str, unit: &str) -> String {
    match grid.strip_prefix(unit) {
        Some(rest) if !rest.is_empty() && !unit.is_empty() => rest.to_string(),
        _ => grid.to_string(),
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

/// A CSS string literal: quotes, backslashes, line breaks and `<`/`>` (which could end the
/// `<style>` element) as hex escapes.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '\n' | '\r' => out.push_str(&format!("\\{:x} ", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The margin box's `content` for "第 %{page} 页 共 %{pages} 页": the locale text around the
/// placeholders as strings, the placeholders as the page counters.
fn page_counter(text_with_marks: &str) -> String {
    let mut parts = Vec::new();
    let mut piece = String::new();
    for c in text_with_marks.chars() {
        let counter = match c {
            '\u{1}' => "counter(page)",
            '\u{2}' => "counter(pages)",
            _ => {
                piece.push(c);
                continue;
            }
        };
        if !piece.is_empty() {
            parts.push(css_string(&std::mem::take(&mut piece)));
        }
        parts.push(counter.to_string());
    }
    if !piece.is_empty() {
        parts.push(css_string(&piece));
    }
    parts.join(" ")
}

fn kind_of(m: &Meeting) -> Kind {
    Kind::parse(&m.kind).unwrap_or(Kind::Weekly)
}

fn sheet_page(ctx: Ctx, state: &AppState, l: Loaded) -> SheetPage {
    let (items, _removed) = handlers::agenda_views(&l, crate::db::now(), state.today());
    let m = l.m;
    let time = match (m.start_time.as_str(), m.end_time.as_str()) {
        (s, "") => format!("{} {s}", ctx.date(&m.day)),
        (s, e) => format!("{} {s}–{e}", ctx.date(&m.day)),
    };
    let marks = ctx.ta(
        "sheet.page_of",
        &[("page", "\u{1}".into()), ("pages", "\u{2}".into())],
    );
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
        corrections: handlers::correction_views(&ctx, l.corrections),
        nonce: crate::web::csrf::random_token(),
        page_counter: page_counter(&marks),
        unit_name: l.unit_name,
        time,
        m,
        ctx,
    }
}

/// GET /meetings/{id}/sheet
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| handlers::load(conn, &u, id)).await?;
    let page = sheet_page(Ctx::build(&req, Some(user)), &state, l);
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((
            "Content-Security-Policy",
            crate::web::headers::csp(Some(&page.nonce)),
        ))
        .body(page.render()?))
}

/// GET /meetings/{id}/sheet.xlsx — the title block, the items and the attendance.
pub async fn export(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| handlers::load(conn, &u, id)).await?;
    let people = l.people.clone();
    let p = sheet_page(Ctx::build(&req, Some(user)), &state, l);
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
    respond_sheets(
        &format!("meeting-{id}.xlsx"),
        &[
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
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers_come_from_the_locale_text() {
        assert_eq!(
            page_counter("第 \u{1} 页 共 \u{2} 页"),
            r#""第 " counter(page) " 页 共 " counter(pages) " 页""#
        );
        assert_eq!(
            page_counter("Page \u{1} of \u{2}"),
            r#""Page " counter(page) " of " counter(pages)"#
        );
    }

    #[test]
    fn both_locales_build_a_page_counter() {
        use crate::web::i18n::{Lang, tr_args};
        let marks = |lang| {
            tr_args(
                lang,
                "sheet.page_of",
                &[("page", "\u{1}".into()), ("pages", "\u{2}".into())],
            )
        };
        assert_eq!(
            page_counter(&marks(Lang::ZhCn)),
            r#""第 " counter(page) " 页 共 " counter(pages) " 页""#
        );
        assert_eq!(
            page_counter(&marks(Lang::En)),
            r#""Page " counter(page) " of " counter(pages)"#
        );
    }

    #[test]
    fn grids_are_named_without_the_meetings_unit() {
        assert_eq!(grid_name("工人路社区第4网格", "工人路社区"), "第4网格");
        assert_eq!(
            grid_name("工人路社区第4网格", "林山寨街道"),
            "工人路社区第4网格"
        );
        assert_eq!(grid_name("工人路社区", "工人路社区"), "工人路社区");
        assert_eq!(grid_name("", "工人路社区"), "");
    }

    #[test]
    fn css_strings_cannot_leave_their_quotes_or_the_style_element() {
        assert_eq!(css_string(r#"a"b\c"#), r#""a\22 b\5c c""#);
        assert_eq!(css_string("</style>"), r#""\3c /style\3e ""#);
    }
}
