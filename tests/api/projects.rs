//! Key projects (issue 19) through the HTTP layer: the ledger with its filters, export and
//! printout, the project form (422 by the field with everything kept, one record per double
//! submit, 409 on a stale edit), scope (404 that leaks nothing), roles (403) and the audit row.

use crate::helpers::*;

pub fn id_after(r: &Resp) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/projects/")
        .split(['#', '?', '/'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// The street clerk registers a project kept by `unit`; returns its id.
pub fn project(app: &TestApp, c: &Client, name: &str, unit: &str, extra: &[(&str, &str)]) -> i32 {
    let unit = app.org_id(unit).to_string();
    let mut f = vec![
        ("name", name),
        ("level", "street"),
        ("class", "urban"),
        ("owner", "郑州市棉麻公司"),
        ("place", "林山寨街道"),
        ("content", "家属区连片改造，占地约 40 亩"),
        ("total", "40000"),
        ("plan_year", "2026"),
        ("year_plan", "12000.5"),
        ("leader", "王东甫"),
        ("person", "李主任"),
        ("unit_id", &unit),
    ];
    f.extend_from_slice(extra);
    id_after(&c.submit("/projects/new", "/projects", &f))
}

#[test]
fn a_clerk_keeps_the_ledger_of_key_projects() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    // Bad input: each message by its field, everything typed kept.
    let unit = app.org_id("林山寨街道").to_string();
    let bad = clerk.submit(
        "/projects/new",
        "/projects",
        &[
            ("name", "棉麻公司家属区连片改造"),
            ("total", "-5"),
            ("year_plan", "1.234"),
            ("planned_start", "2026-06-01"),
            ("planned_finish", "2026-01-01"),
            ("unit_id", &unit),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-total"));
    assert!(bad.has("#e-year_plan"));
    assert!(bad.has("#e-planned_finish"));
    assert_eq!(
        bad.value("#f-name").as_deref(),
        Some("棉麻公司家属区连片改造")
    );
    assert_eq!(bad.value("#f-total").as_deref(), Some("-5"));
    // A double submit makes one project.
    let page = clerk.get("/projects/new");
    let mut f = form_fields(&page, "/projects");
    for (k, v) in [
        ("name", "棉麻公司家属区连片改造"),
        ("total", "40000"),
        ("year_plan", "12000.5"),
        ("plan_year", "2026"),
        ("leader", "王东甫"),
    ] {
        set_field(&mut f, k, v);
    }
    let first = clerk.post_raw("/projects", &pairs(&f));
    let again = clerk.post_raw("/projects", &pairs(&f));
    assert_eq!(first.location(), again.location());
    let id = id_after(&first);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM projects WHERE name = '棉麻公司家属区连片改造' AND year_plan_cents = 1200050"),
        1
    );
    // Money is kept exactly, in hundredths of 万元.
    assert_eq!(
        app.count(&format!(
            "SELECT year_plan_cents AS n FROM projects WHERE id = {id}"
        )),
        1_200_050
    );
    let show = clerk.get(&format!("/projects/{id}"));
    assert_eq!(show.status, 200);
    assert_eq!(show.text("#year-plan"), "12000.5");
    assert!(show.text("#leader").contains("王东甫"));
    // The audit row.
    let audit = app.strings(&format!(
        "SELECT summary AS s FROM audit_log WHERE entity = 'project' AND entity_id = {id}"
    ));
    assert_eq!(audit.len(), 1);
    // The ledger, filtered, and its export.
    project(
        &app,
        &clerk,
        "恒大中原经贸中心",
        "林山寨街道",
        &[("level", "city"), ("total", "680000")],
    );
    let ledger = clerk.get("/projects?level=city");
    assert_eq!(ledger.status, 200);
    assert!(ledger.text("#ledger").contains("恒大中原经贸中心"));
    assert!(!ledger.text("#ledger").contains("棉麻公司家属区连片改造"));
    assert!(ledger.text("#ledger").contains("680000"));
    let all = clerk.get("/projects?q=%E6%A3%89%E9%BA%BB");
    assert!(all.has(&format!("tr[data-id=\"{id}\"]")));
    let xlsx = clerk.get("/projects/export.xlsx?level=city");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("恒大中原经贸中心"));
    assert!(text.contains("预警灯"));
    assert!(!text.contains("棉麻公司家属区连片改造"));
    // The printout: landscape, in the shared frame, with every column of the ledger.
    let print = clerk.get("/projects/print");
    assert_eq!(print.status, 200);
    assert!(print.has("body.landscape"));
    assert!(print.has("#print-title-block"));
    assert!(print.has("#print-foot"));
    assert_eq!(print.texts("#ledger thead th").len(), 16);
}

#[test]
fn a_stale_edit_is_refused_with_both_versions() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = project(&app, &clerk, "嵩阳苑改造", "林山寨街道", &[]);
    let edit = format!("/projects/{id}/edit");
    let record = format!("/projects/{id}");
    let seen = clerk.get(&edit);
    let leader = app.login("leader");
    assert_eq!(
        leader
            .submit(&edit, &record, &[("person", "甲科长")])
            .status,
        303
    );
    let mut f = form_fields(&seen, &record);
    set_field(&mut f, "person", "乙科长");
    let r = clerk.post_raw(&record, &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict").contains("甲科长"));
    assert_eq!(r.value("#f-person").as_deref(), Some("乙科长"));
    // A second submit overwrites deliberately.
    let f = form_fields(&r, &record);
    assert_eq!(clerk.post_raw(&record, &pairs(&f)).status, 303);
    assert!(clerk.get(&record).text("#office").contains("乙科长"));
}

#[test]
fn projects_follow_the_org_scope_and_roles() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let id = project(&app, &clerk, "工人路社区改造", "工人路社区", &[]);
    let other = project(&app, &clerk, "桐柏路社区改造", "桐柏路社区", &[]);
    // Another community's clerk: not found, nothing leaked, not in the ledger or the export.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    let r = tclerk.get(&format!("/projects/{id}"));
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("工人路社区改造"));
    assert_eq!(tclerk.get(&format!("/projects/{id}/edit")).status, 404);
    let ledger = tclerk.get("/projects");
    assert!(!ledger.body.contains("工人路社区改造"));
    assert!(ledger.body.contains("桐柏路社区改造"));
    assert!(!xlsx_text(&tclerk.get("/projects/export.xlsx").bytes).contains("工人路社区改造"));
    assert!(
        !tclerk
            .get("/projects/print")
            .body
            .contains("工人路社区改造")
    );
    assert_eq!(tclerk.get(&format!("/projects/{other}")).status, 200);
    // A branch secretary of the community reads the project but may not write it.
    let secretary = app.login("secretary");
    assert_eq!(secretary.get(&format!("/projects/{id}")).status, 200);
    assert_eq!(secretary.get(&format!("/projects/{id}/edit")).status, 403);
    assert_eq!(secretary.get("/projects/new").status, 403);
    let token = secretary.csrf(&format!("/projects/{id}"));
    let r = secretary.post_raw(
        "/projects",
        &[("csrf_token", &token), ("name", "x"), ("form_token", "t")],
    );
    assert_eq!(r.status, 403);
}

