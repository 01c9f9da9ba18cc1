//! A grid worker's patrol log through the HTTP layer: the form with key sites, visits and
//! problems (which become issues), the one-click "nothing to report", edits and corrections, and
//! the promises (bad input, double submits, stale edits, session timeouts, scope, masking).

use crate::helpers::*;
use crate::issues::png;

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

fn yesterday() -> String {
    (local_today() - chrono::Duration::days(1)).to_string()
}

fn today() -> String {
    local_today().to_string()
}

/// The active key sites of a grid, in id order.
fn sites(app: &TestApp, grid: i32) -> Vec<i64> {
    app.strings(&format!(
        "SELECT CAST(id AS TEXT) AS s FROM key_sites WHERE grid_id = {grid} AND active = TRUE ORDER BY id"
    ))
    .iter()
    .map(|s| s.parse().unwrap())
    .collect()
}

fn patrols(app: &TestApp) -> i64 {
    app.count("SELECT COUNT(*) AS n FROM patrols")
}

/// The worker's form, filled: yesterday 08:30–11:00, a route, the first key site normal, the
/// second with a problem, one household visit.
fn filled(app: &TestApp, c: &Client) -> Vec<(String, String)> {
    let grid = app.org_id("工人路社区第1网格");
    if sites(app, grid).len() < 2 {
        // The demo gives a grid one to three key sites; these tests check two.
        app.exec(&format!(
            "INSERT INTO key_sites (grid_id, name, kind, address, patrol_days, notes, active, \
             version, created_at, updated_at) SELECT grid_id, name || '（东区）', kind, address, \
             patrol_days, notes, active, version, created_at, updated_at FROM key_sites \
             WHERE grid_id = {grid}"
        ));
    }
    let s = sites(app, grid);
    let page = c.get("/patrols/new");
    assert_eq!(page.status, 200, "{}", page.body);
    let mut f = form_fields(&page, "/patrols");
    set(&mut f, "day", &yesterday());
    set(&mut f, "started_at", "08:30");
    set(&mut f, "ended_at", "11:00");
    set(&mut f, "route", "工人路—桐柏路—市场东门");
    set(&mut f, &format!("site_finding_{}", s[0]), "normal");
    set(&mut f, &format!("site_finding_{}", s[1]), "problem");
    set(&mut f, &format!("site_note_{}", s[1]), "消防通道堆放杂物");
    set(
        &mut f,
        "visit_address_0",
        "工人路 12 号院 3 号楼 2 单元 301",
    );
    set(&mut f, "visit_householder_0", "王秀英");
    set(&mut f, "visit_phone_0", "13812345678");
    set(&mut f, "visit_learned_0", "独居老人，身体尚可");
    set(&mut f, "visit_needs_0", "希望有人定期探望");
    f
}

fn id_of(r: &Resp) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/patrols/")
        .parse()
        .unwrap()
}

