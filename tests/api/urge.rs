//! 督办 through the HTTP layer: a leader's urge goes on the timeline (第N次, the deadline moved
//! old → new), into the handler unit's to-do with a badge, onto the unit's next weekly agenda
//! as 领导督办, and into the list's 督办中 filter, its export and the cockpit's count; scope,
//! roles, a missing note and a double click.

use crate::helpers::*;
use crate::issues::{act, report};

const COMMUNITY: &str = "工人路社区";

/// An issue reported in the worker's grid, registered and dispatched by the community clerk to
/// the community itself, then made overdue.
fn overdue_issue(app: &TestApp, title: &str) -> i32 {
    let id = report(&app.login("worker"), title);
    let clerk = app.login("cclerk");
    act(&clerk, id, "register", &[]);
    let unit = app.org_id(COMMUNITY).to_string();
    act(
        &clerk,
        id,
        "dispatch",
        &[("target_kind", "unit"), ("target_unit", &unit)],
    );
    app.exec(&format!(
        "UPDATE issues SET deadline = '2026-01-05 16:00:00' WHERE id = {id}"
    ));
    id
}

fn urge_path(id: i32) -> String {
    format!("/issues/{id}/urge")
}

/// Sends a 督办 through the form on the issue page.
fn urge(c: &Client, id: i32, fields: &[(&str, &str)]) -> Resp {
    c.submit(&format!("/issues/{id}"), &urge_path(id), fields)
}

fn urges(app: &TestApp, id: i32) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM issue_urges WHERE issue_id = {id}"
    ))
}

