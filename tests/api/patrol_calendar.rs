//! A grid's patrol calendar (`/grids/{id}/patrols`) against the demo's patrols: the page's logs
//! and totals equal raw counts of the rows, a past working day without a log is marked, scope
//! hides other grids (page and export), the export reads back; and the demo's patrols agree with
//! their own check, visit and issue rows.

use chrono::{Datelike, NaiveDate};

use crate::helpers::*;

const GRID: &str = "工人路社区第1网格";

/// The months (YYYY-MM) the grid has logs in.
fn months(app: &TestApp, grid: i32) -> Vec<String> {
    app.strings(&format!(
        "SELECT DISTINCT SUBSTR(CAST(day AS TEXT), 1, 7) AS s FROM patrols WHERE grid_id = {grid} \
         ORDER BY s"
    ))
}

/// `WHERE` terms for rows of `table` (with `grid_id` and `day`) of a grid and month.
fn in_month(alias: &str, grid: i32, month: &str) -> String {
    format!("{alias}.grid_id = {grid} AND SUBSTR(CAST({alias}.day AS TEXT), 1, 7) = '{month}'")
}

fn number(page: &Resp, css: &str) -> i64 {
    let t = page.text(css);
    t.parse().unwrap_or_else(|_| panic!("{css}: {t:?}"))
}

#[test]
fn a_grid_workers_calendar_shows_the_grids_logs_with_the_databases_counts() {
    let app = spawn_app();
    let worker = app.login("worker");
    let grid = app.org_id(GRID);
    let months = months(&app, grid);
    assert!(!months.is_empty(), "the demo has patrols for {GRID}");
    // The grid's page links its calendar.
    assert!(
        worker
            .get(&format!("/org/{grid}"))
            .has(&format!("a[href=\"/grids/{grid}/patrols\"]"))
    );
    for month in &months {
        let page = worker.get(&format!("/grids/{grid}/patrols?month={month}"));
        assert_eq!(page.status, 200, "{month}");
        let p = in_month("p", grid, month);
        let mut ids = app.strings(&format!(
            "SELECT CAST(p.id AS TEXT) AS s FROM patrols p WHERE {p}"
        ));
        let mut links: Vec<String> = page
            .attrs("ul.logs a", "href")
            .into_iter()
            .map(|h| h.trim_start_matches("/patrols/").to_string())
            .collect();
        ids.sort();
        links.sort();
        assert_eq!(
            links, ids,
            "every log of the grid in {month}, and only those"
        );
        let count = |sql: &str| app.count(sql);
        assert_eq!(number(&page, "#total-logs"), ids.len() as i64);
        assert_eq!(
            number(&page, "#total-patrolled-days"),
            count(&format!(
                "SELECT COUNT(DISTINCT p.day) AS n FROM patrols p WHERE {p}"
            ))
        );
        let v = in_month("v", grid, month);
        assert_eq!(
            number(&page, "#total-visits"),
            count(&format!(
                "SELECT COUNT(*) AS n FROM patrol_visits v WHERE {v}"
            ))
        );
        assert_eq!(
            number(&page, "#total-households"),
            count(&format!(
                "SELECT COUNT(DISTINCT v.household) AS n FROM patrol_visits v WHERE {v}"
            ))
        );
        assert_eq!(
            number(&page, "#total-checks"),
            count(&format!(
                "SELECT COUNT(*) AS n FROM patrol_sites s JOIN patrols p ON p.id = s.patrol_id \
                 WHERE {p}"
            ))
        );
        assert_eq!(
            number(&page, "#total-site-problems"),
            count(&format!(
                "SELECT COUNT(*) AS n FROM patrol_sites s JOIN patrols p ON p.id = s.patrol_id \
                 WHERE {p} AND s.finding = 'problem'"
            ))
        );
        assert_eq!(
            number(&page, "#total-problems"),
            count(&format!(
                "SELECT COUNT(*) AS n FROM patrol_issues i JOIN patrols p ON p.id = i.patrol_id \
                 WHERE {p}"
            ))
        );
        // Each day's visits and problems.
        let per_day = app.strings(&format!(
            "SELECT CAST(v.day AS TEXT) || '=' || CAST(COUNT(*) AS TEXT) AS s \
             FROM patrol_visits v WHERE {v} GROUP BY v.day"
        ));
        for row in per_day {
            let (day, n) = row.split_once('=').unwrap();
            assert_eq!(
                page.attrs(&format!("td#d-{day}"), "data-visits"),
                vec![n.to_string()],
                "visits on {day}"
            );
        }
        let per_day = app.strings(&format!(
            "SELECT CAST(p.day AS TEXT) || '=' || CAST(COUNT(*) AS TEXT) AS s \
             FROM patrol_issues i JOIN patrols p ON p.id = i.patrol_id WHERE {p} GROUP BY p.day"
        ));
        for row in per_day {
            let (day, n) = row.split_once('=').unwrap();
            assert_eq!(
                page.attrs(&format!("td#d-{day}"), "data-problems"),
                vec![n.to_string()],
                "problems on {day}"
            );
        }
        // Quick logs say so instead of a time span.
        let quick = count(&format!(
            "SELECT COUNT(*) AS n FROM patrols p WHERE {p} AND p.quick = TRUE"
        ));
        assert_eq!(page.texts("ul.logs li.quick").len() as i64, quick);
        // Rest days and holidays are never missing, nor is a day with a log.
        assert!(!page.has("td.rest.missing") && !page.has("td.holiday.missing"));
        assert!(!page.has("td.missing ul.logs"));
    }
}

