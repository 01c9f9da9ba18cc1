//! The patrol coverage page: who patrolled today, visits and households counted from the rows,
//! overdue key sites, idle workers, scope, the export and bad filters. Each test clears the demo's
//! patrols and writes its own rows.

use std::io::Read;

use chrono::{Duration, NaiveDate};

use crate::helpers::*;

/// A patrol log with visits to `households` (one visit each); returns its id.
fn patrol(
    app: &TestApp,
    grid: i32,
    worker: i32,
    day: NaiveDate,
    quick: bool,
    households: &[&str],
    problems: i32,
) -> i64 {
    app.exec(&format!(
        "INSERT INTO patrols (grid_id, scope_path, worker_id, day, quick, visits, problems, \
         created_at, updated_at) SELECT {grid}, path, {worker}, '{day}', {}, {}, {problems}, \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00' FROM org_units WHERE id = {grid}",
        if quick { "TRUE" } else { "FALSE" },
        households.len()
    ));
    let id = app.count("SELECT CAST(MAX(id) AS BIGINT) AS n FROM patrols");
    for h in households {
        app.exec(&format!(
            "INSERT INTO patrol_visits (patrol_id, grid_id, day, household, address) \
             VALUES ({id}, {grid}, '{day}', '{h}', '{h}')"
        ));
    }
    id
}

/// A key site of `grid`; returns its id.
fn site(app: &TestApp, grid: i32, name: &str, interval: i32) -> i64 {
    app.exec(&format!(
        "INSERT INTO key_sites (grid_id, name, kind, address, patrol_days, notes, active, version, \
         created_at, updated_at) VALUES ({grid}, '{name}', 'market', '', {interval}, '', TRUE, 1, \
         '2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    ));
    app.count("SELECT CAST(MAX(id) AS BIGINT) AS n FROM key_sites")
}

fn check(app: &TestApp, patrol: i64, site: i64, day: NaiveDate) {
    app.exec(&format!(
        "INSERT INTO patrol_sites (patrol_id, site_id, day, finding) \
         VALUES ({patrol}, {site}, '{day}', 'normal')"
    ));
}

/// The cells of the first row matching `css` whose text contains `needle`.
fn row_cells(page: &Resp, css: &str, needle: &str) -> Option<Vec<String>> {
    let doc = page.doc();
    let td = scraper::Selector::parse("td").unwrap();
    doc.select(&scraper::Selector::parse(css).unwrap())
        .find(|r| r.text().collect::<String>().contains(needle))
        .map(|r| {
            r.select(&td)
                .map(|c| c.text().collect::<String>().trim().to_string())
                .collect()
        })
}

fn cell(page: &Resp, grid: i32, class: &str) -> String {
    page.text(&format!("tr[data-grid=\"{grid}\"] td.{class}"))
}

/// The sheet names of an exported workbook, in order.
fn sheet_names(bytes: &[u8]) -> Vec<String> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an xlsx is a zip");
    let mut xml = String::new();
    zip.by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml.split("<sheet ")
        .skip(1)
        .filter_map(|s| s.split("name=\"").nth(1)?.split('"').next())
        .map(String::from)
        .collect()
}

#[test]
fn a_leader_sees_which_grids_were_patrolled_today_and_the_households_visited() {
    let app = spawn_app();
    app.clear_patrols();
    let (g1, g2, g3) = (
        app.org_id("工人路社区第1网格"),
        app.org_id("工人路社区第2网格"),
        app.org_id("工人路社区第3网格"),
    );
    let worker = app.user_id("worker");
    let day = local_today();
    // Two logs today in grid 1: three visits to two households, one problem.
    patrol(&app, g1, worker, day, false, &["h-a", "h-b"], 1);
    patrol(&app, g1, worker, day, false, &["h-a"], 0);
    // Grid 3: only the one-click "nothing to report"; grid 2: nothing.
    patrol(&app, g3, worker, day, true, &[], 0);
    let leader = app.login("leader");
    let page = leader.get("/patrols/coverage");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(&format!("tr[data-grid=\"{g1}\"].t-yes")));
    assert!(page.has(&format!("tr[data-grid=\"{g2}\"].t-no")));
    assert!(page.has(&format!("tr[data-grid=\"{g3}\"].t-quick")));
    assert_eq!(cell(&page, g1, "patrols"), "2");
    assert_eq!(cell(&page, g1, "visits"), "3");
    assert_eq!(cell(&page, g1, "problems"), "1");
    assert_eq!(cell(&page, g1, "hh-month"), "2");
    assert_eq!(cell(&page, g1, "hh-quarter"), "2");
    assert_eq!(cell(&page, g2, "visits"), "0");
    let grids = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE kind = 'grid' AND path LIKE \
         (SELECT path FROM org_units WHERE id = {}) || '%'",
        app.org_id("林山寨街道")
    ));
    assert_eq!(page.text("#cov-today"), format!("2/{grids}"));
    assert!(
        page.text("#coverage-summary")
            .contains(&format!("2/{grids}"))
    );
    // The worker's own row over the period: one day, three logs, three visits, two households.
    let row = row_cells(&page, "tr.worker-row", "工人路网格员").expect("the worker's row");
    assert_eq!(row[2..], ["1", "3", "3", "2", "1"], "{row:?}");
    // The community's own page, and a grid's, show the same counts.
    for unit in [app.org_id("工人路社区"), g1] {
        let p = leader.get(&format!("/patrols/coverage?unit={unit}"));
        assert_eq!(p.status, 200);
        assert_eq!(cell(&p, g1, "visits"), "3");
    }
    // Outside the period the counts are zero, but today's status stays.
    let p = leader.get("/patrols/coverage?from=2020-01-01&to=2020-01-31");
    assert_eq!(p.status, 200, "{}", p.body);
    assert_eq!(cell(&p, g1, "visits"), "0");
    assert!(p.has(&format!("tr[data-grid=\"{g1}\"].t-yes")));
}

