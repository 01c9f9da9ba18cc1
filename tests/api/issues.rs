//! The issue life cycle through the HTTP layer: reporting, every transition, the promises
//! (stale edits, double submits, scope, session timeouts, bad input) and the summary table.

use crate::helpers::*;

/// A small real PNG.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_pixel(64, 48, image::Rgb([20, 120, 200]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

/// Reports an issue in the worker's grid through the form; returns the response of the POST.
pub fn report_with(
    c: &Client,
    title: &str,
    extra: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> Resp {
    let page = c.get("/issues/new");
    assert_eq!(page.status, 200, "{}", page.body);
    let mut fields = form_fields(&page, "/issues");
    set(&mut fields, "title", title);
    set(&mut fields, "category_id", "802");
    set(&mut fields, "description", "商户在人行道上摆摊，影响通行。");
    set(&mut fields, "address", "工人路 88 号门前");
    for (k, v) in extra {
        set(&mut fields, k, v);
    }
    c.multipart("/issues", &fields, files)
}

/// Reports and returns the new issue's id.
pub fn report(c: &Client, title: &str) -> i32 {
    let r = report_with(c, title, &[], &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    r.location().trim_start_matches("/issues/").parse().unwrap()
}

/// Takes `action` on issue `id` through its form on the issue page, with `extra` fields.
pub fn act_with(
    c: &Client,
    id: i32,
    action: &str,
    extra: &[(&str, &str)],
    files: &[(&str, &str, &str, &[u8])],
) -> Resp {
    let page = c.get(&format!("/issues/{id}"));
    assert_eq!(page.status, 200);
    let mut fields = form_fields_sel(
        &page,
        &format!("form[action=\"/issues/{id}/steps\"]:has(input[name=action][value={action}])"),
    );
    assert!(
        !fields.is_empty(),
        "no {action} form for this user on issue {id}"
    );
    for (k, v) in extra {
        set(&mut fields, k, v);
    }
    c.multipart(&format!("/issues/{id}/steps"), &fields, files)
}

pub fn act(c: &Client, id: i32, action: &str, extra: &[(&str, &str)]) {
    let r = act_with(c, id, action, extra, &[]);
    assert_eq!(r.status, 303, "{action}: {}", r.body);
}

fn state(app: &TestApp, id: i32) -> String {
    let rows = app.strings(&format!("SELECT state AS s FROM issues WHERE id = {id}"));
    rows[0].clone()
}

fn has_action(c: &Client, id: i32, action: &str) -> bool {
    c.get(&format!("/issues/{id}"))
        .has(&format!("input[name=action][value={action}]"))
}

/// The summary table equals a recount from the issues, and the street's figures equal raw
/// counts over the issues table.
pub fn assert_summary_matches(app: &TestApp) {
    let mut c = app.conn();
    let conn: &mut gridwork::db::AnyConnection = &mut c;
    let tz = chrono_tz::Asia::Shanghai;
    let stored = gridwork::issues::figures::stored(conn).unwrap();
    let all = gridwork::issues::models::all(conn).unwrap();
    let recount = gridwork::issues::figures::sum_up(&all, tz);
    let recount: std::collections::BTreeMap<_, _> =
        recount.into_iter().filter(|(_, t)| !t.is_zero()).collect();
    assert_eq!(stored, recount);
}

#[test]
fn an_issue_goes_from_report_to_closure_with_its_timeline() {
    let app = spawn_app();
    let worker = app.login("worker");
    let r = report_with(
        &worker,
        "人行道占道经营",
        &[("source", "patrol"), ("people", "摊主王某")],
        &[("photos", "site.png", "image/png", &png())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i32 = r.location().trim_start_matches("/issues/").parse().unwrap();
    let page = worker.get(&format!("/issues/{id}"));
    let number = page.text("h1");
    assert!(
        regex_like_number(&number),
        "number like LSZ-2026-000001: {number}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_photos WHERE issue_id = {id} AND stage = 'before'"
        )),
        1
    );
    // The photo is served re-encoded, the thumbnail too.
    let pid = app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM issue_photos WHERE issue_id = {id}"
    ));
    let photo = worker.get(&format!("/issues/{id}/photos/{pid}/thumb"));
    assert_eq!(photo.status, 200);
    assert_eq!(&photo.bytes[..2], &[0xFF, 0xD8]);

    // The community clerk sees it waiting to be registered, in the list and the nav badge.
    let clerk = app.login("cclerk");
    let todo = clerk.get("/issues?todo=register");
    assert!(todo.body.contains("人行道占道经营"));
    assert!(clerk.get("/").has("nav .badge"));
    act(&clerk, id, "register", &[]);
    let worker_id = app.user_id("worker").to_string();
    act(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &worker_id)],
    );
    assert_eq!(state(&app, id), "dispatched");
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issues WHERE id = {id} AND deadline IS NOT NULL"
        )) == 1
    );
    assert!(
        worker
            .get("/issues?todo=handle")
            .body
            .contains("人行道占道经营")
    );
    act(&worker, id, "accept", &[]);
    act(
        &worker,
        id,
        "progress",
        &[("note", "已联系摊主，要求当日清理。")],
    );
    let r = act_with(
        &worker,
        id,
        "handle",
        &[("note", "摊位已清理，通道恢复。")],
        &[("photos", "after.png", "image/png", &png())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(state(&app, id), "handled");
    // The handler cannot verify their own work.
    assert!(!has_action(&worker, id, "close"));
    act(&clerk, id, "close", &[]);
    assert_eq!(state(&app, id), "closed");
    let page = worker.get(&format!("/issues/{id}"));
    assert_eq!(page.texts("ol.timeline > li").len(), 7);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_photos WHERE issue_id = {id} AND stage = 'after'"
        )),
        1
    );
    // Every step is in the audit log.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'issue' AND entity_id = {id}"
        )),
        7
    );
    assert_summary_matches(&app);
}

