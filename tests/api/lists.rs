//! Lists and forms that read right: deadlines as days and lateness in working days, grids in
//! the org tree's order, the figures' default period, the meetings list's kind tabs.

use chrono::{Datelike, Duration, NaiveDate};

use crate::helpers::*;

/// Two issues in the street clerk's scope whose clocks run, renamed `title` and moved: the first
/// was reported earlier and its deadline (the end of `days[0]` days ago, local) passed longer
/// ago than the second's. Returns their ids.
fn two_late_issues(app: &TestApp, title: &str, days: [i64; 2]) -> [i32; 2] {
    let path = app.strings(
        "SELECT o.path AS s FROM org_units o JOIN users u ON u.org_unit_id = o.id \
         WHERE u.username = 'clerk'",
    )[0]
    .clone();
    let ids: Vec<i32> = app
        .strings(&format!(
            "SELECT CAST(id AS TEXT) AS s FROM issues WHERE state IN ('dispatched', 'handling') \
             AND scope_path LIKE '{path}%' ORDER BY id LIMIT 2"
        ))
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(ids.len(), 2, "two open issues in the street");
    let today = local_today();
    for (i, (id, ago)) in ids.iter().zip(days).enumerate() {
        // 23:59:59 in Shanghai is 15:59:59 UTC, as a meeting's decision sets it.
        let due = today - Duration::days(ago);
        let reported = today - Duration::days(60 - 10 * i as i64);
        app.exec(&format!(
            "UPDATE issues SET title = '{title}', deadline = '{due} 15:59:59', \
             reported_at = '{reported} 02:00:00' WHERE id = {id}"
        ));
    }
    [ids[0], ids[1]]
}

/// The issue links of a list page, in order.
fn issue_links(page: &Resp) -> Vec<String> {
    page.attrs("table.issues tbody tr td.title a", "href")
}

/// Working days after `day` up to today, on the work calendar.
fn working_days_since(app: &TestApp, day: NaiveDate) -> i32 {
    let mut c = app.conn();
    let cal = gridwork::calendar::models::load(&mut c, day, local_today()).unwrap();
    cal.working_days_between(day, local_today())
}

#[test]
fn the_overdue_list_shows_days_and_working_days_late_most_late_first() {
    let app = spawn_app();
    let [a, b] = two_late_issues(&app, "LATE-ONES", [30, 10]);
    let clerk = app.login("clerk");
    let page = clerk.get("/issues?overdue=1&q=LATE-ONES");
    assert_eq!(page.status, 200, "{}", page.body);
    // The most late first, though it was reported earlier.
    let order = [format!("/issues/{a}"), format!("/issues/{b}")];
    assert_eq!(issue_links(&page), order);
    // The deadline is a day; the tag says by how many working days.
    let due = local_today() - Duration::days(30);
    let cells = page.texts("table.issues tbody tr:first-child td:last-child");
    let late = working_days_since(&app, due);
    assert!(late > 10, "{late}");
    assert_eq!(
        cells[0].split_whitespace().collect::<Vec<_>>().join(" "),
        format!("{due} 超期 {late} 个工作日")
    );
    // Sorting by newest is still there to choose outside the overdue view.
    let all = clerk.get("/issues?q=LATE-ONES");
    assert_eq!(issue_links(&all), [order[1].clone(), order[0].clone()]);
    clerk.set_lang("en");
    let page = clerk.get("/issues?overdue=1&q=LATE-ONES");
    assert!(
        page.body.contains(&format!("{late} working days overdue")),
        "{}",
        page.body
    );
}

/// The optgroups of the select named `name` on `page`: each label with its options' texts.
fn groups(page: &Resp, name: &str) -> Vec<(String, Vec<String>)> {
    let doc = page.doc();
    let sel = scraper::Selector::parse(&format!("select[name={name}] optgroup")).unwrap();
    let opt = scraper::Selector::parse("option").unwrap();
    doc.select(&sel)
        .map(|g| {
            let label = g.value().attr("label").unwrap_or_default().to_string();
            let options = g.select(&opt).map(|o| o.text().collect()).collect();
            (label, options)
        })
        .collect()
}

