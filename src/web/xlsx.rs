//! Excel export: every list offers `.xlsx` with its filters applied and the user's data scope
//! respected (the rows come from the same scoped query as the page).

use actix_web::HttpResponse;
use rust_xlsxwriter::{Format, Workbook};

use super::ctx::Ctx;
use crate::error::{AppError, AppResult};

/// One sheet: a bold header row (the locale keys `header_keys` in the user's language), then the
/// rows, columns sized to fit. `filename` is ASCII.
pub fn respond(
    ctx: &Ctx,
    filename: &str,
    sheet: &str,
    header_keys: &[&str],
    rows: &[Vec<String>],
) -> AppResult<HttpResponse> {
    let headers: Vec<String> = header_keys.iter().map(|k| ctx.t(k)).collect();
    respond_sheets(
        filename,
        &[Sheet {
            name: sheet.to_string(),
            headers,
            rows: rows.to_vec(),
        }],
    )
}

/// One sheet of a workbook with translated headers.
pub struct Sheet {
    pub name: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A workbook of several sheets (a summary with its breakdowns).
pub fn respond_sheets(filename: &str, sheets: &[Sheet]) -> AppResult<HttpResponse> {
    let bytes = build(sheets).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes))
}

fn build(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    for sheet in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, h) in sheet.headers.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        ws.autofit();
    }
    wb.save_to_buffer()
}