#[test]
fn a_past_working_day_without_a_log_is_marked_missing() {
    let app = spawn_app();
    let worker = app.login("worker");
    let grid = app.org_id(GRID);
    // The grid's first log lies on a working day in the past (the demo logs working days only).
    let day = app.strings(&format!(
        "SELECT MIN(CAST(day AS TEXT)) AS s FROM patrols WHERE grid_id = {grid}"
    ));
    let day = &day[0];
    let month = &day[..7];
    let path = format!("/grids/{grid}/patrols?month={month}");
    let before = worker.get(&path);
    assert!(
        before.has(&format!("td#d-{day}.work ul.logs"))
            || before.has(&format!("td#d-{day}.moved ul.logs"))
    );
    assert!(!before.has(&format!("td#d-{day}.missing")));
    let missing = number(&before, "#total-missing-days");

    let of_day = format!("SELECT id FROM patrols WHERE grid_id = {grid} AND day = '{day}'");
    app.exec(&format!(
        "DELETE FROM patrol_sites WHERE patrol_id IN ({of_day}); \
         DELETE FROM patrol_visits WHERE patrol_id IN ({of_day}); \
         DELETE FROM patrol_issues WHERE patrol_id IN ({of_day}); \
         DELETE FROM patrols WHERE grid_id = {grid} AND day = '{day}';"
    ));
    let after = worker.get(&path);
    assert!(
        after.has(&format!("td#d-{day}.missing .missing-mark")),
        "{day}"
    );
    assert!(!after.has(&format!("td#d-{day} ul.logs")));
    assert_eq!(number(&after, "#total-missing-days"), missing + 1);
    // The export says so too.
    let x = worker.get(&format!("/grids/{grid}/patrols/export.xlsx?month={month}"));
    assert_eq!(x.status, 200);
    assert!(xlsx_text(&x.bytes).contains("未报巡查日志"));
}

#[test]
fn a_grid_outside_the_users_scope_is_not_found_page_and_export() {
    let app = spawn_app();
    let own = app.org_id(GRID);
    let neighbour = app.org_id("工人路社区第2网格");
    let elsewhere = app.org_id("百花社区第1网格");
    let community = app.org_id("工人路社区");

    let worker = app.login("worker");
    assert_eq!(worker.get(&format!("/grids/{own}/patrols")).status, 200);
    for g in [neighbour, elsewhere] {
        assert_eq!(worker.get(&format!("/grids/{g}/patrols")).status, 404);
        assert_eq!(
            worker
                .get(&format!("/grids/{g}/patrols/export.xlsx"))
                .status,
            404
        );
    }

    let clerk = app.login("cclerk");
    for g in [own, neighbour] {
        assert_eq!(clerk.get(&format!("/grids/{g}/patrols")).status, 200);
    }
    let r = clerk.get(&format!("/grids/{elsewhere}/patrols"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("百花社区第1网格"));
    assert_eq!(
        clerk
            .get(&format!(
                "/grids/{elsewhere}/patrols/export.xlsx?month=2026-01"
            ))
            .status,
        404
    );
    // A community is not a grid.
    assert_eq!(
        clerk.get(&format!("/grids/{community}/patrols")).status,
        404
    );
    // A month that is no month.
    assert_eq!(
        clerk
            .get(&format!("/grids/{own}/patrols?month=2026-13"))
            .status,
        400
    );
    // Logged out: to the login page.
    assert_eq!(
        app.client().get(&format!("/grids/{own}/patrols")).status,
        303
    );
}

#[test]
fn the_export_reads_back_one_row_per_day_of_the_month() {
    let app = spawn_app();
    let clerk = app.login("cclerk");
    let grid = app.org_id(GRID);
    let month = months(&app, grid).pop().unwrap();
    let r = clerk.get(&format!("/grids/{grid}/patrols/export.xlsx?month={month}"));
    assert_eq!(r.status, 200);
    assert!(
        r.header("content-type")
            .unwrap_or("")
            .contains("spreadsheetml")
    );
    let text = xlsx_text(&r.bytes);
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    let days: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| d.month() == first.month())
        .collect();
    for d in &days {
        assert!(text.contains(&d.format("%Y-%m-%d").to_string()), "{d}");
    }
    for name in app.strings(&format!(
        "SELECT DISTINCT u.display_name AS s FROM patrols p JOIN users u ON u.id = p.worker_id \
         WHERE {}",
        in_month("p", grid, &month)
    )) {
        assert!(text.contains(&name), "{name}");
    }
    // A header row and one row per day.
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&r.bytes[..])).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert_eq!(sheet.matches("<row ").count(), days.len() + 1);
}

