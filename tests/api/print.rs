//! The print frame (issue 15): every printable page carries the same government-form frame —
//! a print-only title block with the unit and the period, the closing line 制表单位 / 制表人 /
//! 审核人 / 打印日期, and the page numbers of the locale in the stylesheet it links for print.
//! The browser test prints them to A4 (browser/print.rs).

use crate::helpers::*;

/// The page-number stylesheet a page links for print, fetched.
pub fn page_numbers(c: &Client, page: &Resp) -> String {
    let sel = scraper::Selector::parse("link[rel=stylesheet][media=print]").unwrap();
    let doc = page.doc();
    let href = doc
        .select(&sel)
        .filter_map(|l| l.value().attr("href"))
        .find(|h| h.starts_with("/static/pages."))
        .unwrap_or_else(|| panic!("no page-number stylesheet in {}", page.body))
        .to_string();
    let css = c.get(&href);
    assert_eq!(css.status, 200, "{href}");
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    css.body
}

/// The printable pages of the demo, as the street leader `c` opens them (the issue: the first
/// of their list).
pub fn printable_pages(app: &TestApp, c: &Client) -> Vec<(&'static str, String)> {
    let first = |sql: &str| {
        let id = app.count(&format!("SELECT CAST(MIN(id) AS BIGINT) AS n FROM {sql}"));
        assert!(id > 0, "{sql}");
        id
    };
    let grid = first("org_units WHERE kind = 'grid'");
    let list = c.get("/issues");
    let sel = scraper::Selector::parse("tbody a[href^='/issues/']").unwrap();
    let issue = list
        .doc()
        .select(&sel)
        .find_map(|a| a.value().attr("href").map(String::from))
        .expect("an issue in the leader's list");
    let branch = first("party_branches");
    vec![
        ("figures", "/issues/figures".into()),
        ("coverage", "/patrols/coverage".into()),
        ("summary", "/party/summary".into()),
        ("ledger", format!("/party/branches/{branch}/ledger")),
        ("calendar", format!("/grids/{grid}/patrols")),
        ("issue", issue),
        ("notice", format!("/grids/{grid}/notice")),
        ("issues", "/issues".into()),
        ("patrols", "/patrols".into()),
        ("meetings", "/meetings".into()),
        ("brief", "/brief".into()),
        ("projects", "/projects/print".into()),
        ("livelihood", "/livelihood/print".into()),
        ("assessment", "/assessment/bulletin".into()),
        ("inspections", "/inspections".into()),
        ("register", "/register".into()),
        (
            "campaign",
            format!("/campaigns/{}/print", first("campaigns")),
        ),
        (
            "demolition",
            format!(
                "/campaigns/demolition/{}/print",
                first("demolition_commands")
            ),
        ),
    ]
}

#[test]
fn every_printable_page_carries_the_print_frame() {
    let app = spawn_app();
    let c = app.login("leader");
    let me = c.get("/");
    let who = me.text(".topbar .who");
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y-%m-%d")
        .to_string();
    for (name, path) in printable_pages(&app, &c) {
        let r = c.get(&path);
        assert_eq!(r.status, 200, "{name} {path}");
        // One title block with the unit, one closing line, both print-only.
        assert_eq!(r.texts("#print-title-block").len(), 1, "{name}");
        assert!(r.has("table.print-only#print-title-block th"), "{name}");
        assert!(r.text("#print-title-block").contains("单位"), "{name}");
        let foot = r.text("footer.print-only#print-foot");
        for part in ["制表单位：", "制表人：", "审核人：", "打印日期："] {
            assert!(foot.contains(part), "{name}: {foot}");
        }
        assert!(foot.contains(&today), "{name}: {foot}");
        let name_of_user = who.split(" · ").next().unwrap();
        assert!(foot.contains(name_of_user), "{name}: {foot} / {who}");
        assert!(
            page_numbers(&c, &r).contains(r#"counter(page) " 页 共 " counter(pages)"#),
            "{name}"
        );
    }

    // The issue page prints as the 矛盾问题办理单; the ledger opens with its cover and closes
    // with the signature lines; the figures state their period.
    let pages = printable_pages(&app, &c);
    let issue = c.get(&pages[5].1);
    assert_eq!(issue.text("#print-form-title"), "矛盾问题办理单");
    let ledger = c.get(&pages[3].1);
    let cover = ledger.text("#ledger-cover");
    assert!(
        cover.contains("编制单位") && cover.contains("年度"),
        "{cover}"
    );
    assert!(ledger.text("#ledger-signatures").contains("支部书记签字"));
    let figures = c.get("/issues/figures");
    assert!(
        figures
            .text("#print-title-block")
            .contains(&figures.text("p.lead"))
    );

    // English words, English page numbers.
    let token = c.csrf("/");
    let r = c.post_raw(
        "/locale",
        &[("csrf_token", &token), ("lang", "en"), ("next", "/")],
    );
    assert_eq!(r.status, 303);
    let r = c.get("/issues/figures");
    assert!(r.text("#print-foot").contains("Prepared by"));
    assert!(
        page_numbers(&c, &r).contains(r#"content: "Page " counter(page) " of " counter(pages);"#)
    );
}

#[test]
fn lists_print_their_date_filter_or_as_of_today_and_one_closing_line() {
    let app = spawn_app();
    let c = app.login("admin");
    let today = local_today().to_string();
    for list in [
        "/issues",
        "/patrols",
        "/meetings",
        "/party/activities",
        "/party/opinions",
        "/audit",
    ] {
        let block = |q: &str| {
            let r = c.get(&format!("{list}?{q}"));
            assert_eq!(r.status, 200, "{list}?{q}");
            assert_eq!(r.texts("#print-foot").len(), 1, "{list}: one closing line");
            assert!(
                r.body.trim_end().rfind("print-foot") > r.body.rfind("<table class=\"list"),
                "{list}: the closing line ends the page"
            );
            r.text("#print-title-block")
        };
        let none = block("");
        assert!(none.contains(&format!("截至 {today}")), "{list}: {none}");
        let both = block("from=2026-01-01&to=2026-03-31");
        assert!(both.contains("2026-01-01 至 2026-03-31"), "{list}: {both}");
        assert!(!both.contains("截至"), "{list}: {both}");
        let from = block("from=2026-01-01");
        assert!(
            from.contains(&format!("2026-01-01 至 {today}")),
            "{list}: {from}"
        );
        let to = block("to=2026-03-31");
        assert!(to.contains("截至 2026-03-31"), "{list}: {to}");
        // A date the list cannot read is not printed as its period.
        let bad = block("from=2026-13-01");
        assert!(bad.contains(&format!("截至 {today}")), "{list}: {bad}");
    }
    c.set_lang("en");
    let r = c.get("/issues?from=2026-01-01&to=2026-03-31");
    assert!(
        r.text("#print-title-block")
            .contains("2026-01-01 to 2026-03-31")
    );
}