#[test]
fn a_worker_logs_a_patrol_whose_problem_becomes_a_linked_issue() {
    let app = spawn_app();
    let worker = app.login("worker");
    let mut f = filled(&app, &worker);
    set(&mut f, "problem_title_0", "楼道堆放杂物");
    set(&mut f, "problem_category_0", "802");
    set(&mut f, "problem_address_0", "工人路 12 号院");
    let issues_before = app.count("SELECT COUNT(*) AS n FROM issues");
    let png = png();
    let r = worker.multipart(
        "/patrols",
        &f,
        &[("problem_photos_0", "a.png", "image/png", &png[..])],
    );
    let id = id_of(&r);
    let row = app.strings(&format!(
        "SELECT sites_checked || ',' || site_problems || ',' || visits || ',' || problems || ',' || started_at AS s FROM patrols WHERE id = {id}"
    ));
    assert_eq!(row[0], "2,1,1,1,08:30");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issues"),
        issues_before + 1
    );
    let issue = app.count(&format!(
        "SELECT CAST(issue_id AS BIGINT) AS n FROM patrol_issues WHERE patrol_id = {id}"
    ));
    assert_eq!(
        app.strings(&format!(
            "SELECT source AS s FROM issues WHERE id = {issue}"
        )),
        vec!["patrol"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_photos WHERE issue_id = {issue}"
        )),
        1
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'patrol' AND entity_id = {id}"
        )),
        1
    );
    let page = worker.get(&format!("/patrols/{id}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("楼道堆放杂物"));
    assert!(page.body.contains("消防通道堆放杂物"));
    // Key sites are named with their kind in words, not its code.
    let grid = app.org_id("工人路社区第1网格");
    for kind in app.strings(&format!(
        "SELECT kind AS s FROM key_sites WHERE grid_id = {grid}"
    )) {
        assert!(
            !page.body.contains(&format!("muted\">{kind}<")),
            "{kind} untranslated"
        );
    }
    // The worker who recorded the visit sees the resident in full.
    assert!(page.body.contains("王秀英") && page.body.contains("13812345678"));
    // The audit keeps no resident's phone number.
    let audit = app.strings(&format!(
        "SELECT after_json AS s FROM audit_log WHERE entity = 'patrol' AND entity_id = {id}"
    ));
    assert!(!audit[0].contains("13812345678") && audit[0].contains("138****5678"));
}

#[test]
fn impossible_times_unknown_sites_and_bad_rows_come_back_with_everything_typed() {
    let app = spawn_app();
    let worker = app.login("worker");
    let before = patrols(&app);
    let mut f = filled(&app, &worker);
    set(&mut f, "ended_at", "08:00");
    set(&mut f, "problem_title_0", "井盖缺失");
    set(&mut f, "problem_category_0", "8");
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-ended_at"));
    assert!(r.body.contains("工人路—桐柏路—市场东门"));
    assert_eq!(
        r.value("#f-visit_address_0").as_deref(),
        Some("工人路 12 号院 3 号楼 2 单元 301")
    );
    assert_eq!(r.value("#f-problem_title_0").as_deref(), Some("井盖缺失"));
    assert!(r.body.contains("消防通道堆放杂物"));

    // A future day.
    let mut f = filled(&app, &worker);
    set(&mut f, "day", "2999-01-01");
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-day"));

    // A key site of another grid.
    let other = app.org_id("陇西社区第1网格");
    let foreign = sites(&app, other)[0];
    let mut f = filled(&app, &worker);
    set(&mut f, &format!("site_finding_{foreign}"), "normal");
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-sites"));

    // A visit without an address but a bad phone.
    let mut f = filled(&app, &worker);
    set(&mut f, "visit_address_0", "");
    set(&mut f, "visit_phone_0", "12");
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 422);
    assert_eq!(r.value("#f-visit_householder_0").as_deref(), Some("王秀英"));
    assert_eq!(r.texts(".visit .field-error").len(), 2);
    assert_eq!(patrols(&app), before, "nothing saved");
}

#[test]
fn adding_a_row_keeps_the_form_and_saves_nothing() {
    let app = spawn_app();
    let worker = app.login("worker");
    let before = patrols(&app);
    let mut f = filled(&app, &worker);
    set(&mut f, "more", "visit");
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 200);
    assert!(r.has("#f-visit_address_1"), "a second visit row");
    assert!(!r.has("#f-visit_address_2"));
    assert_eq!(
        r.value("#f-visit_address_0").as_deref(),
        Some("工人路 12 号院 3 号楼 2 单元 301")
    );
    assert_eq!(patrols(&app), before);
}

#[test]
fn a_double_submit_makes_one_log_and_no_token_none() {
    let app = spawn_app();
    let worker = app.login("worker");
    let before = patrols(&app);
    let f = filled(&app, &worker);
    let a = worker.multipart("/patrols", &f, &[]);
    let b = worker.multipart("/patrols", &f, &[]);
    assert_eq!(a.location(), b.location());
    assert_eq!(patrols(&app), before + 1);
    let no_csrf: Vec<(String, String)> = f.into_iter().filter(|(n, _)| n != "csrf_token").collect();
    assert_eq!(worker.multipart("/patrols", &no_csrf, &[]).status, 403);
    assert_eq!(patrols(&app), before + 1);
}

#[test]
fn nothing_to_report_is_one_click_and_made_once() {
    let app = spawn_app();
    app.clear_patrols();
    let worker = app.login("worker");
    let list = worker.get("/patrols");
    assert_eq!(list.status, 200);
    let f = form_fields(&list, "/patrols/quick");
    assert!(!f.is_empty(), "the one-click button is offered");
    let r = worker.post_raw(
        "/patrols/quick",
        &f.iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
    );
    let id = id_of(&r);
    // Clicked again (same form), and from a reloaded page: the same log.
    let again = worker.post_raw(
        "/patrols/quick",
        &f.iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect::<Vec<_>>(),
    );
    assert_eq!(again.location(), r.location());
    let w = app.user_id("worker");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM patrols WHERE worker_id = {w} AND quick = TRUE AND day = '{}'",
            today()
        )),
        1
    );
    let list = worker.get("/patrols");
    assert!(
        !list.has("form[action=\"/patrols/quick\"]"),
        "done for today"
    );
    assert!(list.body.contains(&format!("/patrols/{id}")));
    // A grid the worker is not assigned to cannot be logged.
    let other = app.org_id("工人路社区第2网格").to_string();
    let token = worker.csrf("/patrols");
    let r = worker.post_raw(
        "/patrols/quick",
        &[
            ("csrf_token", &token),
            ("grid_id", &other),
            ("form_token", "x1"),
        ],
    );
    assert_eq!(r.status, 404);
}

