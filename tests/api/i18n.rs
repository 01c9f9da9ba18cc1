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
        "home.role_text.branch_secretary",
    ] {
        assert!(zh.contains(k), "{k}");
    }
}
