//! Every visible string lives in the locale files: templates hold no Chinese text, and every key
//! the code and templates use exists in both locales.

use std::collections::BTreeSet;
use std::path::Path;

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

#[test]
fn templates_hold_no_hard_coded_chinese_text() {
    let mut list = Vec::new();
    files(Path::new("templates"), "html", &mut list);
    assert!(list.len() > 10);
    for f in list {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            assert!(
                !line.chars().any(is_cjk),
                "{}:{}: {line}",
                f.display(),
                n + 1
            );
        }
    }
}

fn locale_keys(file: &str) -> BTreeSet<String> {
    std::fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !k.starts_with('_') && !k.starts_with('#'))
        .collect()
}

/// Literal keys: `t("a.b")`, `ta1("a.b"`, and quoted "a.b" keys in Rust flash/error calls.
fn used_keys() -> BTreeSet<String> {
    let mut list = Vec::new();
    files(Path::new("templates"), "html", &mut list);
    files(Path::new("src"), "rs", &mut list);
    let mut keys = BTreeSet::new();
    let prefixes = [
        "form.",
        "flash.",
        "error.",
        "login.",
        "password.",
        "nav.",
        "home.",
        "org.",
        "grids.",
        "sites.",
        "photo.",
        "users.",
        "audit.",
        "calendar.",
        "categories.",
        "coverage.",
        "conflict.",
        "pager.",
        "list.",
        "count.",
        "action.",
        "app.",
        "lang.",
        "sheet.",
        "meetings.",
        "week.",
        "party.",
    ];
    for f in list {
        let text = std::fs::read_to_string(&f).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            if prefixes.iter().any(|p| piece.starts_with(p))
                && piece
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
                && !piece.ends_with('.')
                && !piece.ends_with(".rs")
                && !piece.ends_with(".html")
                && !piece.ends_with(".xlsx")
                && !piece.ends_with(".css")
                && !piece.ends_with(".js")
            {
                keys.insert(piece.to_string());
            }
        }
    }
    keys
}

#[test]
fn no_key_is_written_twice() {
    for file in ["src/locales/zh-CN.yml", "src/locales/en.yml"] {
        let mut seen = BTreeSet::new();
        for line in std::fs::read_to_string(file).unwrap().lines() {
            if let Some((k, _)) = line.split_once(": ").filter(|(k, _)| !k.starts_with('#')) {
                assert!(seen.insert(k.trim().to_string()), "{file}: {k} twice");
            }
        }
    }
}

#[test]
fn every_key_in_use_exists_in_both_locales() {
    let zh = locale_keys("src/locales/zh-CN.yml");
    let en = locale_keys("src/locales/en.yml");
    assert_eq!(zh, en, "the locales have the same keys");
    let missing: Vec<_> = used_keys()
        .into_iter()
        .filter(|k| !zh.contains(k))
        .collect();
    assert!(
        missing.is_empty(),
        "keys missing from the locales: {missing:?}"
    );
    // Keys built at run time: roles, kinds, duties, site kinds, intervals, role texts.
    for k in [
        "role.grid_worker",
        "role.admin",
        "kind.village",
        "duty.partner_unit",
        "site_kind.hazard",
        "interval.30",
        "home.role_text.leader",
    ] {
        assert!(zh.contains(k), "{k}");
    }
}

/// Visible text of a page, one string per text node: scripts, styles and attribute values
/// are not read.
fn text_nodes(body: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(body);
    let sel = scraper::Selector::parse("body").unwrap();
    let Some(body) = doc.select(&sel).next() else {
        return Vec::new();
    };
    body.descendants()
        .filter_map(|n| {
            let text = n.value().as_text()?;
            let parent = n.parent()?.value().as_element()?.name();
            (!matches!(parent, "script" | "style" | "option" | "textarea"))
                .then(|| text.trim().to_string())
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// A word that reads like a locale key ("audit.actions.login"): lowercase words joined by dots.
fn looks_like_key(word: &str) -> bool {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '_');
    let parts: Vec<&str> = w.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.len() >= 2
                && p.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
        && !matches!(
            parts.last(),
            Some(&("xlsx" | "pdf" | "css" | "js" | "com" | "cn"))
        )
}

/// A text node that is only a stored code ("login", "login_failed", "huddle"): in the Chinese
/// interface no visible text is a lone lowercase ASCII word.
fn looks_like_code(text: &str) -> bool {
    text.len() >= 3
        && text.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && !matches!(
            text,
            "admin" | "leader" | "clerk" | "cclerk" | "worker" | "secretary"
        )
}

/// Every page a user reaches by links from their home, two clicks deep, in both languages:
/// no visible text is a raw locale key, and in Chinese none is a bare stored code.
#[test]
fn no_page_shows_a_raw_key_or_a_stored_code() {
    let app = crate::helpers::spawn_app();
    let mut seen_pages = 0;
    for username in ["admin", "cclerk", "worker", "secretary"] {
        for lang in ["zh-CN", "en"] {
            let c = app.login(username);
            c.set_lang(lang);
            let mut queue = vec!["/".to_string()];
            let mut seen = BTreeSet::new();
            let mut depth = 0;
            while !queue.is_empty() && depth < 2 {
                let mut next = Vec::new();
                for path in std::mem::take(&mut queue) {
                    if !seen.insert(path.clone()) || seen.len() > 120 {
                        continue;
                    }
                    let r = c.get(&path);
                    if r.status != 200
                        || !r
                            .header("content-type")
                            .unwrap_or("")
                            .starts_with("text/html")
                    {
                        continue;
                    }
                    seen_pages += 1;
                    for t in text_nodes(&r.body) {
                        let key = t.split_whitespace().find(|w| looks_like_key(w));
                        assert!(
                            key.is_none(),
                            "{username} {lang} {path}: raw key {key:?} in {t:?}"
                        );
                        assert!(
                            !t.contains('⟦'),
                            "{username} {lang} {path}: marker in {t:?}"
                        );
                        assert!(
                            lang == "en" || !looks_like_code(&t),
                            "{username} {path}: stored code {t:?} shown"
                        );
                    }
                    let doc = r.doc();
                    let links = scraper::Selector::parse("a[href^='/']").unwrap();
                    for a in doc.select(&links) {
                        let href = a
                            .value()
                            .attr("href")
                            .unwrap_or("")
                            .split('#')
                            .next()
                            .unwrap_or("");
                        let skip = [
                            "/logout", "/static", "export", ".xlsx", "/photos", "/uploads",
                        ];
                        if !href.is_empty() && !skip.iter().any(|s| href.contains(s)) {
                            next.push(href.to_string());
                        }
                    }
                }
                queue = next;
                depth += 1;
            }
        }
    }
    assert!(seen_pages > 100, "the walk reached {seen_pages} pages");
}
