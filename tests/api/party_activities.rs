//! Party activity records through the HTTP layer: the branch secretary records 三会一课 with
//! attendance, photos and links to grids and issues (党建引领网格治理), visits and pairings; the
//! promises (bad input kept per member row, one record per double submit, stale edits with both
//! versions, a timed-out session keeping the form, scope, CSRF, the branch's last activity).

use crate::helpers::*;
use crate::issues::{png, report};
use crate::party::{add_member, branch, id_after};

pub fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

/// A member of `branch` by name (the demo's branches have members of the same names).
pub fn member_id(app: &TestApp, branch: i32, name: &str) -> i32 {
    app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM party_members WHERE branch_id = {branch} AND name = '{name}'"
    )) as i32
}

/// 工人路社区党支部 with the demo secretary and three members; returns the branch id.
pub fn branch_with_members(app: &TestApp) -> i32 {
    let clerk = app.login("clerk");
    let id = branch(app, &clerk, "工人路社区党支部", "工人路社区");
    let secretary = app.login("secretary");
    for (name, extra) in [
        ("王建华", vec![]),
        ("周丽", vec![]),
        ("张秀兰", vec![("difficulty", "difficult")]),
    ] {
        assert_eq!(add_member(&secretary, id, name, &extra).status, 303);
    }
    id
}

/// The new-activity form of `branch` as a browser would send it, with `typed` over it.
pub fn new_fields(
    c: &Client,
    page: &str,
    branch: i32,
    typed: &[(&str, &str)],
) -> Vec<(String, String)> {
    let p = c.get(page);
    assert_eq!(p.status, 200, "{}", p.body);
    let mut f = form_fields(&p, &format!("/party/branches/{branch}/activities"));
    for (k, v) in typed {
        set(&mut f, k, v);
    }
    f
}

/// Records an activity through the form; returns its id.
pub fn record(c: &Client, branch: i32, typed: &[(&str, &str)]) -> i32 {
    let page = format!("/party/branches/{branch}/activities/new");
    let f = new_fields(c, &page, branch, typed);
    let r = c.multipart(&format!("/party/branches/{branch}/activities"), &f, &[]);
    id_after(&r, "/party/activities/")
}

fn last_activity(app: &TestApp, branch: i32) -> Vec<String> {
    app.strings(&format!(
        "SELECT CAST(last_activity AS TEXT) AS s FROM party_branches WHERE id = {branch}"
    ))
}

