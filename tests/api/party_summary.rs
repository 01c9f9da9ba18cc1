//! The party summary and a branch's ledger through the HTTP layer, on activity rows written with
//! SQL: per-month and per-kind counts equal to raw counts, a silent branch listed, 三会一课 done
//! against the rhythm, the unvisited member in difficulty named, the workbook, the ledger with
//! its absentees, and the scope.

use chrono::Datelike;
use gridwork::party::domain::due_count;

use crate::helpers::*;
use crate::party::id_after;

/// A community branch registered by the street clerk, the demo secretary keeping it.
fn branch(app: &TestApp, clerk: &Client, name: &str, community: &str) -> i32 {
    let unit = app.org_id(community).to_string();
    let secretary = app.user_id("secretary").to_string();
    let r = clerk.submit(
        "/party/branches/new",
        "/party/branches",
        &[
            ("name", name),
            ("kind", "community"),
            ("unit_id", &unit),
            ("secretary", "刘桂芳"),
            ("secretary_user_id", &secretary),
            ("first_secretary", "赵立新"),
        ],
    );
    id_after(&r, "/party/branches/")
}

fn member(app: &TestApp, c: &Client, branch: i32, name: &str, difficulty: &str) -> i32 {
    let r = c.submit(
        &format!("/party/branches/{branch}/members/new"),
        &format!("/party/branches/{branch}/members"),
        &[
            ("name", name),
            ("gender", "female"),
            ("joined_on", "1980-07-01"),
            ("phone", "13912345678"),
            ("difficulty", difficulty),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM party_members WHERE branch_id = {branch} AND name = '{name}'"
    )) as i32
}

/// Writes an activity row as the activity form would (SQL that both backends take).
fn activity(app: &TestApp, branch: i32, kind: &str, day: &str, title: &str, visited: Option<i32>) {
    let scope = app
        .strings(&format!(
            "SELECT scope_path AS s FROM party_branches WHERE id = {branch}"
        ))
        .remove(0);
    let visited = visited.map_or("NULL".to_string(), |v| v.to_string());
    app.exec(&format!(
        "INSERT INTO party_activities (branch_id, scope_path, kind, title, day, start_time, \
         end_time, place, host, recorder, content, outcomes, expected, present, \
         visited_member_id, created_at, updated_at) VALUES ({branch}, '{scope}', '{kind}', \
         '{title}', '{day}', '09:00', '10:30', '党群服务中心', '刘桂芳', '张华', '学习内容', \
         '形成共识', 12, 10, {visited}, '{day} 09:00:00', '{day} 09:00:00')"
    ));
}

fn cell(r: &Resp, css: &str) -> i64 {
    let t = r.text(css);
    t.trim().parse().unwrap_or_else(|_| panic!("{css}: {t:?}"))
}