#[test]
fn overdue_key_sites_and_idle_workers_are_listed() {
    let app = spawn_app();
    app.clear_patrols();
    let (g1, g2) = (
        app.org_id("工人路社区第1网格"),
        app.org_id("工人路社区第2网格"),
    );
    let worker = app.user_id("worker");
    let day = local_today();
    let fresh = site(&app, g1, "测试近期已查市场", 7);
    let stale = site(&app, g1, "测试超期农贸市场", 1);
    site(&app, g2, "测试从未巡查市场", 30);
    let p = patrol(&app, g1, worker, day - Duration::days(2), false, &[], 0);
    check(&app, p, fresh, day - Duration::days(2));
    let p = patrol(&app, g1, worker, day - Duration::days(5), false, &[], 0);
    check(&app, p, stale, day - Duration::days(5));
    // Workers: one who never logged (with a phone), one 5 days ago, one 2 days ago.
    app.add_user("idle_never", "grid_worker", "工人路社区第2网格");
    app.exec("UPDATE users SET phone = '13812345678' WHERE username = 'idle_never'");
    app.add_user("idle_five", "grid_worker", "工人路社区第3网格");
    app.add_user("busy_two", "grid_worker", "工人路社区第4网格");
    let g3 = app.org_id("工人路社区第3网格");
    let g4 = app.org_id("工人路社区第4网格");
    patrol(
        &app,
        g3,
        app.user_id("idle_five"),
        day - Duration::days(5),
        false,
        &[],
        0,
    );
    patrol(
        &app,
        g4,
        app.user_id("busy_two"),
        day - Duration::days(2),
        false,
        &[],
        0,
    );
    let clerk = app.login("cclerk");
    let page = clerk.get("/patrols/coverage?idle=3");
    assert_eq!(page.status, 200, "{}", page.body);
    let sites = page.texts("tr.site-row td.name");
    assert!(
        !sites.contains(&"测试近期已查市场".to_string()),
        "{sites:?}"
    );
    let never = sites.iter().position(|s| s == "测试从未巡查市场");
    let late = sites.iter().position(|s| s == "测试超期农贸市场");
    assert!(never.is_some() && late.is_some(), "{sites:?}");
    // Never checked comes before a checked one; every demo site is never checked.
    assert!(never < late);
    let late_row = page
        .texts("tr.site-row")
        .into_iter()
        .find(|r| r.contains("测试超期农贸市场"))
        .unwrap();
    assert!(
        late_row.contains(&(day - Duration::days(5)).to_string()),
        "{late_row}"
    );
    assert!(cell(&page, g1, "sites").parse::<i32>().unwrap() >= 1);
    let row = |name: &str| row_cells(&page, "tr.idle-row", name);
    let never_row = row("idle_never").expect("a worker who never logged");
    assert_eq!(never_row[1], "工人路社区第2网格");
    assert_eq!(never_row[2], "138****5678");
    assert!(!page.body.contains("13812345678"));
    let five = row("idle_five").expect("a worker idle for 5 days");
    assert_eq!(
        five[3..],
        [(day - Duration::days(5)).to_string(), "5".to_string()]
    );
    assert!(row("busy_two").is_none());
    assert!(row("工人路网格员").is_none(), "logged 2 days ago");
    // A stricter threshold lists the worker of two days ago as well.
    let page = clerk.get("/patrols/coverage?idle=1");
    assert!(
        page.texts("tr.idle-row")
            .iter()
            .any(|r| r.contains("busy_two"))
    );
}