fn regex_like_number(s: &str) -> bool {
    let n = s.split(' ').next().unwrap_or("");
    let parts: Vec<&str> = n.split('-').collect();
    parts.len() == 3
        && parts[0] == "LSZ"
        && parts[1].len() == 4
        && parts[2].len() == 6
        && parts[2].chars().all(|c| c.is_ascii_digit())
}

#[test]
fn side_paths_rework_return_extension_hang_escalate_reject_cancel() {
    let app = spawn_app();
    let worker = app.login("worker");
    let clerk = app.login("cclerk");
    let street = app.login("clerk");
    let worker_id = app.user_id("worker").to_string();

    // Rework: a failed verification sends it back to the handler with a new deadline.
    let id = report(&worker, "井盖破损");
    act(&clerk, id, "register", &[("category_id", "805")]);
    act(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &worker_id)],
    );
    act(&worker, id, "accept", &[]);
    act(&worker, id, "handle", &[("note", "已更换井盖")]);
    act(&clerk, id, "rework", &[("note", "井盖不平整")]);
    assert_eq!(state(&app, id), "dispatched");
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(rework_count AS BIGINT) AS n FROM issues WHERE id = {id}"
        )),
        1
    );
    act(&worker, id, "accept", &[]);
    act(&worker, id, "handle", &[("note", "已重新安装")]);
    act(&clerk, id, "close", &[]);
    assert_eq!(state(&app, id), "closed");

    // Extension: asked by the handler, approved by the coordinator; the deadline moves.
    let id = report(&worker, "门头牌匾松动");
    act(&clerk, id, "register", &[]);
    act(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &worker_id)],
    );
    act(&worker, id, "accept", &[]);
    let before = app.strings(&format!(
        "SELECT CAST(deadline AS TEXT) AS s FROM issues WHERE id = {id}"
    ));
    act(
        &worker,
        id,
        "request_extension",
        &[("days", "3"), ("note", "需等待商户配合")],
    );
    // While pending, the handler cannot mark it handled.
    assert!(!has_action(&worker, id, "handle"));
    act(&clerk, id, "approve_extension", &[]);
    let after = app.strings(&format!(
        "SELECT CAST(deadline AS TEXT) AS s FROM issues WHERE id = {id}"
    ));
    assert!(after[0] > before[0], "{before:?} → {after:?}");
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(extension_days AS BIGINT) AS n FROM issues WHERE id = {id}"
        )),
        3
    );

    // A denied extension leaves the deadline as it was.
    act(
        &worker,
        id,
        "request_extension",
        &[("days", "5"), ("note", "再延一次")],
    );
    act(
        &clerk,
        id,
        "deny_extension",
        &[("note", "不予延期，按期办结")],
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(extension_days AS BIGINT) AS n FROM issues WHERE id = {id}"
        )),
        3
    );

    // A hold: first denied, then asked again, approved and resumed.
    act(&worker, id, "request_hang", &[("note", "暂缓")]);
    act(&clerk, id, "deny_hang", &[("note", "可以解决")]);
    assert_eq!(state(&app, id), "handling");
    act(
        &worker,
        id,
        "request_hang",
        &[("note", "涉及产权纠纷，需法院裁定")],
    );
    act(&clerk, id, "approve_hang", &[]);
    assert_eq!(state(&app, id), "hung");
    act(&clerk, id, "resume", &[]);
    assert_eq!(state(&app, id), "handling");

    // Return: the handler says it is not theirs; it waits for a new dispatch.
    act(&worker, id, "return", &[("note", "不属于本网格")]);
    assert_eq!(state(&app, id), "returned");

    // Escalation: the community cannot solve it; the street coordinates from now on, and the
    // community clerk can no longer dispatch it.
    act(&clerk, id, "escalate", &[("note", "需街道协调执法力量")]);
    assert!(!has_action(&clerk, id, "dispatch"));
    act(
        &street,
        id,
        "dispatch",
        &[("target_kind", "party"), ("target_party", "区城管局")],
    );
    // The street clerk records the department's work on its behalf; someone else verifies.
    act(&street, id, "accept", &[]);
    act(&street, id, "handle", &[("note", "城管局已依法拆除")]);
    assert!(!has_action(&street, id, "close"));
    act(&worker, id, "close", &[]);
    assert_eq!(state(&app, id), "closed");

    // Reject and cancel.
    let id = report(&worker, "重复上报");
    act(&clerk, id, "reject", &[("note", "与已立案问题重复")]);
    assert_eq!(state(&app, id), "rejected");
    let id = report(&worker, "误报");
    act(&clerk, id, "register", &[]);
    act(&clerk, id, "cancel", &[("note", "现场核实无此问题")]);
    assert_eq!(state(&app, id), "cancelled");
    assert_summary_matches(&app);
}

