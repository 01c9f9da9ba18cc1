//! The sheet's pure rules: how a grid is named on a unit's sheet, and the page-number margin
//! box's CSS `content` built from the locale's words.

/// A grid's name without the meeting unit's in front ("工人路社区第4网格" on 工人路社区's sheet is
/// "第4网格"): the title already names the unit, and the column is narrow.
pub fn grid_name(grid: &str, unit: &str) -> String {
    match grid.strip_prefix(unit) {
        Some(rest) if !rest.is_empty() && !unit.is_empty() => rest.to_string(),
        _ => grid.to_string(),
    }
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
pub fn page_counter(text_with_marks: &str) -> String {
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