#[test]
fn the_summary_counts_what_the_branches_recorded() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let a = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    let b = branch(&app, &clerk, "桐柏路社区党支部", "桐柏路社区");
    let visited = member(&app, &clerk, a, "张秀兰", "difficult");
    member(&app, &clerk, a, "李明", "very_difficult");
    member(&app, &clerk, a, "周丽", "");
    // Last year, a whole year: its rhythm is fixed whatever today is.
    let y = local_today().year() - 1;
    for m in 1..=3 {
        activity(
            &app,
            a,
            "committee",
            &format!("{y}-{m:02}-10"),
            &format!("{m}月支委会"),
            None,
        );
    }
    activity(
        &app,
        a,
        "general_meeting",
        &format!("{y}-03-20"),
        "一季度党员大会",
        None,
    );
    activity(
        &app,
        a,
        "lecture",
        &format!("{y}-02-15"),
        "书记讲党课",
        None,
    );
    activity(
        &app,
        a,
        "group_meeting",
        &format!("{y}-01-12"),
        "党小组会",
        None,
    );
    activity(
        &app,
        a,
        "themed_day",
        &format!("{y}-06-01"),
        "主题党日一",
        None,
    );
    activity(
        &app,
        a,
        "themed_day",
        &format!("{y}-06-20"),
        "主题党日二",
        None,
    );
    activity(
        &app,
        a,
        "visit",
        &format!("{y}-06-25"),
        "端午走访",
        Some(visited),
    );
    activity(
        &app,
        a,
        "study",
        &format!("{}-12-30", y - 1),
        "前年的学习",
        None,
    );
    let recent = local_today() - chrono::Duration::days(5);
    activity(&app, a, "study", &recent.to_string(), "近期学习", None);
    activity(
        &app,
        b,
        "committee",
        &format!("{y}-01-08"),
        "桐柏一月支委会",
        None,
    );
    activity(
        &app,
        b,
        "committee",
        &format!("{y}-01-08"),
        "桐柏一月支委会补",
        None,
    );
    activity(
        &app,
        b,
        "committee",
        &format!("{y}-01-28"),
        "桐柏一月支委会二",
        None,
    );
    activity(&app, b, "study", &format!("{y}-11-03"), "桐柏学习", None);

    let r = clerk.get(&format!("/party/summary?year={y}"));
    assert_eq!(r.status, 200, "{}", r.body);
    // Month by month, and kind by kind, the raw counts.
    for br in [a, b] {
        for m in 1..=12u32 {
            let from = format!("{y}-{m:02}-01");
            let to = if m == 12 {
                format!("{}-01-01", y + 1)
            } else {
                format!("{y}-{:02}-01", m + 1)
            };
            let raw = app.count(&format!(
                "SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {br} \
                 AND day >= '{from}' AND day < '{to}'"
            ));
            let shown = cell(
                &r,
                &format!("#by-month tr[data-branch=\"{br}\"] td[data-month=\"{m}\"]"),
            );
            assert_eq!(shown, raw, "branch {br} month {m}");
        }
        for k in [
            "committee",
            "general_meeting",
            "lecture",
            "themed_day",
            "visit",
            "study",
        ] {
            let raw = app.count(&format!(
                "SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {br} \
                 AND kind = '{k}' AND day >= '{y}-01-01' AND day <= '{y}-12-31'"
            ));
            let shown = cell(
                &r,
                &format!("#by-kind tr[data-branch=\"{br}\"] td[data-kind=\"{k}\"]"),
            );
            assert_eq!(shown, raw, "branch {br} kind {k}");
        }
    }
    assert_eq!(
        cell(
            &r,
            &format!("#by-month tr[data-branch=\"{b}\"] td[data-month=\"1\"]")
        ),
        3
    );
    // The quarter: the first quarter's committee meetings of A.
    let q1 = clerk.get(&format!("/party/summary?year={y}&quarter=1"));
    assert_eq!(
        cell(
            &q1,
            &format!("#by-kind tr[data-branch=\"{a}\"] td[data-kind=\"committee\"]")
        ),
        3
    );
    assert_eq!(
        cell(
            &q1,
            &format!("#by-kind tr[data-branch=\"{a}\"] td[data-kind=\"themed_day\"]")
        ),
        0
    );
    // 三会一课 against the rhythm of the whole year.
    let (jan, dec) = (
        chrono::NaiveDate::from_ymd_opt(y, 1, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(y, 12, 31).unwrap(),
    );
    for (kind, done) in [
        ("committee", 3),
        ("general_meeting", 1),
        ("lecture", 1),
        ("group_meeting", 1),
    ] {
        let row = format!("#three-one tr[data-branch=\"{a}\"] td[data-kind=\"{kind}\"]");
        assert_eq!(cell(&r, &format!("{row} .done")), done, "{kind}");
        assert_eq!(
            cell(&r, &format!("{row} .due")),
            i64::from(due_count(kind, jan, dec)),
            "{kind}"
        );
    }
    assert_eq!(
        cell(
            &r,
            &format!("#three-one tr[data-branch=\"{b}\"] td[data-kind=\"committee\"] .done")
        ),
        3
    );
    // Silent: B (its last activity last November), not A (five days ago).
    assert!(r.has(&format!("#silent tr[data-branch=\"{b}\"]")));
    assert!(!r.has(&format!("#silent tr[data-branch=\"{a}\"]")));
    // Visits: one; the member in difficulty not visited is named.
    assert_eq!(
        cell(&r, &format!("#visits tr[data-branch=\"{a}\"] td.num")),
        1
    );
    let unvisited = r.text(&format!("#visits tr[data-branch=\"{a}\"] .unvisited"));
    assert!(unvisited.contains("李明"), "{unvisited}");
    assert!(!unvisited.contains("张秀兰") && !unvisited.contains("周丽"));
    // The workbook names both branches; the unit filter narrows to one.
    let xlsx = clerk.get(&format!("/party/summary/export.xlsx?year={y}"));
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("工人路社区党支部") && text.contains("桐柏路社区党支部"));
    assert!(text.contains("李明"));
    let tongbai = app.org_id("桐柏路社区");
    let only = clerk.get(&format!("/party/summary?year={y}&unit={tongbai}"));
    assert!(only.has(&format!("#by-month tr[data-branch=\"{b}\"]")));
    assert!(!only.has(&format!("#by-month tr[data-branch=\"{a}\"]")));
    // A bad year is a message.
    let bad = clerk.get("/party/summary?year=19x");
    assert_eq!(bad.status, 200);
    assert!(bad.has("#e-year"));
    // Another community's clerk reads their own branch only; a grid worker nothing.
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {a}"
    ));
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let r = tclerk.get(&format!("/party/summary?year={y}"));
    assert!(r.has(&format!("#by-month tr[data-branch=\"{b}\"]")));
    assert!(!r.body.contains("工人路社区党支部"));
    let gongrenlu = app.org_id("工人路社区");
    assert_eq!(
        tclerk
            .get(&format!("/party/summary?unit={gongrenlu}"))
            .status,
        404
    );
    let xlsx = tclerk.get(&format!("/party/summary/export.xlsx?year={y}"));
    assert!(!xlsx_text(&xlsx.bytes).contains("工人路社区党支部"));
    assert_eq!(app.login("worker").get("/party/summary").status, 403);
}

