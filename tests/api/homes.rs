//! Each role's home (`/`) leads to its day's work, its figures recounted from the demo data with
//! raw SQL: the grid worker's grids with the two patrol buttons (the one-click log works from the
//! home) and issues to handle; the community clerk's huddle, overdue issues and grids not
//! patrolled; the street clerk's meetings to hold and months to freeze; the branch secretary's
//! branch, 三会一课, members not visited and opinions; the admin's status.

use chrono::{Datelike, Duration};

use crate::helpers::*;

/// Now in UTC as the database stores it, for raw comparisons with deadlines.
fn utc_now() -> String {
    chrono::Utc::now()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

fn path_of(app: &TestApp, name: &str) -> String {
    app.strings(&format!(
        "SELECT path AS s FROM org_units WHERE name = '{name}'"
    ))
    .remove(0)
}

/// The number a section's heading shows in its badge.
fn badge(page: &Resp, section: &str) -> String {
    page.text(&format!("{section} h2 .badge"))
}

#[test]
fn a_grid_worker_starts_with_the_patrol_buttons_and_the_issues_to_handle() {
    let app = spawn_app();
    let today = local_today();
    let grid = app.org_id("工人路社区第1网格");
    app.clear_patrols();
    let worker = app.login("worker");
    let home = worker.get("/");
    assert_eq!(home.status, 200);
    // The two buttons of the grid, first on the page; no counts of the tree.
    let first = home.doc();
    let main = scraper::Selector::parse("main section").unwrap();
    let top = first.select(&main).next().expect("a first section");
    let top_html = top.html();
    assert!(
        top_html.contains(&format!("/patrols/new?grid={grid}")),
        "{top_html}"
    );
    assert!(top_html.contains("action=\"/patrols/quick\""), "{top_html}");
    assert!(top.text().collect::<String>().contains("工人路社区第1网格"));
    assert!(!home.body.contains("社区/村") && !home.body.contains("重点部位"));
    // The issues to handle: mine, dispatched or in hand, nothing pending — the grid's given to
    // the worker, one of them overdue. Four reported here, as the demo's share of one grid
    // depends on the day the test runs.
    for i in 1..=4 {
        crate::issues::report(&worker, &format!("楼道堆物第{i}处"));
    }
    let w = app.user_id("worker");
    app.exec(&format!(
        "UPDATE issues SET handler_user_id = {w}, state = 'dispatched', pending = '', \
         deadline = '2999-01-01 00:00:00' WHERE id IN (SELECT id FROM issues \
         WHERE grid_id = {grid} ORDER BY id LIMIT 12)"
    ));
    app.exec(&format!(
        "UPDATE issues SET deadline = '2000-01-01 00:00:00' WHERE id = (SELECT MIN(id) \
         FROM issues WHERE handler_user_id = {w})"
    ));
    let home = worker.get("/");
    let handle = app.count(&format!(
        "SELECT COUNT(*) AS n FROM issues WHERE handler_user_id = {w} \
         AND state IN ('dispatched', 'handling') AND pending = ''"
    ));
    assert!(handle > 3, "{handle}");
    assert_eq!(badge(&home, ".home-issues"), handle.to_string());
    let rows = home.texts(".home-issues li.card");
    assert_eq!(rows.len() as i64, handle.min(10));
    assert!(rows[0].contains("超期"), "the overdue one first: {rows:?}");
    assert!(rows.iter().all(|r| r.contains("处置期限")), "{rows:?}");
    assert!(home.has(".home-issues a[href=\"/issues?todo=handle&sort=deadline\"]"));
    // The one-click "nothing to report" from the home: once, whatever the replays.
    let f = form_fields(&home, "/patrols/quick");
    let r = worker.post_raw("/patrols/quick", &pairs(&f));
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/patrols/"), "{}", r.location());
    assert_eq!(worker.post_raw("/patrols/quick", &pairs(&f)).status, 303);
    let logged = format!(
        "SELECT COUNT(*) AS n FROM patrols WHERE grid_id = {grid} AND day = '{today}' AND quick = TRUE"
    );
    assert_eq!(app.count(&logged), 1);
    let after = worker.get("/");
    assert!(!after.has("form[action=\"/patrols/quick\"]"));
    assert!(after.text("main section .tag.ok").contains("巡查无异常"));
    // Without the CSRF token nothing is logged.
    app.clear_patrols();
    let mut bad = f.clone();
    bad.retain(|(k, _)| k != "csrf_token");
    bad.push(("form_token".into(), "another".into()));
    assert_eq!(worker.post_raw("/patrols/quick", &pairs(&bad)).status, 403);
    assert_eq!(app.count(&logged), 0);
}

#[test]
fn a_community_clerk_opens_or_calls_todays_huddle_and_sees_the_communitys_backlog() {
    let app = spawn_app();
    let today = local_today();
    let community = app.org_id("工人路社区");
    let path = path_of(&app, "工人路社区");
    let clerk = app.login("cclerk");
    let home = clerk.get("/");
    assert_eq!(home.status, 200);
    // Today's huddle (the demo's; on a day off, its oldest moved to today): one click opens it.
    let todays = app.strings(&format!(
        "SELECT CAST(id AS TEXT) AS s FROM meetings WHERE unit_id = {community} \
         AND kind = 'huddle' AND day = '{today}'"
    ));
    let id = match todays.first() {
        Some(id) => id.parse::<i64>().unwrap(),
        None => {
            let id = app.count(&format!(
                "SELECT CAST(MIN(id) AS BIGINT) AS n FROM meetings \
                 WHERE unit_id = {community} AND kind = 'huddle'"
            ));
            app.exec(&format!(
                "UPDATE meetings SET day = '{today}' WHERE id = {id}"
            ));
            id
        }
    };
    let home = clerk.get("/");
    assert_eq!(
        home.attrs(".huddle a.button.primary", "href"),
        [format!("/meetings/{id}")]
    );
    // The community's overdue issues, none of another community's.
    let now = utc_now();
    let overdue = |scope: &str| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE scope_path LIKE '{scope}%' \
             AND state IN ('dispatched', 'handling', 'returned') AND deadline < '{now}'"
        ))
    };
    let street = path_of(&app, "林山寨街道");
    assert!(overdue(&street) > overdue(&path), "the street has more");
    assert_eq!(badge(&home, ".home-issues"), overdue(&path).to_string());
    for href in home.attrs(".home-issues li a[href^=\"/issues/\"]", "href") {
        let id = href.trim_start_matches("/issues/");
        let scope = app.strings(&format!(
            "SELECT scope_path AS s FROM issues WHERE id = {id}"
        ));
        assert!(scope[0].starts_with(&path), "{href} outside the community");
    }
    // The grids without a log today, of the community's grids.
    let grids = format!("kind = 'grid' AND path LIKE '{path}%'");
    let all = app.count(&format!(
        "SELECT COUNT(*) AS n FROM org_units WHERE {grids}"
    ));
    let idle = format!(
        "SELECT COUNT(*) AS n FROM org_units g WHERE {grids} AND NOT EXISTS \
         (SELECT 1 FROM patrols p WHERE p.grid_id = g.id AND p.day = '{today}')"
    );
    assert_eq!(
        badge(&home, ".unpatrolled"),
        format!("{}/{all}", app.count(&idle))
    );
    assert_eq!(home.texts(".unpatrolled li").len() as i64, app.count(&idle));
    app.clear_patrols();
    let none = clerk.get("/");
    assert_eq!(badge(&none, ".unpatrolled"), format!("{all}/{all}"));
    // No huddle today: the new-meeting form, filled in for today's huddle of the community.
    app.exec(&format!(
        "UPDATE meetings SET day = '{}' WHERE id = {id}",
        today - Duration::days(400)
    ));
    let home = clerk.get("/");
    let new = format!("/meetings/new?unit={community}&kind=huddle&day={today}");
    assert_eq!(
        home.attrs(".huddle a.button.primary", "href"),
        [new.as_str()]
    );
    let form = clerk.get(&new);
    assert_eq!(form.status, 200);
    let fields = form_fields(&form, "/meetings");
    let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    assert_eq!(field("kind").as_deref(), Some("huddle"));
    assert_eq!(field("unit_id"), Some(community.to_string()));
    assert_eq!(field("day"), Some(today.to_string()));
}