#[test]
fn a_secretary_records_a_committee_meeting_with_attendance_photos_and_links() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM party_branches WHERE id = {id} AND last_activity IS NULL"
        )),
        1
    );
    let worker = app.login("worker");
    let issue = report(&worker, "楼道堆放杂物");
    let number = app.strings(&format!(
        "SELECT number AS s FROM issues WHERE id = {issue}"
    ))[0]
        .clone();
    let grid =
        app.count("SELECT CAST(org_unit_id AS BIGINT) AS n FROM users WHERE username = 'worker'");
    let grid_name = app.strings(&format!(
        "SELECT name AS s FROM org_units WHERE id = {grid}"
    ))[0]
        .clone();
    let secretary = app.login("secretary");
    let (zhou, wang) = (member_id(&app, id, "周丽"), member_id(&app, id, "王建华"));
    let page = format!("/party/branches/{id}/activities/new");
    let action = format!("/party/branches/{id}/activities");
    let day = local_today().to_string();
    let mut f = new_fields(
        &secretary,
        &page,
        id,
        &[
            ("kind", "committee"),
            ("title", "十一月支委会：研究冬季帮扶工作"),
            ("day", &day),
            ("start_time", "09:00"),
            ("end_time", "10:30"),
            ("place", "社区党群服务中心"),
            ("host", "刘桂芳"),
            ("recorder", "王建华"),
            ("content", "学习上级文件精神，研究冬季困难党员走访名单。"),
            ("outcomes", "确定走访名单三人。"),
            ("issues", &number),
        ],
    );
    f.push(("grid".into(), grid.to_string()));
    set(&mut f, &format!("att_{zhou}"), "absent");
    // Absent without a reason: the row says so, everything typed stays.
    let bad = secretary.multipart(&action, &f, &[("photos", "a.png", "image/png", &png())]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.text(&format!("tr[data-member=\"{zhou}\"] .field-error"))
            .contains("原因")
    );
    assert!(!bad.has(&format!("tr[data-member=\"{wang}\"] .field-error")));
    assert_eq!(
        bad.value("#f-title").as_deref(),
        Some("十一月支委会：研究冬季帮扶工作")
    );
    assert_eq!(
        bad.text("#f-content"),
        "学习上级文件精神，研究冬季困难党员走访名单。"
    );
    assert_eq!(bad.value("#f-issues").as_deref(), Some(number.as_str()));
    assert!(bad.has(&format!("input[name=grid][value=\"{grid}\"][checked]")));
    assert!(bad.has(&format!("input[name=att_{zhou}][value=absent][checked]")));
    let of_branch = format!("SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {id}");
    assert_eq!(app.count(&of_branch), 0);
    // Fixed, and submitted twice: one record.
    let mut f = form_fields(&bad, &action);
    set(&mut f, &format!("reason_{zhou}"), "外出务工");
    let files = [("photos", "a.png", "image/png", &png()[..])];
    let ok = secretary.multipart(&action, &f, &files);
    let aid = id_after(&ok, "/party/activities/");
    let again = secretary.multipart(&action, &f, &files);
    assert_eq!(again.location(), ok.location());
    assert_eq!(app.count(&of_branch), 1);
    // The activity's page shows all of it.
    let shown = secretary.get(&format!("/party/activities/{aid}"));
    assert_eq!(shown.status, 200);
    assert!(shown.text("#kind").contains("支部委员会"));
    assert!(shown.text("#counts").contains('2') && shown.text("#counts").contains('3'));
    assert!(shown.text("table.attendance").contains("外出务工"));
    assert!(shown.text("#grids").contains(&grid_name));
    assert!(shown.text("#issues").contains(&number));
    assert!(shown.text("#content").contains("困难党员走访名单"));
    assert_eq!(shown.texts("#photos img").len(), 1);
    let pid = app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM party_activity_photos WHERE activity_id = {aid}"
    ));
    let thumb = secretary.get(&format!("/party/activities/{aid}/photos/{pid}/thumb"));
    assert_eq!(thumb.status, 200);
    assert_eq!(&thumb.bytes[..2], &[0xFF, 0xD8]);
    // A new upload's keys are named for what they belong to (older ones kept `issue-…`).
    let keys = app.strings(&format!(
        "SELECT file_key || ' ' || thumb_key AS s FROM party_activity_photos WHERE id = {pid}"
    ));
    assert!(
        keys.len() == 1 && keys[0].split(' ').all(|k| k.starts_with("party-activity-")),
        "{keys:?}"
    );
    // The issue lists the activity; the branch keeps its last activity and shows it.
    let clerk = app.login("clerk");
    let on_issue = clerk.get(&format!("/issues/{issue}"));
    assert!(
        on_issue
            .text("#issue-party-activities")
            .contains("十一月支委会")
    );
    assert_eq!(last_activity(&app, id), vec![day.clone()]);
    let b = secretary.get(&format!("/party/branches/{id}"));
    assert!(b.text("#activities").contains("十一月支委会"));
    // The list and its export; a bad date is a message.
    let list = clerk.get(&format!("/party/activities?branch={id}&kind=committee"));
    assert!(list.has(&format!("tr[data-id=\"{aid}\"]")));
    let xlsx = clerk.get("/party/activities/export.xlsx");
    assert!(xlsx_text(&xlsx.bytes).contains("十一月支委会"));
    assert!(clerk.get("/party").has("a[href=\"/party/activities\"]"));
    let bad_date = clerk.get("/party/activities?from=2026-13-40");
    assert_eq!(bad_date.status, 200);
    assert!(bad_date.has("#e-from"));
    // Audited once, with the attendance.
    let audit =
        app.strings("SELECT after_json AS s FROM audit_log WHERE entity = 'party_activity'");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].contains("外出务工"));
}

