//! Reading an uploaded workbook (calamine) into lines of text, and writing the blank template
//! (rust_xlsxwriter). A file that is no .xlsx, a corrupt or empty one, or one over the row limit
//! is a message, never a panic.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use super::domain::{COLUMNS, MAX_ROWS, REQUIRED};

/// A line of the first sheet: its Excel row number and its cells as text.
pub type Line = (u32, Vec<String>);

/// A cell as text: numbers without a trailing ".0" (an ID number typed as a number keeps its
/// digits as far as Excel kept them), dates as Excel shows them.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e17 => format!("{f:.0}"),
        other => other.to_string(),
    }
}

/// The non-empty lines of the workbook's first sheet, or the locale key of why it cannot be read.
pub fn read(bytes: &[u8]) -> Result<Vec<Line>, &'static str> {
    let read = std::panic::catch_unwind(|| -> Result<Vec<Line>, &'static str> {
        let mut wb: Xlsx<_> =
            open_workbook_from_rs(Cursor::new(bytes)).map_err(|_| "regimport.file.not_xlsx")?;
        let range = wb
            .worksheet_range_at(0)
            .ok_or("regimport.file.empty")?
            .map_err(|_| "regimport.file.not_xlsx")?;
        let (top, _) = range.start().unwrap_or((0, 0));
        let mut lines = Vec::new();
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if lines.len() > MAX_ROWS {
                return Err("regimport.file.too_many");
            }
            lines.push((top + i as u32 + 1, cells));
        }
        if lines.len() < 2 {
            return Err("regimport.file.empty");
        }
        Ok(lines)
    });
    read.unwrap_or(Err("regimport.file.not_xlsx"))
}

/// The blank template: the data sheet with its headers (required ones marked *), the ID number
/// and phone columns as text, the header frozen; and a sheet of instructions, one line a column.
/// `t` translates a locale key.
pub fn template(t: impl Fn(&str) -> String) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let as_text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet();
    ws.set_name(t("regimport.sheet.data"))?;
    for (c, col) in COLUMNS.iter().enumerate() {
        let mark = if REQUIRED.contains(&c) { "*" } else { "" };
        ws.write_string_with_format(
            0,
            c as u16,
            format!("{}{mark}", t(&format!("regimport.col.{col}"))),
            &bold,
        )?;
        ws.set_column_width(c as u16, 14)?;
        if matches!(*col, "id_number" | "phone") {
            ws.set_column_format(c as u16, &as_text)?;
            ws.set_column_width(c as u16, 22)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    let help = wb.add_worksheet();
    help.set_name(t("regimport.sheet.help"))?;
    help.write_string_with_format(0, 0, t("regimport.help.column"), &bold)?;
    help.write_string_with_format(0, 1, t("regimport.help.how"), &bold)?;
    help.set_column_width(0, 16)?;
    help.set_column_width(1, 80)?;
    for (i, col) in COLUMNS.iter().enumerate() {
        help.write_string(i as u32 + 1, 0, t(&format!("regimport.col.{col}")))?;
        help.write_string(i as u32 + 1, 1, t(&format!("regimport.help.{col}")))?;
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_reads_back_as_its_headers_and_nothing_else() {
        let bytes = template(|k| k.rsplit('.').next().unwrap_or(k).to_string()).unwrap();
        // Headers only: an empty upload.
        assert_eq!(read(&bytes), Err("regimport.file.empty"));
    }

    #[test]
    fn junk_and_truncated_files_are_a_message_not_a_panic() {
        assert_eq!(read(b"name,id\n1,2\n"), Err("regimport.file.not_xlsx"));
        assert_eq!(read(&[]), Err("regimport.file.not_xlsx"));
        let bytes = template(|k| k.to_string()).unwrap();
        for cut in [10, bytes.len() / 2, bytes.len() - 10] {
            assert!(read(&bytes[..cut]).is_err());
        }
    }

    #[test]
    fn cells_read_as_text() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(0, 1, "房号").unwrap();
        ws.write_string(1, 0, " 王五 ").unwrap();
        ws.write_number(1, 1, 301.0).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let lines = read(&bytes).unwrap();
        assert_eq!(lines[1], (2, vec!["王五".to_string(), "301".to_string()]));
    }
}
