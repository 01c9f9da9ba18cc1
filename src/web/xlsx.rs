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
    let bytes =
        build(sheet, &headers, rows).map_err(|e| AppError::Internal(format!("xlsx: {e}")))?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes))
}

fn build(
    sheet: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &bold)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofit();
    wb.save_to_buffer()
}
