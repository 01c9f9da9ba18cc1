//! The search box (`/search?q=`): an exact number jumps to the issue, everything else is grouped
//! by kind, every kind scoped to the user, the term's wildcards plain characters.

use crate::helpers::*;
use crate::issues::{report, report_with};

fn enc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

fn search(c: &Client, q: &str) -> Resp {
    c.get(&format!("/search?q={}", enc(q)))
}

fn number_of(app: &TestApp, id: i32) -> String {
    app.strings(&format!("SELECT number AS s FROM issues WHERE id = {id}"))
        .remove(0)
}

/// The hits' link texts under the group headed `heading`.
fn hits(r: &Resp, heading: &str) -> Vec<String> {
    let doc = r.doc();
    let section = scraper::Selector::parse("section.search-group").unwrap();
    let h2 = scraper::Selector::parse("h2").unwrap();
    let a = scraper::Selector::parse("ul.hits a").unwrap();
    doc.select(&section)
        .filter(|s| {
            s.select(&h2)
                .any(|h| h.text().collect::<String>() == heading)
        })
        .flat_map(|s| {
            s.select(&a)
                .map(|l| l.text().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn every_page_has_the_search_box_and_an_exact_number_jumps_to_the_issue() {
    let app = spawn_app();
    let worker = app.login("worker");
    let home = worker.get("/");
    assert_eq!(
        home.attrs("header form[role=search]", "action"),
        ["/search"]
    );
    assert!(home.has("header form[role=search] input[name=q]"));
    let id = report(&worker, "搜索跳转测试");
    let number = number_of(&app, id);
    let cclerk = app.login("cclerk");
    // Typed in lower case and with spaces around, as people do.
    let r = search(&cclerk, &format!("  {}  ", number.to_lowercase()));
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/issues/{id}"));
    // A part of the number is a text search: no jump, the issue among the hits.
    let part = &number[..number.len() - 2];
    let r = search(&cclerk, part);
    assert_eq!(r.status, 200);
    assert!(hits(&r, "矛盾问题").contains(&"搜索跳转测试".to_string()));
}

#[test]
fn results_come_grouped_by_kind_each_a_link() {
    let app = spawn_app();
    app.add_user("gongren_zhang", "grid_worker", "工人路社区第2网格");
    let worker = app.login("worker");
    let id = report(&worker, "工人路井盖缺失");
    let admin = app.login("admin");
    let r = search(&admin, "工人路");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.texts("section.search-group h2"),
        ["矛盾问题", "人员", "街道、社区与网格"]
    );
    assert!(hits(&r, "矛盾问题").contains(&"工人路井盖缺失".to_string()));
    assert!(hits(&r, "街道、社区与网格").contains(&"工人路社区".to_string()));
    let links = r.attrs("section.search-group ul.hits a", "href");
    assert!(links.contains(&format!("/issues/{id}")), "{links:?}");
    let community = app.org_id("工人路社区");
    assert!(links.contains(&format!("/org/{community}")), "{links:?}");
    // A person, by name: the admin opens the account.
    let r = search(&admin, "gongren_z");
    assert_eq!(hits(&r, "人员"), ["gongren_zhang"]);
    let uid = app.user_id("gongren_zhang");
    assert_eq!(
        r.attrs("section.search-group ul.hits a", "href"),
        [format!("/users/{uid}/edit")]
    );
    // Others have no account list: the person's unit is the link.
    let r = search(&app.login("cclerk"), "gongren_z");
    let grid = app.org_id("工人路社区第2网格");
    assert_eq!(
        r.attrs("section.search-group ul.hits a", "href"),
        [format!("/org/{grid}")]
    );
}

#[test]
fn a_community_clerk_never_finds_another_communitys_issue_or_people() {
    let app = spawn_app();
    app.add_user("findme_here", "grid_worker", "工人路社区第1网格");
    app.add_user("findme_there", "grid_worker", "陇西社区第1网格");
    let there = app.login("findme_there");
    let r = report_with(&there, "陇西路灯不亮findme", &[], &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let other_id: i32 = r.location().trim_start_matches("/issues/").parse().unwrap();
    let cclerk = app.login("cclerk");
    let r = search(&cclerk, "findme");
    assert_eq!(r.status, 200);
    assert_eq!(hits(&r, "人员"), ["findme_here"]);
    assert!(
        !r.body.contains("findme_there") && !r.body.contains("陇西"),
        "{}",
        r.body
    );
    assert!(hits(&r, "矛盾问题").is_empty());
    // The other community's name and its issue's exact number find nothing either.
    for q in ["陇西社区", "陇西路灯"] {
        let r = search(&cclerk, q);
        assert!(r.texts("section.search-group").is_empty(), "{q}");
        assert!(r.body.contains("在您的范围内没有找到相关内容"), "{q}");
    }
    let r = search(&cclerk, &number_of(&app, other_id));
    assert_eq!(r.status, 200);
    assert!(!r.body.contains("陇西路灯不亮"));
    // The street above them all finds both.
    let admin = app.login("admin");
    let r = search(&admin, "findme");
    assert_eq!(hits(&r, "人员"), ["findme_here", "findme_there"]);
    assert_eq!(hits(&r, "矛盾问题"), ["陇西路灯不亮findme"]);
}

#[test]
fn wildcards_in_the_term_are_plain_characters() {
    let app = spawn_app();
    let worker = app.login("worker");
    report(&worker, "满减50%活动占道");
    report(&worker, "满减500活动占道");
    report(&worker, "满减5x0活动占道");
    let admin = app.login("admin");
    // Issues: the trigram index, from three characters.
    for (q, want) in [
        ("50%", vec!["满减50%活动占道"]),
        ("5_0", vec![]),
        ("减5%", vec![]),
    ] {
        let r = search(&admin, q);
        assert_eq!(r.status, 200, "{q}");
        assert_eq!(hits(&r, "矛盾问题"), want, "{q}");
    }
    // People and places: LIKE with its escape, from two characters.
    app.add_user("pct50%a", "grid_worker", "工人路社区第1网格");
    app.add_user("pct500a", "grid_worker", "工人路社区第1网格");
    for (q, want) in [("0%", vec!["pct50%a"]), ("5_", vec![]), ("t_", vec![])] {
        let r = search(&admin, q);
        assert_eq!(hits(&r, "人员"), want, "{q}");
        // Two characters do not search issues' text, and say so.
        assert!(hits(&r, "矛盾问题").is_empty(), "{q}");
        assert!(r.body.contains("请至少输入 3 个字"), "{q}");
    }
}

#[test]
fn an_empty_or_short_term_is_told_and_a_long_list_links_to_the_rest() {
    let app = spawn_app();
    let admin = app.login("admin");
    let r = admin.get("/search");
    assert_eq!(r.status, 200);
    assert!(r.text("[role=status]").contains("请输入要查找的内容"));
    let r = search(&admin, " 网 ");
    assert!(r.text("[role=status]").contains("至少输入 2 个字"));
    assert_eq!(r.value("main input[name=q]").as_deref(), Some(" 网 "));
    // More grids than a group shows: the first 20 and the org tree filtered by the term.
    let grids = app.count("SELECT COUNT(*) AS n FROM org_units WHERE name LIKE '%网格%'");
    assert!(grids > 20, "{grids}");
    let r = search(&admin, "网格");
    assert_eq!(hits(&r, "街道、社区与网格").len(), 20);
    let more = format!("/org?q={}", enc("网格"));
    assert!(r.attrs("section.search-group a", "href").contains(&more));
    assert!(admin.get(&more).texts("table.tree td.name").len() > 20);
    // People beyond 20 for a non-admin: no list to show them, a word to refine.
    for n in 0..21 {
        app.add_user(&format!("many_{n}"), "grid_worker", "工人路社区第1网格");
    }
    let r = search(&app.login("cclerk"), "many_");
    assert_eq!(hits(&r, "人员").len(), 20);
    assert!(r.body.contains("只显示前 20 条"));
    // More issues than shown: the issue list filtered by the same term.
    let worker = app.login("worker");
    for n in 0..21 {
        report(&worker, &format!("多条测试{n}"));
    }
    let r = search(&admin, "多条测试");
    assert_eq!(hits(&r, "矛盾问题").len(), 20);
    let more = format!("/issues?q={}", enc("多条测试"));
    assert!(r.attrs("section.search-group a", "href").contains(&more));
    assert_eq!(admin.get(&more).texts("table.list td.title a").len(), 21);
}

#[test]
fn the_search_page_speaks_english() {
    let app = spawn_app();
    let admin = app.login("admin");
    admin.set_lang("en");
    let r = search(&admin, "工人路");
    assert_eq!(r.text("h1"), "Search");
    assert_eq!(
        r.texts("section.search-group h2"),
        ["Issues", "People", "Streets, communities and grids"]
    );
    assert!(r.has("header form[role=search] button"));
    assert!(
        search(&admin, "x")
            .body
            .contains("Type at least 2 characters.")
    );
}