#[test]
fn the_same_day_edit_then_a_correction_with_a_reason_kept_beside_the_original() {
    let app = spawn_app();
    let worker = app.login("worker");
    let mut f = filled(&app, &worker);
    set(&mut f, "day", &today());
    set(&mut f, "started_at", "00:00");
    set(&mut f, "ended_at", "00:01");
    let id = id_of(&worker.multipart("/patrols", &f, &[]));
    let edit = worker.get(&format!("/patrols/{id}/edit"));
    assert_eq!(edit.status, 200);
    assert!(!edit.has("#f-reason"), "no reason asked the same day");
    let mut e = form_fields(&edit, &format!("/patrols/{id}"));
    set(&mut e, "route", "工人路—改过的路线");
    let r = worker.multipart(&format!("/patrols/{id}"), &e, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM patrol_corrections WHERE patrol_id = {id}"
        )),
        0
    );
    // A day later the log is a record: changes are corrections with a reason.
    app.exec(&format!(
        "UPDATE patrols SET day = '{}' WHERE id = {id}",
        yesterday()
    ));
    let edit = worker.get(&format!("/patrols/{id}/edit"));
    assert!(edit.has("#f-reason"));
    let mut e = form_fields(&edit, &format!("/patrols/{id}"));
    set(&mut e, "route", "工人路—桐柏路（更正）");
    let r = worker.multipart(&format!("/patrols/{id}"), &e, &[]);
    assert_eq!(r.status, 422, "a reason is required");
    assert!(r.body.contains("工人路—桐柏路（更正）"));
    set(&mut e, "reason", "路线记错了");
    let r = worker.multipart(&format!("/patrols/{id}"), &e, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = worker.get(&format!("/patrols/{id}"));
    assert!(page.body.contains("路线记错了"));
    assert!(page.body.contains("工人路—改过的路线"), "the value before");
    assert!(page.body.contains("工人路—桐柏路（更正）"), "and after");
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(corrections AS BIGINT) AS n FROM patrols WHERE id = {id}"
        )),
        1
    );
    // Another worker of the grid may not change it; a leader may correct it.
    app.add_user("worker2", "grid_worker", "工人路社区第1网格");
    let other = app.login("worker2");
    assert_eq!(other.get(&format!("/patrols/{id}/edit")).status, 403);
    let leader = app.login("leader");
    assert!(leader.get(&format!("/patrols/{id}/edit")).has("#f-reason"));
}

#[test]
fn a_stale_edit_is_refused_with_both_versions_and_the_typed_values_kept() {
    let app = spawn_app();
    let worker = app.login("worker");
    let mut f = filled(&app, &worker);
    set(&mut f, "day", &today());
    set(&mut f, "started_at", "00:00");
    set(&mut f, "ended_at", "00:01");
    let id = id_of(&worker.multipart("/patrols", &f, &[]));
    let first = worker.get(&format!("/patrols/{id}/edit"));
    let second = worker.get(&format!("/patrols/{id}/edit"));
    let mut a = form_fields(&first, &format!("/patrols/{id}"));
    set(&mut a, "route", "甲路线");
    // Twice, as a double click sends it: the second finds its own change saved.
    for _ in 0..2 {
        assert_eq!(
            worker.multipart(&format!("/patrols/{id}"), &a, &[]).status,
            303
        );
    }
    let mut b = form_fields(&second, &format!("/patrols/{id}"));
    set(&mut b, "route", "乙路线");
    let r = worker.multipart(&format!("/patrols/{id}"), &b, &[]);
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict").contains("甲路线") && r.text(".conflict").contains("乙路线"));
    assert!(
        r.text("#f-route").contains("乙路线"),
        "the typed value stays"
    );
    // Submitting again saves it deliberately.
    let again = form_fields(&r, &format!("/patrols/{id}"));
    assert_eq!(
        worker
            .multipart(&format!("/patrols/{id}"), &again, &[])
            .status,
        303
    );
    assert_eq!(
        app.strings(&format!("SELECT route AS s FROM patrols WHERE id = {id}")),
        vec!["乙路线"]
    );
}