#[test]
fn a_street_clerk_sees_the_weeks_meetings_to_hold_and_the_months_to_freeze() {
    let app = spawn_app();
    let today = local_today();
    let street = path_of(&app, "林山寨街道");
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    let sunday = monday + Duration::days(6);
    // A meeting of the other street this week is not the clerk's.
    let drafts = |scope: &str| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM meetings WHERE scope_path LIKE '{scope}%' \
             AND state = 'draft' AND day >= '{monday}' AND day <= '{sunday}'"
        ))
    };
    let clerk = app.login("clerk");
    let home = clerk.get("/");
    assert_eq!(home.status, 200);
    let n = drafts(&street);
    assert_eq!(home.texts(".to-prepare li").len() as i64, n.min(10));
    assert_eq!(home.has(".to-prepare a[href^=\"/meetings?\"]"), n > 10);
    for href in home.attrs(".to-prepare li a", "href") {
        let id = href.trim_start_matches("/meetings/");
        let scope = app.strings(&format!(
            "SELECT scope_path AS s FROM meetings WHERE id = {id}"
        ));
        assert!(scope[0].starts_with(&street));
    }
    // The finished months of the year (of last month) not frozen; a leader freezes one.
    let last = today.with_day(1).unwrap().pred_opt().unwrap();
    let months: Vec<String> = (1..=last.month())
        .map(|m| format!("{}-{m:02}", last.year()))
        .collect();
    assert_eq!(home.texts(".to-freeze li"), months);
    let unit = app.org_id("林山寨街道");
    let freeze = app.login("leader").submit(
        &format!("/issues/figures?unit={unit}&from={0}&to={0}", months[0]),
        "/issues/figures/freeze",
        &[("unit", &unit.to_string()), ("month", &months[0])],
    );
    assert_eq!(freeze.status, 303);
    let after = clerk.get("/");
    assert_eq!(after.texts(".to-freeze li"), months[1..].to_vec());
}