#[test]
fn illegal_or_forbidden_transitions_are_refused_on_the_server() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = report(&worker, "违规电动车充电");
    let page = worker.get(&format!("/issues/{id}"));
    let csrf = page.value("input[name=csrf_token]").unwrap();
    // A grid worker forging a register form: not permitted.
    let r = worker.multipart(
        &format!("/issues/{id}/steps"),
        &[
            ("csrf_token".into(), csrf.clone()),
            ("action".into(), "register".into()),
            ("version".into(), "1".into()),
        ],
        &[],
    );
    assert_eq!(r.status, 403);
    // Closing a reported issue: not possible from this state, whoever asks.
    let clerk = app.login("cclerk");
    let csrf = clerk
        .get(&format!("/issues/{id}"))
        .value("input[name=csrf_token]")
        .unwrap();
    let r = clerk.multipart(
        &format!("/issues/{id}/steps"),
        &[
            ("csrf_token".into(), csrf),
            ("action".into(), "close".into()),
            ("version".into(), "1".into()),
            ("seen_state".into(), "reported".into()),
        ],
        &[],
    );
    assert_eq!(r.status, 409);
    assert_eq!(state(&app, id), "reported");
    // Without a CSRF token nothing happens.
    let r = clerk.multipart(
        &format!("/issues/{id}/steps"),
        &[
            ("action".into(), "register".into()),
            ("version".into(), "1".into()),
        ],
        &[],
    );
    assert_eq!(r.status, 403);
    assert_eq!(state(&app, id), "reported");
}

#[test]
fn an_impossible_date_in_the_list_filter_gets_a_message_beside_its_field() {
    let app = spawn_app();
    let worker = app.login("worker");
    report(&worker, "二月三十日的问题");
    let clerk = app.login("cclerk");
    // 2026-02-30 does not exist: the list still shows (that end stays open) and says why.
    let page = clerk.get("/issues?from=2026-02-30");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.has(".field.invalid input[name=from]"));
    assert!(page.has("#e-from"), "the message sits beside the field");
    assert!(!page.has("#e-to"));
    assert!(page.body.contains("二月三十日的问题"));
    // The export reads the filter the same way: the bad end is open.
    let export = clerk.get("/issues/export.xlsx?from=2026-02-30");
    assert_eq!(export.status, 200);
    assert!(xlsx_text(&export.bytes).contains("二月三十日的问题"));
}

#[test]
fn the_old_step_address_redirects_with_method_and_body_kept() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = report(&worker, "旧地址上的立案");
    let clerk = app.login("cclerk");
    let page = clerk.get(&format!("/issues/{id}"));
    let fields = form_fields_sel(
        &page,
        &format!("form[action=\"/issues/{id}/steps\"]:has(input[name=action][value=register])"),
    );
    // A page opened before the move posts to /act: 308 (not 303) so the browser repeats the
    // same POST with the same fields at the new address.
    let r = clerk.multipart(&format!("/issues/{id}/act"), &fields, &[]);
    assert_eq!(r.status, 308);
    assert_eq!(r.location(), format!("/issues/{id}/steps"));
    assert_eq!(state(&app, id), "reported");
    let r = clerk.multipart(r.location(), &fields, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(state(&app, id), "registered");
}