fn this_month() -> (String, i32) {
    let t = local_today();
    (t.format("%Y-%m").to_string(), chrono::Datelike::year(&t))
}

#[test]
fn milestones_run_side_by_side_and_reports_lock_their_month() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let (month, year) = this_month();
    let year = year.to_string();
    let id = project(
        &app,
        &clerk,
        "恒大中原经贸中心",
        "林山寨街道",
        &[
            ("plan_year", &year),
            ("year_plan", "1200"),
            ("planned_start", "2000-01-01"),
        ],
    );
    // The nine stages are made with the project; two can be in progress at once.
    let page = clerk.get(&format!("/projects/{id}"));
    assert_eq!(page.texts("table.milestones tbody tr").len(), 9);
    let mid = |stage: &str| {
        app.count(&format!(
            "SELECT CAST(id AS BIGINT) AS n FROM project_milestones WHERE project_id = {id} AND stage = '{stage}'"
        ))
    };
    for stage in ["demolition", "planning"] {
        let m = mid(stage);
        let r = clerk.submit(
            &format!("/projects/{id}/milestones/{m}/edit"),
            &format!("/projects/{id}/milestones/{m}"),
            &[("status", "in_progress"), ("planned_on", "2026-05-14")],
        );
        assert_eq!(r.status, 303, "{}", r.body);
    }
    // Done needs its day; the note typed stays.
    let m = mid("signed");
    let bad = clerk.submit(
        &format!("/projects/{id}/milestones/{m}/edit"),
        &format!("/projects/{id}/milestones/{m}"),
        &[("status", "done"), ("note", "中博会期间签约")],
    );
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-actual_on"));
    assert_eq!(bad.value("#f-note").as_deref(), Some("中博会期间签约"));
    // A stale milestone edit: 409.
    let edit = format!("/projects/{id}/milestones/{m}/edit");
    let action = format!("/projects/{id}/milestones/{m}");
    let seen = clerk.get(&edit);
    assert_eq!(
        app.login("leader")
            .submit(
                &edit,
                &action,
                &[("status", "done"), ("actual_on", "2013-04-20")]
            )
            .status,
        303
    );
    let mut f = form_fields(&seen, &action);
    set_field(&mut f, "note", "乙");
    assert_eq!(clerk.post_raw(&action, &pairs(&f)).status, 409);
    let ledger = clerk.get("/projects");
    let row = format!("tr[data-id=\"{id}\"]");
    let stage = ledger.text(&format!("{row} .stage"));
    assert!(
        stage.contains("规划审批") && stage.contains("拆迁"),
        "{stage}"
    );
    // Planned to start long ago and not started: red.
    assert!(ledger.has(&format!("tr[data-id=\"{id}\"][data-light=\"red\"]")));
    // The monthly report: the month's figure, the cumulative computed.
    let new = format!("/projects/{id}/reports/new");
    let post = format!("/projects/{id}/reports");
    let r = clerk.submit(
        &new,
        &post,
        &[
            ("month", &month),
            ("done", "100.25"),
            ("progress", "地基开挖"),
            ("problems", "地价协商"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // The month is locked: a second entry without a reason is refused, what was typed kept.
    let locked = clerk.submit(&new, &post, &[("month", &month), ("done", "150")]);
    assert_eq!(locked.status, 422);
    assert!(locked.has("#e-reason"));
    assert_eq!(locked.value("#f-done").as_deref(), Some("150"));
    // A month to come cannot be reported; a bad amount neither.
    let future = clerk.submit(&new, &post, &[("month", "2999-01"), ("done", "-1")]);
    assert_eq!(future.status, 422);
    assert!(future.has("#e-month") && future.has("#e-done"));
    // A reasoned correction replaces the month's figure; the first entry stays, marked.
    let r = clerk.submit(
        &new,
        &post,
        &[
            ("month", &month),
            ("done", "150"),
            ("reason", "统计口径更正"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM project_reports WHERE project_id = {id}"
        )),
        2
    );
    let page = clerk.get(&format!("/projects/{id}"));
    assert_eq!(page.texts("table.reports tbody tr").len(), 2);
    assert_eq!(page.texts("table.reports tr.replaced").len(), 1);
    assert!(page.has("#reports figure.chart svg"));
    let ledger = clerk.get("/projects");
    assert_eq!(ledger.text(&format!("{row} .month-done")), "150");
    assert_eq!(ledger.text(&format!("{row} .year-done")), "150");
    assert_eq!(ledger.text(&format!("{row} .of-plan")), "12.5%");
    assert!(ledger.text(&format!("{row} .problems")).is_empty());
    // Reports are audited; the street's project is not found for a community's branch
    // secretary.
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'project_report'"),
        2
    );
    assert_eq!(app.login("secretary").get(&new).status, 404);
}

#[test]
fn the_demo_shows_the_seed_projects() {
    let app = spawn_app();
    let leader = app.login("leader");
    let ledger = leader.get("/projects");
    let text = ledger.text("#ledger");
    assert!(text.contains("恒大中原经贸中心") && text.contains("680000"));
    assert!(text.contains("棉麻公司家属区连片改造开发"));
    // 68亿 kept exactly: 680,000 万元 in hundredths.
    assert_eq!(
        app.count("SELECT total_cents AS n FROM projects WHERE name = '恒大中原经贸中心'"),
        68_000_000
    );
    // The cockpit's tile counts the lights as the ledger shows them.
    let home = leader.get("/");
    let n: usize = ["red", "yellow", "green"]
        .iter()
        .map(|l| {
            home.text(&format!("#c-projects-{l} strong"))
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(n, ledger.texts("#ledger tbody tr").len());
}