#[test]
fn grid_selects_follow_the_org_tree_in_community_groups() {
    let app = spawn_app();
    // The communities of the street in the tree's order (their sort order).
    let communities = app.strings(
        "SELECT c.name AS s FROM org_units c JOIN org_units s ON c.parent_id = s.id \
         WHERE s.name = '林山寨街道' ORDER BY c.sort_order, c.id",
    );
    // 第1网格 added last, as happens when a grid is split: its id (and path) sorts after the
    // others'; it keeps its place by its sort order and number.
    let first = app.org_id("工人路社区第1网格");
    app.exec(&format!(
        "UPDATE org_units SET path = REPLACE(path, '/{first}/', '/99999/') WHERE id = {first}"
    ));
    let clerk = app.login("clerk");
    // An opinion to the street: it may become an issue in any of the street's grids.
    let opinion = crate::party_opinions::opinion_in(&clerk, app.org_id("林山寨街道"), "路灯不亮");
    for (page, name, community_first) in [
        (clerk.get("/issues/new"), "grid_id", false),
        (clerk.get("/patrols"), "unit", true),
        (
            clerk.get(&format!("/party/opinions/{opinion}")),
            "grid_id",
            false,
        ),
    ] {
        let groups = groups(&page, name);
        let labels: Vec<&String> = groups.iter().map(|(l, _)| l).collect();
        assert_eq!(labels, communities.iter().collect::<Vec<_>>(), "{name}");
        let (_, options) = &groups[1];
        assert_eq!(groups[1].0, "工人路社区");
        let mut want: Vec<String> = (1..=options.len() - usize::from(community_first))
            .map(|n| format!("工人路社区第{n}网格"))
            .collect();
        if community_first {
            want.insert(0, "工人路社区".into());
        }
        assert_eq!(options, &want, "{name}");
        // No grid outside a group.
        assert!(!page.has(&format!("select[name={name}] > option:not([value=''])")));
    }
}

/// "2026-12" for the month of `d`, `back` months before.
fn month_of(d: NaiveDate, back: u32) -> String {
    (d.with_day0(0).unwrap() - chrono::Months::new(back))
        .format("%Y-%m")
        .to_string()
}