#[test]
fn users_see_only_the_grids_of_their_scope() {
    let app = spawn_app();
    app.clear_patrols();
    let ours = app.org_id("工人路社区第1网格");
    let theirs = app.org_id("陇西社区第1网格");
    site(&app, theirs, "陇西测试场所", 1);
    app.add_user("worker2", "grid_worker", "陇西社区第1网格");
    patrol(
        &app,
        theirs,
        app.user_id("worker2"),
        local_today(),
        false,
        &["x"],
        0,
    );
    let community = app.org_id("陇西社区");
    let street = app.org_id("林山寨街道");
    let clerk = app.login("cclerk");
    let page = clerk.get("/patrols/coverage");
    assert_eq!(page.status, 200);
    assert!(page.has(&format!("tr[data-grid=\"{ours}\"]")));
    assert!(!page.has(&format!("tr[data-grid=\"{theirs}\"]")));
    assert!(!page.body.contains("陇西"), "nothing of another community");
    let export = clerk.get("/patrols/coverage/export.xlsx");
    assert_eq!(export.status, 200);
    let text = xlsx_text(&export.bytes);
    assert!(text.contains("工人路社区第1网格"));
    assert!(!text.contains("陇西"));
    for unit in [community, street] {
        assert_eq!(
            clerk.get(&format!("/patrols/coverage?unit={unit}")).status,
            404
        );
        assert_eq!(
            clerk
                .get(&format!("/patrols/coverage/export.xlsx?unit={unit}"))
                .status,
            404
        );
    }
    // A grid worker sees their own grid only.
    let worker2 = app.login("worker2");
    let page = worker2.get("/patrols/coverage");
    assert_eq!(page.status, 200);
    assert!(page.has(&format!("tr[data-grid=\"{theirs}\"].t-yes")));
    assert!(!page.body.contains("工人路"));
    let unit = app.org_id("工人路社区");
    assert_eq!(
        worker2
            .get(&format!("/patrols/coverage?unit={unit}"))
            .status,
        404
    );
    assert_eq!(
        worker2
            .get(&format!("/patrols/coverage?unit={ours}"))
            .status,
        404
    );
}

