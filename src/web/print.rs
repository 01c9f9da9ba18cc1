//! The print frame's one rule that needs the reader's language: the page number in the bottom
//! margin of every printed page ("第 1 页 共 3 页"), which only an `@page` margin box can place.
//! It is built once per language from the locale and served as a stylesheet of its own
//! (`pages.zh-CN.css`, content-hashed like every asset, see `static_files`); every page links
//! its language's one for print. The rest of the frame is `static/print.css` and
//! `templates/_macros/print.html`.

use super::i18n::{Lang, tr_args};

/// The asset name of `lang`'s page-number stylesheet.
pub fn stylesheet_name(lang: Lang) -> String {
    format!("pages.{}.css", lang.code())
}

/// The stylesheet: the bottom margin box of every page holds the locale's "page x of y".
pub fn stylesheet(lang: Lang) -> String {
    let marks = tr_args(
        lang,
        "print.page_of",
        &[("page", "\u{1}".into()), ("pages", "\u{2}".into())],
    );
    format!(
        "@page {{ @bottom-center {{ content: {}; font-size: 9pt; color: #000; }} }}\n",
        page_counter(&marks)
    )
}

/// A CSS string literal: quotes, backslashes, line breaks and `<`/`>` as hex escapes.
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
/// placeholders (marked `\u{1}` and `\u{2}`) as strings, the placeholders as the page counters.
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
    fn the_counter_is_the_locale_text_around_the_page_counters() {
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
    fn css_strings_cannot_leave_their_quotes_or_the_style_element() {
        assert_eq!(css_string(r#"a"b\c"#), r#""a\22 b\5c c""#);
        assert_eq!(css_string("</style>"), r#""\3c /style\3e ""#);
    }

    #[test]
    fn both_locales_build_a_stylesheet() {
        assert!(stylesheet(Lang::ZhCn).contains(
            r#"@bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页";"#
        ));
        assert!(
            stylesheet(Lang::En)
                .contains(r#"content: "Page " counter(page) " of " counter(pages);"#)
        );
        assert_eq!(stylesheet_name(Lang::En), "pages.en.css");
    }
}