#[test]
fn a_stale_action_is_refused_with_both_versions_and_the_note_kept() {
    let app = spawn_app();
    let worker = app.login("worker");
    let id = report(&worker, "群租房消防隐患");
    let clerk = app.login("cclerk");
    let street = app.login("clerk");
    // Both open the issue; the street clerk rejects first.
    let page = clerk.get(&format!("/issues/{id}"));
    let mut fields = form_fields_sel(
        &page,
        &format!("form[action=\"/issues/{id}/steps\"]:has(input[name=action][value=reject])"),
    );
    act(&street, id, "register", &[]);
    set(&mut fields, "note", "我写的不予立案理由很长很长");
    let r = clerk.multipart(&format!("/issues/{id}/steps"), &fields, &[]);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.has(".conflict"));
    assert!(r.text(".conflict td.theirs").contains("已立案"));
    assert!(r.body.contains("我写的不予立案理由很长很长"));
    assert_eq!(state(&app, id), "registered");
}

#[test]
fn a_double_clicked_report_creates_one_issue() {
    let app = spawn_app();
    let worker = app.login("worker");
    let page = worker.get("/issues/new");
    let mut fields = form_fields(&page, "/issues");
    set(&mut fields, "title", "双击测试");
    set(&mut fields, "category_id", "802");
    let a = worker.multipart("/issues", &fields, &[]);
    let b = worker.multipart("/issues", &fields, &[]);
    assert_eq!(a.status, 303);
    assert_eq!(b.status, 303);
    assert_eq!(a.location(), b.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issues WHERE title = '双击测试'"),
        1
    );
}