#[test]
fn figures_show_the_last_twelve_months_and_freeze_only_finished_ones() {
    let app = spawn_app();
    let leader = app.login("leader");
    let page = leader.get("/issues/figures");
    assert_eq!(page.status, 200);
    let (this, first) = (month_of(local_today(), 0), month_of(local_today(), 11));
    assert_eq!(page.value("#f-from").as_deref(), Some(first.as_str()));
    assert_eq!(page.value("#f-to").as_deref(), Some(this.as_str()));
    // A freeze button for each finished month, none for this one.
    let frozen = page.attrs(
        "form[action=\"/issues/figures/freeze\"] input[name=month]",
        "value",
    );
    assert_eq!(frozen.len(), 11, "{frozen:?}");
    assert!(frozen.contains(&first) && !frozen.contains(&this));
    // Asked anyway, the server refuses and says why.
    let street = app.org_id("林山寨街道").to_string();
    let frozen_before = app.count("SELECT COUNT(*) AS n FROM issue_frozen");
    let r = leader.submit(
        "/issues/figures",
        "/issues/figures/freeze",
        &[("unit", &street), ("month", &this)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let next = leader.get(r.location());
    assert!(
        next.text(".flash").contains(&format!("{this} 尚未结束")),
        "{}",
        next.text(".flash")
    );
    let frozen_after = app.count("SELECT COUNT(*) AS n FROM issue_frozen");
    assert_eq!(frozen_after, frozen_before, "nothing frozen");
}

#[test]
fn the_meetings_list_has_kind_tabs_and_opens_on_weekly_for_a_leader() {
    let app = spawn_app();
    let kinds = |page: &Resp| page.texts("table.meetings tbody tr td:nth-child(3)");
    let leader = app.login("leader");
    let page = leader.get("/meetings");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.texts("nav.tabs a"),
        ["全部", "周例会", "日碰头", "督查会"]
    );
    assert_eq!(page.text("nav.tabs a[aria-current=page]"), "周例会");
    let shown = kinds(&page);
    assert!(
        !shown.is_empty() && shown.iter().all(|k| k == "周例会"),
        "{shown:?}"
    );
    // Every kind is a tab away; a tab keeps the other filters.
    let all = leader.get("/meetings?kind=all");
    assert!(
        kinds(&all).iter().any(|k| k == "日碰头"),
        "{:?}",
        kinds(&all)
    );
    let page = leader.get("/meetings?state=final");
    let huddles = page
        .attrs("nav.tabs a", "href")
        .into_iter()
        .find(|h| h.contains("kind=huddle"))
        .unwrap();
    assert!(huddles.contains("state=final"), "{huddles}");
    let page = leader.get(&huddles);
    assert_eq!(page.text("nav.tabs a[aria-current=page]"), "日碰头");
    assert!(kinds(&page).iter().all(|k| k == "日碰头"));
    // The filter form keeps the tab.
    assert_eq!(
        page.value("form.filters input[name=kind]").as_deref(),
        Some("huddle")
    );
    // A community's clerk sees all of her own meetings.
    let clerk = app.login("cclerk");
    let page = clerk.get("/meetings");
    assert_eq!(page.text("nav.tabs a[aria-current=page]"), "全部");
}

/// The pager's words, spaces squeezed.
fn pager(page: &Resp) -> String {
    page.text("nav.pager span")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_paged_list_says_how_many_rows_and_which_it_shows() {
    let app = spawn_app();
    let admin = app.login("admin");
    // Counted past the page, up to the cap.
    let n = app.count("SELECT COUNT(*) AS n FROM patrols");
    assert!(n > 50, "{n}");
    let first = admin.get("/patrols");
    let expect = if n > 1000 {
        "共 1000 条以上，第 1–50 条，第 1 页".to_string()
    } else {
        format!("共 {n} 条，第 1–50 条，第 1/{} 页", (n + 49) / 50)
    };
    assert_eq!(pager(&first), expect);
    // The last page knows its total from its own rows; past the end says how many there are.
    let audit = app.count("SELECT COUNT(*) AS n FROM audit_log");
    let last = (audit + 49) / 50;
    let page = admin.get(&format!("/audit?page={last}"));
    let from = 50 * (last - 1) + 1;
    assert_eq!(
        pager(&page),
        format!("共 {audit} 条，第 {from}–{audit} 条，第 {last}/{last} 页")
    );
    let past = admin.get(&format!("/audit?page={}", last + 5));
    assert!(pager(&past).starts_with("共 "), "{}", pager(&past));
    assert!(!past.has("a[rel=next]") && past.has("a[rel=prev]"));
    // Every list of the kit, and the issues, say it the same way.
    for path in [
        "/issues",
        "/meetings?kind=all",
        "/party/activities",
        "/party/opinions",
        "/users",
    ] {
        let page = admin.get(path);
        assert_eq!(page.status, 200, "{path}");
        let text = pager(&page);
        assert!(
            text.starts_with("共 ") && text.contains("条，第 1–"),
            "{path}: {text}"
        );
    }
    let issues = app.count("SELECT COUNT(*) AS n FROM issues");
    if issues <= 1000 {
        assert!(
            pager(&admin.get("/issues?page=2")).starts_with(&format!("共 {issues} 条，第 51–"))
        );
    }
    let none = admin.get("/issues?q=NO-SUCH-ISSUE-ANYWHERE");
    assert_eq!(pager(&none), "共 0 条");
    admin.set_lang("en");
    let page = admin.get("/party/opinions?q=");
    assert!(pager(&page).contains(" records, 1–"), "{}", pager(&page));
}