/// The urged count on the to-do tab `todo` of the list (0 when the tab shows none).
fn urged_in_tab(c: &Client, todo: &str) -> i64 {
    let page = c.get("/issues");
    let tag = page.text(&format!(
        "nav.tabs a[href=\"/issues?todo={todo}\"] .tag.urged"
    ));
    tag.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[test]
fn an_urge_goes_on_the_timeline_the_todo_and_moves_the_deadline() {
    let app = spawn_app();
    let id = overdue_issue(&app, "小区路灯损坏多日未修");
    let clerk = app.login("cclerk");
    let before = urged_in_tab(&clerk, "handle");
    let leader = app.login("leader");
    let page = leader.get(&format!("/issues/{id}"));
    assert!(page.has(&format!("details#urge form[action=\"{}\"]", urge_path(id))));
    assert!(!page.has("#urge-badge"), "not urged yet");
    let due = (local_today() + chrono::Duration::days(7)).to_string();
    let r = urge(
        &leader,
        id,
        &[("note", "请本周内修复并报告"), ("new_deadline", &due)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location(), format!("/issues/{id}"));
    assert_eq!(urges(&app, id), 1);
    // The deadline moved to the end of the agreed day (local midnight after it, UTC 16:00).
    let stored = app.strings(&format!(
        "SELECT CAST(deadline AS TEXT) AS s FROM issues WHERE id = {id}"
    ));
    assert!(stored[0].starts_with(&due), "{stored:?} for {due}");
    let page = leader.get(&format!("/issues/{id}"));
    assert_eq!(page.text("#urge-badge"), "督办 1");
    let timeline = page.text("ol.timeline");
    assert_eq!(page.text("ol.timeline .tag.urged"), "第1次");
    assert!(timeline.contains("请本周内修复并报告"));
    assert!(timeline.contains("林山寨街道领导"));
    assert!(
        timeline.contains(&format!("2026-01-05 → {due}")),
        "{timeline}"
    );
    assert!(!page.has(".tag.overdue"), "no longer overdue");
    // A second urge without a new deadline is counted.
    let r = urge(&leader, id, &[("note", "仍未修复，再次督办")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = leader.get(&format!("/issues/{id}"));
    assert_eq!(page.text("#urge-badge"), "督办 2");
    assert_eq!(page.text("ol.timeline .tag.urged"), "第1次 第2次");
    // The handling unit's to-do flags it, with the badge on its row; the cached counts moved.
    assert_eq!(urged_in_tab(&clerk, "handle"), before + 1);
    let todo = clerk.get("/issues?todo=handle");
    assert!(
        todo.text(&format!("tr:has(a[href=\"/issues/{id}\"]) .tag.urged"))
            .contains("督办 2"),
    );
    // The audit log has both, in the issue's scope.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'urge' AND entity = 'issue' \
             AND entity_id = {id}"
        )),
        2
    );
    // Closed issues are not offered the form.
    app.exec(&format!(
        "UPDATE issues SET state = 'closed' WHERE id = {id}"
    ));
    let page = leader.get(&format!("/issues/{id}"));
    assert!(!page.has(&format!("form[action=\"{}\"]", urge_path(id))));
}

#[test]
fn an_urged_issue_is_drafted_onto_the_next_weekly_agenda_as_urged_by_a_leader() {
    let app = spawn_app();
    app.clear_meetings();
    // Not overdue: only the urge puts it on the agenda beside the new ones.
    let id = report(&app.login("worker"), "河道漂浮垃圾");
    app.exec(&format!(
        "UPDATE issues SET reported_at = '2026-01-05 01:00:00' WHERE id = {id}"
    ));
    let r = urge(&app.login("leader"), id, &[("note", "请列入例会研究")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let clerk = app.login("cclerk");
    let unit = app.org_id(COMMUNITY);
    let page = clerk.get(&format!(
        "/meetings/new?unit={unit}&kind=weekly&day={}",
        local_today()
    ));
    assert_eq!(page.status, 200);
    let f = form_fields(&page, "/meetings");
    let mut f = f;
    for (k, v) in [
        ("place", "社区二楼会议室"),
        ("chair", "李建国"),
        ("recorder", "王敏"),
        ("start_time", "09:00"),
        ("end_time", "10:30"),
    ] {
        set_field(&mut f, k, v);
    }
    let r = clerk.post_raw("/meetings", &pairs(&f));
    assert_eq!(r.status, 303, "{}", r.body);
    let meeting: i32 = r
        .location()
        .trim_start_matches("/meetings/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let reasons = app.strings(&format!(
        "SELECT reasons AS s FROM meeting_items WHERE meeting_id = {meeting} AND issue_id = {id}"
    ));
    assert_eq!(reasons, ["urged"], "drafted in as 领导督办 only");
    let page = clerk.get(&format!("/meetings/{meeting}"));
    assert!(
        page.text("tr.agenda-item span.r-urged")
            .contains("领导督办")
    );
    // Urged lines lead the agenda.
    let first = app.strings(&format!(
        "SELECT reasons AS s FROM meeting_items WHERE meeting_id = {meeting} ORDER BY position LIMIT 1"
    ));
    assert!(first[0].starts_with("urged"), "{first:?}");
}

#[test]
fn the_list_filters_urged_issues_and_the_export_and_cockpit_count_agree() {
    let app = spawn_app();
    let urged = overdue_issue(&app, "井盖缺失存在隐患");
    let plain = overdue_issue(&app, "绿化带杂草丛生");
    let leader = app.login("leader");
    assert_eq!(urge(&leader, urged, &[("note", "限期整改")]).status, 303);
    let list = leader.get("/issues?urged=1");
    assert_eq!(list.status, 200);
    assert!(list.has("form.filters input[type=checkbox][name=urged][checked]"));
    assert!(list.body.contains("井盖缺失存在隐患"));
    assert!(!list.body.contains("绿化带杂草丛生"));
    let _ = plain;
    // Every row shown is an open urged issue, and the raw recount in the leader's street agrees
    // with the rows and with the cockpit's count.
    let path = app.strings("SELECT path AS s FROM org_units WHERE name = '林山寨街道'")[0].clone();
    let recount = app.count(&format!(
        "SELECT COUNT(*) AS n FROM issues i WHERE i.scope_path LIKE '{path}%' \
         AND i.state NOT IN ('closed', 'rejected', 'cancelled') \
         AND EXISTS (SELECT 1 FROM issue_urges u WHERE u.issue_id = i.id)"
    ));
    assert!(recount >= 2, "the demo's urges and this one: {recount}");
    assert_eq!(list.texts("table.issues tbody tr").len() as i64, recount);
    assert_eq!(
        list.texts("table.issues tbody tr .tag.urged").len() as i64,
        recount
    );
    let mut c = app.conn();
    let counted = gridwork::issues::models::open_urged_count(&mut c, &path).unwrap();
    assert_eq!(counted, recount);
    // The export honours the filter.
    let xlsx = leader.get("/issues/export.xlsx?urged=1");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("井盖缺失存在隐患"));
    assert!(!text.contains("绿化带杂草丛生"));
    assert!(text.contains("督办次数"));
}

#[test]
fn outside_the_scope_is_a_404_and_a_worker_or_secretary_cannot_urge() {
    let app = spawn_app();
    let id = overdue_issue(&app, "楼顶违建");
    app.add_user("lxclerk", "clerk", "陇西社区");
    let other = app.login("lxclerk");
    let csrf = other.csrf("/issues");
    let r = other.post_raw(
        &urge_path(id),
        &[
            ("csrf_token", &csrf),
            ("note", "督办"),
            ("form_token", "t1"),
        ],
    );
    assert_eq!(r.status, 404);
    assert!(!r.body.contains("楼顶违建"), "the 404 leaks nothing");
    for who in ["worker", "secretary"] {
        let c = app.login(who);
        let page = c.get(&format!("/issues/{id}"));
        assert_eq!(page.status, 200, "{who} sees the issue");
        assert!(!page.has(&format!("form[action=\"{}\"]", urge_path(id))));
        let csrf = c.csrf(&format!("/issues/{id}"));
        let r = c.post_raw(
            &urge_path(id),
            &[
                ("csrf_token", &csrf),
                ("note", "督办"),
                ("form_token", "t2"),
            ],
        );
        assert_eq!(r.status, 403, "{who}");
    }
    // Without the CSRF token nothing is written either.
    let leader = app.login("leader");
    let r = leader.post_raw(&urge_path(id), &[("note", "督办"), ("form_token", "t3")]);
    assert_eq!(r.status, 403);
    assert_eq!(urges(&app, id), 0);
}

#[test]
fn a_missing_note_keeps_what_was_typed_and_a_double_click_urges_once() {
    let app = spawn_app();
    let id = overdue_issue(&app, "噪音扰民");
    let leader = app.login("leader");
    let due = (local_today() + chrono::Duration::days(3)).to_string();
    let r = urge(&leader, id, &[("note", "  "), ("new_deadline", &due)]);
    assert_eq!(r.status, 422);
    assert!(r.has("details#urge[open] .field.invalid #e-note"));
    assert_eq!(
        r.value("details#urge input[name=new_deadline]"),
        Some(due.clone())
    );
    assert_eq!(urges(&app, id), 0);
    // A deadline in the past is refused beside its field.
    let r = urge(
        &leader,
        id,
        &[("note", "请办理"), ("new_deadline", "2020-01-01")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("details#urge #e-new_deadline"));
    // The same form sent twice makes one urge; both answers lead to the issue.
    let page = leader.get(&format!("/issues/{id}"));
    let mut f = form_fields(&page, &urge_path(id));
    set_field(&mut f, "note", "请尽快处理");
    let first = leader.post_raw(&urge_path(id), &pairs(&f));
    let second = leader.post_raw(&urge_path(id), &pairs(&f));
    assert_eq!(first.status, 303);
    assert_eq!(second.status, 303);
    assert_eq!(second.location(), first.location());
    assert_eq!(urges(&app, id), 1);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id = {id} AND action = 'urge'"
        )),
        1
    );
}