#[test]
fn bad_input_gets_messages_next_to_the_fields_and_keeps_what_was_typed() {
    let app = spawn_app();
    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    let worker = app.login("worker");
    let r = report_with(
        &worker,
        "",
        &[("category_id", "99999"), ("description", "保留这段描述")],
        &[],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-title"));
    assert!(r.has("#e-category_id"));
    assert!(r.body.contains("保留这段描述"));
    // A major category is a heading, not a category.
    let r = report_with(&worker, "标题", &[("category_id", "8")], &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-category_id"));
    // A grid outside the scope is not offered and not accepted.
    let other = app.org_id("陇西社区第1网格").to_string();
    let r = report_with(&worker, "标题", &[("grid_id", &other)], &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-grid_id"));
    // Not an image; too large.
    let r = report_with(
        &worker,
        "照片不对",
        &[],
        &[("photos", "x.png", "image/png", b"<html>not a photo</html>")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-photos"));
    assert_eq!(r.value("#f-title").as_deref(), Some("照片不对"));
    let big = vec![0u8; 5 * 1024 * 1024 + 10];
    let r = report_with(
        &worker,
        "照片太大",
        &[],
        &[("photos", "big.jpg", "image/jpeg", &big)],
    );
    assert_eq!(r.status, 422);
    assert!(r.text("#e-photos").contains('5'));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before);
    // A missing note on an action that needs one.
    let id = report(&worker, "需要理由");
    let clerk = app.login("cclerk");
    let r = act_with(&clerk, id, "reject", &[("note", "")], &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("details[open] .field.invalid textarea[name=note]"));
}

#[test]
fn a_grid_worker_never_sees_another_communitys_issues() {
    let app = spawn_app();
    app.add_user("worker2", "grid_worker", "陇西社区第1网格");
    let other = app.login("worker2");
    let worker = app.login("worker");
    let id = report(&worker, "工人路的问题");
    let r = report_with(
        &other,
        "陇西的问题",
        &[],
        &[("photos", "p.png", "image/png", &png())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let other_id: i32 = r.location().trim_start_matches("/issues/").parse().unwrap();
    let pid = app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM issue_photos WHERE issue_id = {other_id}"
    ));
    let list = worker.get("/issues");
    assert!(list.body.contains("工人路的问题"));
    assert!(!list.body.contains("陇西的问题"));
    let search = worker.get(&format!("/issues?q={}", urlenc("陇西")));
    assert!(!search.body.contains("陇西的问题"));
    let export = worker.get("/issues/export.xlsx");
    assert_eq!(export.status, 200);
    let text = xlsx_text(&export.bytes);
    assert!(text.contains("工人路的问题"));
    assert!(!text.contains("陇西的问题"));
    for path in [
        format!("/issues/{other_id}"),
        format!("/issues/{other_id}/photos/{pid}"),
        format!("/issues/{other_id}/photos/{pid}/thumb"),
    ] {
        let r = worker.get(&path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.body.contains("陇西"), "{path} leaks");
    }
    let other_grid = app.org_id("陇西社区第1网格");
    assert_eq!(
        worker.get(&format!("/issues?unit={other_grid}")).status,
        404
    );
    // Acting on it is a 404 as well.
    let csrf = worker.get("/issues").value("input[name=csrf_token]");
    let csrf = csrf.unwrap_or_else(|| worker.csrf("/issues/new"));
    let r = worker.multipart(
        &format!("/issues/{other_id}/steps"),
        &[
            ("csrf_token".into(), csrf),
            ("action".into(), "accept".into()),
            ("version".into(), "1".into()),
        ],
        &[],
    );
    assert_eq!(r.status, 404);
    let _ = id;
}

fn urlenc(s: &str) -> String {
    s.bytes().map(|b| format!("%{b:02X}")).collect()
}

#[test]
fn a_report_typed_while_the_session_ended_comes_back_after_login() {
    let app = spawn_app();
    let worker = app.login("worker");
    let page = worker.get("/issues/new");
    let mut fields = form_fields(&page, "/issues");
    set(&mut fields, "title", "超时前写的标题");
    set(&mut fields, "description", "一段很长的描述，写了二十分钟。");
    set(&mut fields, "category_id", "802");
    // The session ends on the server (idle timeout) while the form is open.
    app.exec("DELETE FROM sessions");
    let before = app.count("SELECT COUNT(*) AS n FROM issues");
    let r = worker.multipart("/issues", &fields, &[]);
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before);
    let login = worker.submit(
        r.location(),
        "/login",
        &[("username", "worker"), ("password", PASSWORD)],
    );
    assert_eq!(login.status, 303);
    assert_eq!(login.location(), "/issues/new?draft=1");
    let back = worker.get(login.location());
    assert_eq!(back.status, 200);
    assert_eq!(back.value("#f-title").as_deref(), Some("超时前写的标题"));
    assert!(back.body.contains("一段很长的描述，写了二十分钟。"));
    // Submitting it now goes through, once.
    let fields = form_fields(&back, "/issues");
    let r = worker.multipart("/issues", &fields, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issues"), before + 1);
}

#[test]
fn the_list_filters_searches_chinese_text_and_exports_with_the_filters() {
    let app = spawn_app();
    let worker = app.login("worker");
    report(&worker, "占道经营甲");
    let b = report(&worker, "违规广告乙");
    let clerk = app.login("cclerk");
    act(&clerk, b, "register", &[]);
    let r = clerk.get(&format!("/issues?q={}", urlenc("广告")));
    assert!(r.body.contains("违规广告乙"));
    assert!(!r.body.contains("占道经营甲"));
    let r = clerk.get("/issues?state=registered");
    assert!(r.body.contains("违规广告乙"));
    assert!(!r.body.contains("占道经营甲"));
    let r = clerk.get("/issues/export.xlsx?state=reported");
    let text = xlsx_text(&r.bytes);
    assert!(text.contains("占道经营甲"));
    assert!(!text.contains("违规广告乙"));
    // A search for a LIKE wildcard matches only itself.
    let r = clerk.get("/issues?q=%25");
    assert!(!r.body.contains("占道经营甲"));
}

#[test]
fn dispatch_to_a_community_and_targets_outside_the_coordinating_unit() {
    let app = spawn_app();
    let worker = app.login("worker");
    let clerk = app.login("cclerk");
    let street = app.login("clerk");
    let id = report(&worker, "需社区处置");
    act(&clerk, id, "register", &[]);
    // A staff member of another community is not a target for this community's clerk.
    app.add_user("worker2", "grid_worker", "陇西社区第1网格");
    let outsider = app.user_id("worker2").to_string();
    let r = act_with(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "user"), ("target_user", &outsider)],
        &[],
    );
    assert_eq!(r.status, 422);
    assert!(r.has(".field.invalid"));
    assert_eq!(state(&app, id), "registered");
    // After escalation the street dispatches it to the community: its clerk handles it.
    act(&clerk, id, "escalate", &[("note", "涉及多个网格")]);
    let community = app.org_id("工人路社区").to_string();
    act(
        &street,
        id,
        "dispatch",
        &[("target_kind", "unit"), ("target_unit", &community)],
    );
    assert!(clerk.get("/issues?todo=handle").body.contains("需社区处置"));
    act(&clerk, id, "accept", &[]);
    act(&clerk, id, "handle", &[("note", "社区已协调处置")]);
    assert!(!has_action(&clerk, id, "close"));
    act(&street, id, "close", &[]);
    assert_eq!(state(&app, id), "closed");
    assert_summary_matches(&app);
}