#[test]
fn a_branch_ledger_prints_the_year_with_its_absentees() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let a = branch(&app, &clerk, "工人路社区党支部", "工人路社区");
    let present = member(&app, &clerk, a, "张秀兰", "");
    let absent = member(&app, &clerk, a, "李明", "");
    let y = local_today().year() - 1;
    activity(
        &app,
        a,
        "committee",
        &format!("{y}-03-10"),
        "三月支委会",
        None,
    );
    activity(
        &app,
        a,
        "general_meeting",
        &format!("{y}-01-20"),
        "年初党员大会",
        None,
    );
    activity(
        &app,
        a,
        "themed_day",
        &format!("{y}-07-01"),
        "七一主题党日",
        None,
    );
    activity(
        &app,
        a,
        "study",
        &format!("{}-12-30", y + 1),
        "明年的学习",
        None,
    );
    let on_leave = member(&app, &clerk, a, "周丽", "");
    let meeting = app
        .count("SELECT CAST(id AS BIGINT) AS n FROM party_activities WHERE title = '年初党员大会'");
    app.exec(&format!(
        "INSERT INTO party_attendance (activity_id, member_id, attendance, reason) VALUES \
         ({meeting}, {present}, 'present', ''), ({meeting}, {absent}, 'absent', '住院治疗'), \
         ({meeting}, {on_leave}, 'leave', '外出务工')"
    ));
    // The themed day served a grid and an issue of the community.
    let themed = app
        .count("SELECT CAST(id AS BIGINT) AS n FROM party_activities WHERE title = '七一主题党日'");
    let grid =
        app.count("SELECT CAST(org_unit_id AS BIGINT) AS n FROM users WHERE username = 'worker'");
    let issue = crate::issues::report(&app.login("worker"), "楼道堆放杂物");
    app.exec(&format!(
        "INSERT INTO party_activity_links (activity_id, grid_id, issue_id) VALUES \
         ({themed}, {grid}, NULL), ({themed}, NULL, {issue})"
    ));
    assert!(
        clerk
            .get(&format!("/party/branches/{a}"))
            .has(&format!("#to-ledger[href=\"/party/branches/{a}/ledger\"]"))
    );
    assert!(clerk.get("/party").has("#to-summary"));
    let path = format!("/party/branches/{a}/ledger?year={y}");
    let r = clerk.get(&path);
    assert_eq!(r.status, 200, "{}", r.body);
    // Every activity of the year, in date order, each month its own section.
    assert_eq!(
        r.texts(".ledger-activity .title"),
        vec!["年初党员大会", "三月支委会", "七一主题党日"]
    );
    assert_eq!(r.texts(".ledger-month").len(), 3);
    let absentees = r.text(&format!(
        ".ledger-activity[data-activity=\"{meeting}\"] .absentees"
    ));
    assert!(
        absentees.contains("李明") && absentees.contains("住院治疗"),
        "{absentees}"
    );
    assert!(!absentees.contains("张秀兰"));
    // Absent and on leave are told apart.
    let sel = |c: &str| format!(".ledger-activity[data-activity=\"{meeting}\"] .{c}");
    assert!(r.text(&sel("absent")).contains("李明") && !r.text(&sel("absent")).contains("周丽"));
    assert!(r.text(&sel("leave")).contains("周丽（外出务工）"));
    let themed_sel = |c: &str| format!(".ledger-activity[data-activity=\"{themed}\"] .{c}");
    assert!(
        r.text(&themed_sel("grids")).contains("第1网格"),
        "{}",
        r.text(&themed_sel("grids"))
    );
    assert!(r.text(&themed_sel("issues")).contains("楼道堆放杂物"));
    assert!(r.text("#ledger-first-secretary").contains("赵立新"));
    assert!(r.text("#ledger-members").contains("13912345678"));
    assert!(r.has("#ledger-summary"));
    assert!(r.has("[data-print]"));
    // A secretary of the community who does not keep the branch reads the phones masked.
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id = {a}"
    ));
    app.add_user("secretary2", "branch_secretary", "工人路社区");
    let s2 = app.login("secretary2").get(&path);
    assert_eq!(s2.status, 200);
    assert!(s2.text("#ledger-members").contains("139****5678"));
    assert!(!s2.body.contains("13912345678"));
    // Outside the scope: not found.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let r = app.login("tclerk").get(&path);
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("年初党员大会"));
    assert_eq!(app.login("worker").get(&path).status, 404);
}

