//! The import's pages: the upload form, the preview (every row, the messages beside its cells)
//! and result, the history of batches.

use askama::Template;

use super::domain::{COLUMNS, ID_NUMBER, PHONE, Row};
use super::models::{Batch, Line};
use crate::register::domain::mask_id;
use crate::web::ctx::Ctx;
use crate::web::privacy::mask_phone;

#[derive(Template)]
#[template(path = "register/import/new.html")]
pub struct NewPage {
    pub ctx: Ctx,
    /// Why the file was refused, in the user's language.
    pub error: Option<String>,
}

pub struct CellView {
    pub value: String,
    pub errors: Vec<String>,
}

pub struct RowView {
    pub line: u32,
    pub ok: bool,
    pub cells: Vec<CellView>,
}

impl RowView {
    /// A row as shown: the ID number and phone masked unless `full`, each message translated.
    pub fn of(ctx: &Ctx, r: &Row, full: bool) -> RowView {
        let cells = (0..COLUMNS.len())
            .map(|c| {
                let raw = r.cell(c);
                let value = match c {
                    ID_NUMBER if !full => mask_id(raw),
                    PHONE if !full => mask_phone(raw),
                    _ => raw.to_string(),
                };
                let errors = r
                    .errors_at(c)
                    .map(|e| {
                        let args = [("arg", e.arg.clone()), ("max", e.arg.clone())];
                        ctx.ta(&e.key, &args)
                    })
                    .collect();
                CellView { value, errors }
            })
            .collect();
        RowView {
            line: r.line,
            ok: r.ok(),
            cells,
        }
    }
}

#[derive(Template)]
#[template(path = "register/import/show.html")]
pub struct ShowPage {
    pub ctx: Ctx,
    pub b: Batch,
    pub headers: Vec<String>,
    pub rows: Vec<RowView>,
    pub correct: usize,
    pub wrong: usize,
    pub committed: bool,
    pub may_commit: bool,
    /// All or nothing was chosen while rows are wrong: nothing was written.
    pub refused: bool,
}

impl ShowPage {
    pub fn new(ctx: Ctx, b: Batch, rows: &[Row], full: bool, may_commit: bool) -> ShowPage {
        let views: Vec<RowView> = rows.iter().map(|r| RowView::of(&ctx, r, full)).collect();
        let correct = views.iter().filter(|r| r.ok).count();
        ShowPage {
            headers: COLUMNS
                .iter()
                .map(|c| ctx.t(format!("regimport.col.{c}")))
                .collect(),
            wrong: views.len() - correct,
            correct,
            rows: views,
            committed: b.state == "committed",
            may_commit,
            refused: false,
            b,
            ctx,
        }
    }
}

#[derive(Template)]
#[template(path = "register/import/list.html")]
pub struct ListPage {
    pub ctx: Ctx,
    pub lines: Vec<Line>,
    pub may_import: bool,
}