#[test]
fn the_export_has_the_four_tables() {
    let app = spawn_app();
    app.clear_patrols();
    let g1 = app.org_id("工人路社区第1网格");
    site(&app, g1, "导出测试场所", 1);
    patrol(
        &app,
        g1,
        app.user_id("worker"),
        local_today(),
        false,
        &["h-1", "h-2"],
        0,
    );
    app.add_user("idle_export", "grid_worker", "工人路社区第2网格");
    let leader = app.login("leader");
    let page = leader.get("/patrols/coverage");
    let href = page
        .doc()
        .select(&scraper::Selector::parse("#coverage-export").unwrap())
        .next()
        .and_then(|a| a.value().attr("href").map(String::from))
        .unwrap();
    let x = leader.get(&href);
    assert_eq!(x.status, 200);
    assert!(
        x.header("content-type")
            .is_some_and(|c| c.contains("spreadsheetml"))
    );
    assert_eq!(
        sheet_names(&x.bytes),
        [
            "网格巡查情况",
            "超期重点场所",
            "未巡查网格员",
            "网格员巡查统计"
        ]
    );
    let text = xlsx_text(&x.bytes);
    for s in [
        "工人路社区第1网格",
        "已巡查",
        "导出测试场所",
        "idle_export",
        "工人路网格员",
        "本季度走访户数",
    ] {
        assert!(text.contains(s), "{s} in the export");
    }
    // The English export names its sheets in English.
    let en = app.login("leader");
    let token = en.csrf("/");
    en.post_raw(
        "/locale",
        &[("csrf_token", &token), ("lang", "en"), ("next", "/")],
    );
    let x = en.get("/patrols/coverage/export.xlsx");
    assert_eq!(sheet_names(&x.bytes)[0], "Grids");
}

#[test]
fn bad_filters_get_a_message_and_the_default_period() {
    let app = spawn_app();
    app.clear_patrols();
    let leader = app.login("leader");
    let good = leader.get("/patrols/coverage");
    let r = leader.get("/patrols/coverage?from=2026-13-45&to=soon&idle=zero");
    assert_eq!(r.status, 422);
    assert!(r.has("#e-from") && r.has("#e-to") && r.has("#e-idle"));
    assert_eq!(r.text("#coverage-period"), good.text("#coverage-period"));
    assert!(r.has("tr.grid-row"), "the page still shows the figures");
    let r = leader.get("/patrols/coverage?from=2026-05-10&to=2026-05-01");
    assert_eq!(r.status, 422);
    assert!(r.has("#e-to"));
    let r = leader.get("/patrols/coverage?from=2025-01-01&to=2025-12-31");
    assert_eq!(r.status, 422);
    assert!(r.has("#e-to"));
    let r = leader.get("/patrols/coverage?from=2025-01-01&to=2025-03-31");
    assert_eq!(r.status, 200);
}

#[test]
fn the_page_follows_new_logs_and_audited_changes() {
    let app = spawn_app();
    app.clear_patrols();
    let g1 = app.org_id("工人路社区第1网格");
    let worker = app.user_id("worker");
    let day = local_today();
    let sid = site(&app, g1, "缓存测试场所", 7);
    let p = patrol(&app, g1, worker, day - Duration::days(3), false, &[], 0);
    check(&app, p, sid, day - Duration::days(3));
    let clerk = app.login("clerk");
    let path = format!("/patrols/coverage?unit={g1}");
    let page = clerk.get(&path);
    assert!(page.has(&format!("tr[data-grid=\"{g1}\"].t-no")));
    assert!(
        !page
            .texts("tr.site-row td.name")
            .contains(&"缓存测试场所".to_string())
    );
    // A new log shows at once (the figures are kept until something changes).
    patrol(&app, g1, worker, day, false, &["h-new"], 0);
    let page = clerk.get(&path);
    assert!(page.has(&format!("tr[data-grid=\"{g1}\"].t-yes")));
    assert_eq!(cell(&page, g1, "hh-month"), "1");
    // So does a key site's interval shortened through its form (an audited change).
    let edit = format!("/grids/{g1}/sites/{sid}/edit");
    let r = clerk.submit(
        &edit,
        &format!("/grids/{g1}/sites/{sid}"),
        &[("patrol_days", "1"), ("active", "on")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = clerk.get(&path);
    assert!(
        page.texts("tr.site-row td.name")
            .contains(&"缓存测试场所".to_string())
    );
}