#[test]
fn a_branch_secretary_records_in_one_click_and_sees_the_branchs_duties() {
    let app = spawn_app();
    let today = local_today();
    let s = app.user_id("secretary");
    let branch = app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM party_branches WHERE secretary_user_id = {s}"
    ));
    let home = app.login("secretary").get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.attrs(".branch h1 a", "href"),
        [format!("/party/branches/{branch}")]
    );
    assert_eq!(
        home.attrs(".branch a.button.primary", "href"),
        [format!("/party/branches/{branch}/activities/new")]
    );
    // 三会一课 held so far in this month (monthly kinds) and this quarter (quarterly ones).
    let month = today.with_day(1).unwrap();
    let quarter =
        chrono::NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1).unwrap();
    for (kind, from) in [
        ("committee", month),
        ("group_meeting", month),
        ("general_meeting", quarter),
        ("lecture", quarter),
    ] {
        let held = app.count(&format!(
            "SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {branch} \
             AND kind = '{kind}' AND day >= '{from}' AND day <= '{today}'"
        ));
        let card = home.text(&format!(".three-one li[data-kind=\"{kind}\"] strong"));
        assert_eq!(card, held.to_string(), "{kind}");
    }
    // Members in difficulty with no visit this year, by id or by name.
    let year = today.year();
    let unvisited = app.count(&format!(
        "SELECT COUNT(*) AS n FROM party_members m WHERE m.branch_id = {branch} \
         AND m.active = TRUE AND m.difficulty <> '' AND NOT EXISTS (SELECT 1 FROM \
         party_activities a WHERE a.branch_id = {branch} AND a.kind = 'visit' \
         AND a.day >= '{year}-01-01' AND a.day <= '{year}-12-31' \
         AND (a.visited_member_id = m.id OR TRIM(a.visited) = m.name))"
    ));
    assert_eq!(badge(&home, ".unvisited"), unvisited.to_string());
    assert_eq!(home.texts(".unvisited li").len() as i64, unvisited);
    // Opinions waiting for an answer in the secretary's scope.
    let scope = path_of(&app, "工人路社区");
    let open = format!(
        "SELECT COUNT(*) AS n FROM party_opinions WHERE state = 'open' \
         AND scope_path LIKE '{scope}%'"
    );
    assert_eq!(badge(&home, ".opinions"), app.count(&open).to_string());
    assert_eq!(
        home.texts(".opinions li").len() as i64,
        app.count(&open).min(10)
    );
}

#[test]
fn the_admin_sees_locked_and_unused_accounts_the_calendar_and_the_last_backup() {
    let app = spawn_app();
    let today = local_today();
    app.exec("UPDATE users SET locked_until = '2999-01-01 00:00:00' WHERE username = 'worker'");
    app.exec("UPDATE users SET last_login_at = NULL WHERE username IN ('clerk', 'cclerk')");
    let admin = app.login("admin");
    let home = admin.get("/");
    assert_eq!(home.status, 200);
    let locked =
        app.count("SELECT COUNT(*) AS n FROM users WHERE locked_until > '2990-01-01 00:00:00'");
    let never =
        app.count("SELECT COUNT(*) AS n FROM users WHERE active = TRUE AND last_login_at IS NULL");
    assert_eq!((locked, never), (1, 2));
    assert_eq!(home.text(".admin-status strong.locked"), "1");
    assert_eq!(home.text(".admin-status strong.never"), "2");
    // The list behind the count shows the same accounts.
    let list = admin.get("/users?status=never");
    assert_eq!(list.status, 200);
    let rows = list.texts("table.list tbody tr");
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().any(|r| r.contains("cclerk")), "{rows:?}");
    // Next year's calendar: the demo enters none.
    let next = today.year() + 1;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM work_calendar WHERE day >= '{next}-01-01'"
        )),
        0
    );
    let cal = home.text(".admin-status .calendar");
    assert!(cal.contains(&format!("{next} 年日历未录入")), "{cal}");
    assert_eq!(
        home.has(".admin-status .calendar .tag"),
        today.month() == 12
    );
    // No backup recorded, said so; then one written by `gridwork backup`.
    assert!(home.text(".admin-status .backup").contains("没有备份记录"));
    if app.db_url.starts_with("postgres") {
        return; // pg_dump's backup is the restore drill's to test
    }
    let file = app.data_dir().join("backup-home.db");
    {
        let mut c = app.conn();
        gridwork::backup::run(&mut c, &app.db_url, &file).unwrap();
    }
    let home = admin.get("/");
    let backup = home.text(".admin-status .backup");
    assert!(backup.contains("0 天前备份"), "{backup}");
    assert!(home.has(".admin-status a[href=\"/audit?action=backup\"]"));
}

#[test]
fn a_leaders_home_has_no_admin_panel() {
    let app = spawn_app();
    let home = app.login("leader").get("/");
    assert_eq!(home.status, 200);
    assert!(!home.has(".admin-status"));
}