#[test]
fn the_demos_patrols_agree_with_their_checks_visits_and_issue_links() {
    let db = test_db();
    assert!(db.count("SELECT COUNT(*) AS n FROM patrols") > 0);
    assert!(db.count("SELECT COUNT(*) AS n FROM patrol_visits") > 0);
    assert!(db.count("SELECT COUNT(*) AS n FROM patrol_issues") > 0);
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrols p WHERE \
             p.visits <> (SELECT COUNT(*) FROM patrol_visits v WHERE v.patrol_id = p.id) \
             OR p.sites_checked <> (SELECT COUNT(*) FROM patrol_sites s WHERE s.patrol_id = p.id) \
             OR p.site_problems <> (SELECT COUNT(*) FROM patrol_sites s WHERE s.patrol_id = p.id \
                AND s.finding = 'problem') \
             OR p.problems <> (SELECT COUNT(*) FROM patrol_issues i WHERE i.patrol_id = p.id)"
        ),
        0,
        "each patrol's counts are those of its rows"
    );
    // Quick logs are just that; visits and checks carry their patrol's grid and day; a site
    // problem has a note; linked issues were reported from patrols of the same grid.
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrols WHERE quick = TRUE AND (started_at <> '' \
             OR visits > 0 OR sites_checked > 0 OR problems > 0)"
        ),
        0
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrol_visits v JOIN patrols p ON p.id = v.patrol_id \
             WHERE v.grid_id <> p.grid_id OR v.day <> p.day OR v.household = ''"
        ),
        0
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrol_sites s JOIN patrols p ON p.id = s.patrol_id \
             JOIN key_sites k ON k.id = s.site_id WHERE k.grid_id <> p.grid_id \
             OR s.day <> p.day OR (s.finding = 'problem' AND s.note = '')"
        ),
        0
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrol_issues l JOIN patrols p ON p.id = l.patrol_id \
             JOIN issues i ON i.id = l.issue_id WHERE i.grid_id <> p.grid_id \
             OR i.source <> 'patrol'"
        ),
        0
    );
    // One log per grid and day, by a worker of the grid, with scope_path the grid's path.
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM (SELECT grid_id, day FROM patrols GROUP BY grid_id, day \
             HAVING COUNT(*) > 1) t"
        ),
        0
    );
    assert_eq!(
        db.count(
            "SELECT COUNT(*) AS n FROM patrols p JOIN org_units g ON g.id = p.grid_id \
             JOIN users u ON u.id = p.worker_id WHERE p.scope_path <> g.path \
             OR (u.org_unit_id <> p.grid_id AND NOT EXISTS (SELECT 1 FROM grid_people gp \
             WHERE gp.grid_id = p.grid_id AND gp.user_id = u.id))"
        ),
        0
    );
}

#[test]
fn the_calendars_locale_keys_exist_in_both_languages() {
    let keys = |file: &str| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(file)
            .unwrap()
            .lines()
            .filter_map(|l| l.split_once(": ").map(|(k, _)| k.trim().to_string()))
            .collect()
    };
    let (zh, en) = (keys("src/locales/zh-CN.yml"), keys("src/locales/en.yml"));
    let mut used: Vec<String> = Vec::new();
    for file in [
        "templates/patrols/calendar/show.html",
        "src/patrols/calendar/pages.rs",
        "src/patrols/calendar/handlers.rs",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        for piece in text.split('"').skip(1).step_by(2) {
            if piece.starts_with("patrol_calendar.")
                && !piece.ends_with('.')
                && piece
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
            {
                used.push(piece.to_string());
            }
        }
    }
    // Built at run time.
    for n in 1..=7 {
        used.push(format!("patrol_calendar.wd.{n}"));
    }
    for k in ["work", "rest", "holiday", "moved"] {
        used.push(format!("patrol_calendar.kind.{k}"));
    }
    for s in ["patrolled", "missing", "none"] {
        used.push(format!("patrol_calendar.status.{s}"));
    }
    assert!(used.len() > 40, "{used:?}");
    for k in used {
        assert!(zh.contains(&k) && en.contains(&k), "{k}");
    }
}
