//! Languages and translation. Every visible string lives in `src/locales/{zh-CN,en}.yml`;
//! zh-CN is the default. The choice is a cookie, so it also holds on the login page.

use std::borrow::Cow;

use actix_web::HttpRequest;

pub const LANG_COOKIE: &str = "gw_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::ZhCn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    /// The language's own name, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        tr_static(self, "lang.native")
    }

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "zh-CN" | "zh" => Some(Lang::ZhCn),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The cookie's choice, else zh-CN (the office's language; a browser set to English on a
    /// shared office PC should not switch the UI by itself).
    pub fn of(req: &HttpRequest) -> Lang {
        req.cookie(LANG_COOKIE)
            .and_then(|c| Lang::parse(c.value()))
            .unwrap_or_default()
    }
}

fn tr_static(lang: Lang, key: &'static str) -> &'static str {
    match crate::_rust_i18n_try_translate(lang.code(), key) {
        Some(Cow::Borrowed(s)) => s,
        Some(Cow::Owned(s)) => Box::leak(s.into_boxed_str()),
        None => key,
    }
}

/// The text for `key`, or the key itself (and a warning in the log) when a locale lacks it.
pub fn tr(lang: Lang, key: &str) -> String {
    match crate::_rust_i18n_try_translate(lang.code(), key) {
        Some(text) => text.into_owned(),
        None => {
            tracing::warn!(key, lang = lang.code(), "missing translation");
            key.to_string()
        }
    }
}

/// Like [`tr`], replacing `%{name}` placeholders.
pub fn tr_args(lang: Lang, key: &str, args: &[(&str, String)]) -> String {
    let text = tr(lang, key);
    let names: Vec<&str> = args.iter().map(|(k, _)| *k).collect();
    let values: Vec<String> = args.iter().map(|(_, v)| v.clone()).collect();
    rust_i18n::replace_patterns(&text, &names, &values)
}

/// Text stored once and read in either language (a timeline line, an audit summary) carries
/// its translatable words as `⟦key⟧` markers; [`localize`] puts the reader's words in.
pub fn mark(key: &str) -> String {
    format!("⟦{key}⟧")
}

/// `text` with every `⟦key⟧` marker replaced by the key's words in `lang`. A marker whose key
/// has no words stays as it is (never a silent gap), and text without markers is returned as is.
pub fn localize(lang: Lang, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('⟦') {
        let after = &rest[open + '⟦'.len_utf8()..];
        let Some(close) = after.find('⟧') else {
            break;
        };
        out.push_str(&rest[..open]);
        let key = &after[..close];
        match crate::_rust_i18n_try_translate(lang.code(), key) {
            Some(words) => out.push_str(&words),
            None => out.push_str(&rest[open..open + '⟦'.len_utf8() + close + '⟧'.len_utf8()]),
        }
        rest = &after[close + '⟧'.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_markers_read_in_the_readers_language() {
        let stored = format!("工人路社区 {} 2026-12-01", mark("meetings.kind.huddle"));
        assert_eq!(
            localize(Lang::ZhCn, &stored),
            "工人路社区 日碰头 2026-12-01"
        );
        assert!(!localize(Lang::En, &stored).contains("日碰头"));
        assert_eq!(localize(Lang::En, "plain ⟦ text"), "plain ⟦ text");
        assert_eq!(localize(Lang::En, "a ⟦no.such.key⟧ b"), "a ⟦no.such.key⟧ b");
    }

    #[test]
    fn both_locales_translate_and_substitute() {
        assert_eq!(tr(Lang::ZhCn, "lang.native"), "中文");
        assert_eq!(tr(Lang::En, "lang.native"), "English");
        let s = tr_args(Lang::En, "form.too_long", &[("max", "50".into())]);
        assert!(s.contains("50"), "{s}");
    }
}