#[test]
fn visits_to_a_member_in_difficulty_and_a_pairing_collect_their_records() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let zhang = member_id(&app, id, "张秀兰").to_string();
    let day = local_today().to_string();
    let visit = record(
        &secretary,
        id,
        &[
            ("kind", "visit"),
            ("title", "走访慰问困难党员"),
            ("day", &day),
            ("visited_member_id", &zhang),
            ("difficulty", "difficult"),
            ("given", "米面油一份、慰问金 500 元"),
        ],
    );
    let shown = secretary.get(&format!("/party/activities/{visit}"));
    assert!(shown.text("#visited").contains("张秀兰"));
    assert!(shown.text("#visited").contains("困难"));
    assert!(shown.text("#given").contains("慰问金 500 元"));
    // A pairing of a member with a household in need, and two visits to it.
    let wang = member_id(&app, id, "王建华").to_string();
    let r = secretary.submit(
        &format!("/party/branches/{id}/pairings/new"),
        &format!("/party/branches/{id}/pairings"),
        &[
            ("member_id", &wang),
            ("household", "李大娘家"),
            ("address", "工人路 8 号院"),
            ("situation", "独居老人，行动不便"),
            ("since", "2026-01-05"),
        ],
    );
    let pairing = id_after(&r, &format!("/party/branches/{id}/pairings/"));
    for title in ["结对走访：送冬衣", "结对走访：陪同就医"] {
        let page = format!("/party/branches/{id}/activities/new?kind=pairing&pairing={pairing}");
        let f = new_fields(&secretary, &page, id, &[("title", title), ("day", &day)]);
        let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let page = secretary.get(&format!("/party/branches/{id}/pairings/{pairing}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("table.visits tbody tr").len(), 2);
    assert!(page.text("table.visits").contains("陪同就医"));
    let list = secretary.get(&format!("/party/branches/{id}/pairings"));
    assert!(list.text("table.pairings").contains("李大娘家"));
    // A visit without anyone visited, and a pairing visit without a pairing, are messages.
    let page = format!("/party/branches/{id}/activities/new");
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[("kind", "visit"), ("title", "走访"), ("day", &day)],
    );
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-visited_member_id"));
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[("kind", "pairing"), ("title", "走访"), ("day", &day)],
    );
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-pairing_id"));
}

#[test]
fn a_stale_edit_shows_both_versions_and_a_timed_out_form_comes_back() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let day = local_today().to_string();
    let aid = record(
        &secretary,
        id,
        &[("kind", "study"), ("title", "学习会"), ("day", &day)],
    );
    let edit = format!("/party/activities/{aid}/edit");
    let action = format!("/party/activities/{aid}");
    let clerk = app.login("clerk");
    let seen = clerk.get(&edit);
    assert_eq!(seen.status, 200);
    let mut f = form_fields(&secretary.get(&edit), &action);
    set(&mut f, "title", "甲：专题学习会");
    // Twice, as a double click sends it: the second finds its own change saved.
    for _ in 0..2 {
        assert_eq!(secretary.multipart(&action, &f, &[]).status, 303);
    }
    let mut f = form_fields(&seen, &action);
    set(&mut f, "title", "乙：读书班");
    let stale = clerk.multipart(&action, &f, &[]);
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("甲：专题学习会"));
    assert!(stale.text(".conflict").contains("乙：读书班"));
    assert_eq!(stale.value("#f-title").as_deref(), Some("乙：读书班"));
    // Submitting the kept form again saves it deliberately.
    let f = form_fields(&stale, &action);
    assert_eq!(clerk.multipart(&action, &f, &[]).status, 303);
    assert_eq!(
        app.strings(&format!(
            "SELECT title AS s FROM party_activities WHERE id = {aid}"
        )),
        vec!["乙：读书班"]
    );
    // The session ends while a new record is typed: after the login it is back.
    let page = format!("/party/branches/{id}/activities/new");
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[
            ("title", "主题党日"),
            ("kind", "themed_day"),
            ("day", &day),
            ("content", "超时前录入的活动内容"),
        ],
    );
    app.exec("DELETE FROM sessions");
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let login = secretary.submit(
        r.location(),
        "/login",
        &[("username", "secretary"), ("password", PASSWORD)],
    );
    assert_eq!(login.location(), format!("{page}?draft=1"));
    let back = secretary.get(login.location());
    assert_eq!(back.text("#f-content"), "超时前录入的活动内容");
    let f = form_fields(&back, &format!("/party/branches/{id}/activities"));
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM party_activities WHERE content = '超时前录入的活动内容'"
        ),
        1
    );
}

