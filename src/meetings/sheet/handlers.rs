//! The sheet's handlers: the printed record (its own page, with a per-response CSP nonce for its
//! one `<style>` block) and the same record as a workbook of three sheets.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::pages::SheetPage;
use crate::auth::CurrentUser;
use crate::db;
use crate::error::AppResult;
use crate::meetings::models;
use crate::web::AppState;
use crate::web::ctx::Ctx;
use crate::web::xlsx::{Sheet, respond_sheets};

/// GET /meetings/{id}/sheet
pub async fn show(
    req: HttpRequest,
    user: CurrentUser,
    state: web::Data<AppState>,
    path: web::Path<i32>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let u = user.clone();
    let l = db::run(&state.pool, move |conn| models::load(conn, &u, id)).await?;
    let page = SheetPage::new(Ctx::build(&req, Some(user)), l, state.today());
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
    let l = db::run(&state.pool, move |conn| models::load(conn, &u, id)).await?;
    let people = l.people.clone();
    let p = SheetPage::new(Ctx::build(&req, Some(user)), l, state.today());
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