#[test]
fn a_log_typed_while_the_session_ended_comes_back_after_login() {
    let app = spawn_app();
    let worker = app.login("worker");
    let f = filled(&app, &worker);
    app.exec("DELETE FROM sessions");
    let before = patrols(&app);
    let r = worker.multipart("/patrols", &f, &[]);
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let login = worker.submit(
        r.location(),
        "/login",
        &[("username", "worker"), ("password", PASSWORD)],
    );
    assert_eq!(login.location(), "/patrols/new?draft=1");
    let back = worker.get(login.location());
    assert_eq!(back.status, 200);
    assert_eq!(
        back.value("#f-visit_address_0").as_deref(),
        Some("工人路 12 号院 3 号楼 2 单元 301")
    );
    assert!(back.body.contains("消防通道堆放杂物"));
    let fields = form_fields(&back, "/patrols");
    assert_eq!(worker.multipart("/patrols", &fields, &[]).status, 303);
    assert_eq!(patrols(&app), before + 1);
}

#[test]
fn logs_stay_in_scope_and_residents_are_masked_for_those_who_do_not_need_them() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = id_of(&worker.multipart("/patrols", &filled(&app, &worker), &[]));
    // A grid worker of another community: not found anywhere.
    app.add_user("far", "grid_worker", "陇西社区第1网格");
    let far = app.login("far");
    assert_eq!(far.get(&format!("/patrols/{id}")).status, 404);
    assert_eq!(far.get(&format!("/patrols/{id}/edit")).status, 404);
    assert!(
        !far.get("/patrols")
            .body
            .contains(&format!("/patrols/{id}\""))
    );
    let grid = app.org_id("工人路社区第1网格");
    assert_eq!(far.get(&format!("/patrols/new?grid={grid}")).status, 404);
    assert_eq!(far.get(&format!("/patrols?unit={grid}")).status, 404);
    let text = xlsx_text(&far.get("/patrols/export.xlsx").bytes);
    assert!(!text.contains("工人路社区第1网格"));
    // Posting a log for a grid outside the worker's assignment.
    let mut f = filled(&app, &worker);
    set(&mut f, "csrf_token", &far.csrf("/patrols"));
    set(&mut f, "form_token", "far-1");
    assert_eq!(far.multipart("/patrols", &f, &[]).status, 404);
    // A clerk with no grid of their own logs nothing.
    let clerk = app.login("cclerk");
    assert_eq!(clerk.get("/patrols/new").status, 403);
    // The community clerk follows up: sees the resident; the branch secretary sees them masked.
    let page = clerk.get(&format!("/patrols/{id}"));
    assert!(page.body.contains("13812345678"));
    let sec = app.login("secretary");
    let page = sec.get(&format!("/patrols/{id}"));
    assert_eq!(page.status, 200);
    assert!(!page.body.contains("13812345678") && page.body.contains("138****5678"));
    assert!(!page.body.contains("王秀英") && page.body.contains("王**"));
}

#[test]
fn the_list_filters_and_exports_without_residents_data() {
    let app = spawn_app();
    let worker = app.login("worker");
    let mut f = filled(&app, &worker);
    set(&mut f, "problem_title_0", "路灯不亮");
    set(&mut f, "problem_category_0", "802");
    let id = id_of(&worker.multipart("/patrols", &f, &[]));
    let clerk = app.login("cclerk");
    let w = app.user_id("worker");
    let r = clerk.get(&format!("/patrols?worker={w}&kind=problems"));
    assert_eq!(r.status, 200);
    assert!(r.body.contains(&format!("/patrols/{id}\"")));
    let r = clerk.get(&format!("/patrols?worker={w}&kind=quick"));
    assert!(!r.body.contains(&format!("/patrols/{id}\"")));
    // The district admin is not offered ~760 workers by name, but a worker's log still filters.
    let admin = app.login("admin");
    let r = admin.get(&format!("/patrols?worker={w}&kind=problems"));
    assert!(!r.has("select[name=worker]"));
    assert!(r.has(&format!("input[type=hidden][name=worker][value=\"{w}\"]")));
    assert!(r.body.contains(&format!("/patrols/{id}\"")));
    let x = clerk.get(&format!("/patrols/export.xlsx?worker={w}&kind=problems"));
    assert_eq!(x.status, 200);
    let text = xlsx_text(&x.bytes);
    assert!(text.contains("工人路社区第1网格"));
    assert!(!text.contains("13812345678") && !text.contains("王秀英"));
}

#[test]
fn an_impossible_date_in_the_list_filter_is_a_message_beside_the_field() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = id_of(&worker.multipart("/patrols", &filled(&app, &worker), &[]));
    let clerk = app.login("cclerk");
    let r = clerk.get("/patrols?from=2026-02-30");
    assert_eq!(r.status, 200);
    assert!(r.has("#e-from"), "the message beside the field");
    assert!(!r.has("#e-to"));
    assert!(r.has("input[name=from][value=\"2026-02-30\"][aria-invalid=true]"));
    // The bad end stays open: the list still shows the logs.
    assert!(r.body.contains(&format!("/patrols/{id}\"")));
    assert!(!clerk.get("/patrols?from=2026-02-28").has("#e-from"));
}