#[test]
fn activities_stay_in_scope_and_secretaries_record_only_their_branch() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let page = format!("/party/branches/{id}/activities/new");
    let day = local_today().to_string();
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[
            ("title", "四季度党员大会暨冬训动员"),
            ("kind", "general_meeting"),
            ("day", &day),
        ],
    );
    let r = secretary.multipart(
        &format!("/party/branches/{id}/activities"),
        &f,
        &[("photos", "p.png", "image/png", &png())],
    );
    let aid = id_after(&r, "/party/activities/");
    let pid = app.count(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM party_activity_photos WHERE activity_id = {aid}"
    ));
    // Another community's clerk: nothing of it exists.
    app.add_user("tclerk", "clerk", "桐柏路社区");
    let tclerk = app.login("tclerk");
    for path in [
        format!("/party/activities/{aid}"),
        format!("/party/activities/{aid}/edit"),
        format!("/party/activities/{aid}/photos/{pid}"),
        format!("/party/activities/{aid}/photos/{pid}/thumb"),
        format!("/party/activities?branch={id}"),
    ] {
        assert_eq!(tclerk.get(&path).status, 404, "{path}");
    }
    assert!(
        !tclerk
            .get("/party/activities")
            .body
            .contains("四季度党员大会暨冬训动员")
    );
    let xlsx = tclerk.get("/party/activities/export.xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(!xlsx_text(&xlsx.bytes).contains("四季度党员大会暨冬训动员"));
    // The street clerk sees it.
    let clerk = app.login("clerk");
    assert!(
        clerk
            .get("/party/activities")
            .body
            .contains("四季度党员大会暨冬训动员")
    );
    // A branch the secretary does not keep: in another community not found, in their own
    // community refused; the POST too.
    let other = branch(&app, &clerk, "桐柏路社区党支部", "桐柏路社区");
    let second = branch(&app, &clerk, "工人路社区第二党支部", "工人路社区");
    app.exec(&format!(
        "UPDATE party_branches SET secretary_user_id = NULL WHERE id IN ({other}, {second})"
    ));
    assert_eq!(
        secretary
            .get(&format!("/party/branches/{other}/activities/new"))
            .status,
        404
    );
    assert_eq!(
        secretary
            .get(&format!("/party/branches/{second}/activities/new"))
            .status,
        403
    );
    let r = secretary.multipart(&format!("/party/branches/{second}/activities"), &f, &[]);
    assert_eq!(r.status, 403);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM party_activities WHERE branch_id = {second}"
        )),
        0
    );
    // No CSRF token: refused.
    let mut f = form_fields(
        &secretary.get(&page),
        &format!("/party/branches/{id}/activities"),
    );
    f.retain(|(k, _)| k != "csrf_token");
    set(&mut f, "title", "无令牌");
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(r.status, 403);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM party_activities WHERE title = '无令牌'"),
        0
    );
}

#[test]
fn a_visits_details_under_another_kind_are_pointed_out_not_dropped() {
    let app = spawn_app();
    let id = branch_with_members(&app);
    let secretary = app.login("secretary");
    let page = format!("/party/branches/{id}/activities/new");
    let day = (local_today() - chrono::Duration::days(1)).to_string();
    let f = new_fields(
        &secretary,
        &page,
        id,
        &[
            ("kind", "themed_day"),
            ("title", "主题党日：慰问困难党员"),
            ("day", &day),
            ("given", "米面油"),
        ],
    );
    let before = app.count("SELECT COUNT(*) AS n FROM party_activities");
    let bad = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    assert_eq!(bad.status, 422, "{}", bad.body);
    assert!(
        bad.text("#e-given").contains("走访慰问"),
        "{}",
        bad.text("#e-given")
    );
    assert_eq!(bad.value("#f-given").as_deref(), Some("米面油"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM party_activities"),
        before
    );
    // Chosen as a visit, it saves; the page offers the next record.
    let mut f = f;
    set(&mut f, "kind", "visit");
    set(&mut f, "visited", "李大娘");
    let r = secretary.multipart(&format!("/party/branches/{id}/activities"), &f, &[]);
    let aid = id_after(&r, "/party/activities/");
    let page = secretary.get(&format!("/party/activities/{aid}"));
    assert!(page.has(&format!(
        "#record-another[href=\"/party/branches/{id}/activities/new\"]"
    )));
}