#[test]
fn a_districts_summary_adds_up_its_streets_and_follows_new_records() {
    let app = spawn_app();
    let y = local_today().year();
    let admin = app.login("admin");
    let leader = app.login("leader");
    let lsz = app.org_id("林山寨街道");
    let row = format!("#by-month tr[data-street=\"{lsz}\"]");
    let r = admin.get(&format!("/party/summary?year={y}"));
    assert_eq!(r.status, 200);
    // The district reads per street, each line linking to the street's own summary.
    assert!(r.has("#rollup-note"));
    assert!(r.has(&row), "{}", r.body);
    assert!(!r.has("#by-month tr[data-branch]"));
    assert!(r.has(&format!("#three-one tr[data-street=\"{lsz}\"]")));
    assert!(r.has(&format!("#visits tr[data-street=\"{lsz}\"]")));
    assert!(r.has(&format!(
        "{row} a[href=\"/party/summary?unit={lsz}&year={y}\"]"
    )));
    let street_total = cell(&r, &format!("{row} td.total"));
    // The street's line equals what the street's leader reads for the street.
    let own = leader.get(&format!("/party/summary?year={y}"));
    assert!(!own.has("#rollup-note") && own.has("#by-month tr[data-branch]"));
    assert_eq!(street_total, cell(&own, "#sum-activities"));
    let drilled = admin.get(&format!("/party/summary?unit={lsz}&year={y}"));
    assert_eq!(cell(&drilled, "#sum-activities"), street_total);
    assert!(drilled.has("#by-month tr[data-branch]"));
    // A new record shows at once (the kept summary is read again when an activity is added).
    let branch = app.count(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM party_branches WHERE name = '工人路社区党支部'",
    ) as i32;
    activity(
        &app,
        branch,
        "lecture",
        &format!("{y}-01-15"),
        "新的党课",
        None,
    );
    let again = admin.get(&format!("/party/summary?year={y}"));
    assert_eq!(cell(&again, &format!("{row} td.total")), street_total + 1);
    // The workbook leads with the streets' sheet.
    let xlsx = admin.get(&format!("/party/summary/export.xlsx?year={y}"));
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(
        text.contains("达标支部") && text.contains("林山寨街道"),
        "{text}"
    );
}
