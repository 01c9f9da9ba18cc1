//! Meetings through the HTTP layer: the agenda that drafts itself from the register, attendance
//! and minutes, decisions written back to issues, the states and corrections, the leader's
//! week, and the promises (bad input, double submits, stale edits, session timeouts, scope,
//! CSRF, audit).

use crate::helpers::*;
use crate::issues::{assert_summary_matches, report};

const COMMUNITY: &str = "工人路社区";

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    fields.retain(|(n, _)| n != name);
    fields.push((name.to_string(), value.to_string()));
}

fn pairs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The new-meeting form of `unit`, filled in.
fn new_form(c: &Client, unit: i32, kind: &str, day: &str) -> Vec<(String, String)> {
    let page = c.get(&format!("/meetings/new?unit={unit}&kind={kind}&day={day}"));
    assert_eq!(page.status, 200, "{}", page.body);
    let mut f = form_fields(&page, "/meetings");
    set(&mut f, "place", "社区二楼会议室");
    set(&mut f, "chair", "李建国");
    set(&mut f, "recorder", "王敏");
    set(&mut f, "start_time", "09:00");
    set(&mut f, "end_time", "10:30");
    f
}

fn id_of(r: &Resp) -> i32 {
    assert_eq!(r.status, 303, "{}", r.body);
    r.location()
        .trim_start_matches("/meetings/")
        .split(['?', '#'])
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

/// Creates a meeting through the form and returns its id.
pub fn create(c: &Client, unit: i32, kind: &str, day: &str) -> i32 {
    let f = new_form(c, unit, kind, day);
    id_of(&c.post_raw("/meetings", &pairs(&f)))
}

fn today() -> String {
    local_today().to_string()
}

/// Marks the meeting held (or final) through the button on its page.
fn step(c: &Client, id: i32, to: &str) {
    let r = c.submit(
        &format!("/meetings/{id}"),
        &format!("/meetings/{id}/state"),
        &[("to", to)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
}

fn ids(app: &TestApp, sql: &str) -> Vec<i64> {
    let mut v: Vec<i64> = app
        .strings(sql)
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

fn agenda_issues(app: &TestApp, meeting: i32) -> Vec<i64> {
    ids(
        app,
        &format!(
            "SELECT CAST(issue_id AS TEXT) AS s FROM meeting_items \
             WHERE meeting_id = {meeting} AND issue_id IS NOT NULL AND removed = FALSE"
        ),
    )
}

/// The first agenda item (id) about `issue`.
fn item_of(app: &TestApp, meeting: i32, issue: i32) -> i32 {
    app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {meeting} \
         AND issue_id = {issue}"
    )) as i32
}

#[test]
fn a_weekly_meeting_drafts_its_agenda_from_the_register() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let worker = app.login("worker");
    let fresh = report(&worker, "楼道堆放杂物影响消防通道");
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let path = app.strings(&format!(
        "SELECT path AS s FROM org_units WHERE id = {unit}"
    ))[0]
        .clone();
    // What the rules put on the agenda, counted straight from the register.
    let open = "state NOT IN ('closed', 'rejected', 'cancelled')";
    let expected = ids(
        &app,
        &format!(
            "SELECT CAST(i.id AS TEXT) AS s FROM issues i WHERE i.{open} AND i.scope_path LIKE '{path}%' AND ( \
             (i.owner_unit_id = {unit} AND i.reported_at >= (SELECT since FROM meetings WHERE id = {id})) \
             OR (i.state IN ('dispatched', 'handling', 'returned') AND i.deadline < (SELECT created_at FROM meetings WHERE id = {id})) \
             OR EXISTS (SELECT 1 FROM issue_urges u WHERE u.issue_id = i.id) \
             OR (i.owner_unit_id = {unit} AND EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.action = 'escalate')) \
             OR (i.rework_count > 0 AND EXISTS (SELECT 1 FROM issue_events e WHERE e.issue_id = i.id AND e.action = 'rework' \
                 AND e.created_at >= (SELECT since FROM meetings WHERE id = {id}))))"
        ),
    );
    assert!(
        !expected.is_empty(),
        "the demo week has issues for the agenda"
    );
    assert!(expected.len() <= 80, "{} lines", expected.len());
    assert_eq!(agenda_issues(&app, id), expected);
    assert!(expected.contains(&(fresh as i64)));
    // The page numbers the lines and says why each is there.
    let page = clerk.get(&format!("/meetings/{id}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.texts("tr.agenda-item").len(), expected.len());
    assert!(page.has(&format!("tr#item-{} span.r-new", item_of(&app, id, fresh))));
    // Every staff member of the community and its grids is expected; the kept counts agree.
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(expected AS BIGINT) AS n FROM meetings WHERE id = {id}"
        )),
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM meeting_people WHERE meeting_id = {id}"
        ))
    );
    assert!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM meeting_people WHERE meeting_id = {id}"
        )) > 0
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(items AS BIGINT) AS n FROM meetings WHERE id = {id}"
        )),
        expected.len() as i64
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'meeting' AND entity_id = {id} AND action = 'create'"
        )),
        1
    );
}

#[test]
fn a_double_submit_creates_one_meeting_and_bad_fields_keep_what_was_typed() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let mut f = new_form(&clerk, unit, "weekly", &today());
    set(&mut f, "place", "");
    set(&mut f, "end_time", "08:00");
    set(&mut f, "chair", "李建国");
    set(&mut f, "guests", "张警官，林山寨派出所");
    let bad = clerk.post_raw("/meetings", &pairs(&f));
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-place"));
    assert!(bad.has("#e-end_time"));
    assert_eq!(bad.text("#f-chair option[selected]"), "李建国");
    assert!(bad.body.contains("张警官，林山寨派出所"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM meetings"), 0);
    set(&mut f, "place", "社区二楼会议室");
    set(&mut f, "end_time", "10:00");
    let first = clerk.post_raw("/meetings", &pairs(&f));
    let again = clerk.post_raw("/meetings", &pairs(&f));
    assert_eq!(id_of(&first), id_of(&again));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM meetings"), 1);
    // The guest is on the attendance list, beside the staff.
    assert_eq!(
        app.count(
            "SELECT COUNT(*) AS n FROM meeting_people WHERE user_id IS NULL AND name = '张警官'"
        ),
        1
    );
}

#[test]
fn a_decision_dispatches_the_issue_and_sets_its_deadline() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let grid = app.org_id("工人路社区第2网格");
    let worker = app.login("worker");
    let issue = report(&worker, "小区门口路灯不亮");
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let item = item_of(&app, id, issue);
    let page = format!("/meetings/{id}/items/{item}");
    let due = (local_today() + chrono::Duration::days(5)).to_string();
    let decision = [
        ("discussion", "网格员反映已持续一周，居民夜间出行不便。"),
        ("solution", "由第2网格联系路灯所三日内维修"),
        ("target_kind", "unit"),
        ("target_unit", &grid.to_string()),
        ("deadline", due.as_str()),
    ];
    // Before the meeting is held, decisions wait.
    let early = clerk.submit(&page, &page, &decision);
    assert_eq!(early.status, 422);
    assert!(early.body.contains("网格员反映已持续一周"));
    step(&clerk, id, "held");
    let r = clerk.submit(&page, &page, &decision);
    assert_eq!(r.status, 303, "{}", r.body);
    // Written back: registered and dispatched to the grid, the deadline is the decision's day,
    // the timeline names the meeting.
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM issues WHERE id = {issue}")),
        vec!["dispatched"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(handler_unit_id AS BIGINT) AS n FROM issues WHERE id = {issue}"
        )),
        grid as i64
    );
    let events = app.strings(&format!(
        "SELECT action AS s FROM issue_events WHERE issue_id = {issue} ORDER BY id"
    ));
    assert_eq!(events, vec!["report", "register", "dispatch", "meeting"]);
    let shown = clerk.get(&format!("/issues/{issue}"));
    assert!(shown.body.contains("由第2网格联系路灯所三日内维修"));
    assert!(shown.body.contains(&format!("{COMMUNITY} 周例会")));
    assert!(!shown.body.contains("detail.meeting"));
    // Stored once, read in the reader's language: the kind is a marker, not the writer's words.
    let detail = app.strings(&format!(
        "SELECT detail AS s FROM issue_events WHERE issue_id = {issue} AND action = 'meeting'"
    ));
    assert!(detail[0].contains("⟦meetings.kind.weekly⟧"), "{detail:?}");
    clerk.set_lang("en");
    let english = clerk.get(&format!("/issues/{issue}"));
    let details = english.texts("ol.timeline .detail").join(" | ");
    assert!(
        details.contains(&format!("{COMMUNITY} Weekly meeting")),
        "{details}"
    );
    assert!(!details.contains("周例会"), "{details}");
    let marker = english
        .body
        .find('⟦')
        .map(|i| &english.body[i.saturating_sub(200)..i + 100]);
    assert!(marker.is_none(), "{marker:?}");
    clerk.set_lang("zh-CN");
    assert!(shown.has(&format!(
        "#issue-meetings a[href=\"/meetings/{id}#item-{item}\"]"
    )));
    let deadline = app.strings(&format!(
        "SELECT CAST(deadline AS TEXT) AS s FROM issues WHERE id = {issue}"
    ));
    // 23:59:59 local on the due day is 15:59:59 UTC.
    assert!(
        deadline[0].starts_with(&format!("{due} 15:59:59")),
        "{deadline:?}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(decided AS BIGINT) AS n FROM meetings WHERE id = {id}"
        )),
        1
    );
    assert_summary_matches(&app);
    // Saving the same decision again writes nothing more to the issue.
    assert_eq!(clerk.submit(&page, &page, &[]).status, 303);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id = {issue} AND action = 'meeting'"
        )),
        1
    );
    // The meeting page shows the decision beside the item.
    let m = clerk.get(&format!("/meetings/{id}"));
    assert!(
        m.text(&format!("tr#item-{item} .decision"))
            .contains("三日内维修")
    );
}

#[test]
fn a_decision_edited_by_two_clerks_is_refused_with_both_versions() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let worker = app.login("worker");
    let issue = report(&worker, "井盖松动");
    let a = app.login("cclerk");
    app.add_user("cclerk2", "clerk", COMMUNITY);
    let b = app.login("cclerk2");
    let id = create(&a, unit, "weekly", &today());
    step(&a, id, "held");
    let item = item_of(&app, id, issue);
    let page = format!("/meetings/{id}/items/{item}");
    let seen_by_b = b.get(&page);
    let mut mine = form_fields(&a.get(&page), &page);
    set(&mut mine, "solution", "甲：联系市政维修");
    // Twice, as a double click sends it: the second finds its own change saved.
    for _ in 0..2 {
        let r = a.post_raw(&page, &pairs(&mine));
        assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(300)]);
    }
    let mut f = form_fields(&seen_by_b, &page);
    set(&mut f, "solution", "乙：设置警示标志");
    let stale = b.post_raw(&page, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("甲：联系市政维修"));
    assert!(stale.text(".conflict").contains("乙：设置警示标志"));
    assert_eq!(stale.text("#f-solution"), "乙：设置警示标志");
    // Submitting the kept form again saves it deliberately.
    let f2 = form_fields(&stale, &page);
    assert_eq!(b.post_raw(&page, &pairs(&f2)).status, 303);
    assert_eq!(
        app.strings(&format!(
            "SELECT solution AS s FROM meeting_items WHERE id = {item}"
        )),
        vec!["乙：设置警示标志"]
    );
}

#[test]
fn minutes_are_never_lost() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let page = format!("/meetings/{id}/record");
    let person = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM meeting_people WHERE meeting_id = {id}"
    ));
    let minutes = "一、通报上周问题办理情况。\n二、部署冬季消防安全检查。\n".repeat(40);
    // An absence without a reason: a message on the row, everything typed kept.
    let att = format!("att_{person}");
    let bad = clerk.submit(&page, &page, &[("minutes", &minutes), (&att, "absent")]);
    assert_eq!(bad.status, 422);
    assert!(bad.text("table.attendance .field-error").contains("原因"));
    assert_eq!(bad.text("#f-minutes"), minutes.trim());
    // Two clerks: the second save is refused with both versions and the typed minutes kept.
    app.add_user("cclerk2", "clerk", COMMUNITY);
    let other = app.login("cclerk2");
    let seen = other.get(&page);
    let reason = format!("absence_{person}");
    let ok = clerk.submit(
        &page,
        &page,
        &[("minutes", &minutes), (&att, "leave"), (&reason, "病假")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let mut again = form_fields(&seen, &page);
    for (k, v) in [
        ("minutes", minutes.as_str()),
        (att.as_str(), "leave"),
        (reason.as_str(), "病假"),
    ] {
        set(&mut again, k, v);
    }
    let twice = other.post_raw(&page, &pairs(&again));
    assert_eq!(twice.status, 303, "the same minutes saved twice are saved");
    let mut f = form_fields(&seen, &page);
    set(&mut f, "minutes", "乙记录的纪要");
    let stale = other.post_raw(&page, &pairs(&f));
    assert_eq!(stale.status, 409);
    assert!(stale.text(".conflict").contains("乙记录的纪要"));
    assert!(stale.text(".conflict").contains("部署冬季消防安全检查"));
    assert_eq!(stale.text("#f-minutes"), "乙记录的纪要");
    // The session ends while the minutes are typed: after the login they come back.
    let mut f = form_fields(&clerk.get(&page), &page);
    set(&mut f, "minutes", "超时前录入的纪要全文");
    app.exec("DELETE FROM sessions");
    let r = clerk.post_raw(&page, &pairs(&f));
    assert_eq!(r.status, 303);
    assert!(r.location().starts_with("/login"), "{}", r.location());
    let login = clerk.submit(
        r.location(),
        "/login",
        &[("username", "cclerk"), ("password", PASSWORD)],
    );
    assert_eq!(login.location(), format!("{page}?draft=1"));
    let back = clerk.get(login.location());
    assert_eq!(back.text("#f-minutes"), "超时前录入的纪要全文");
    let f = form_fields(&back, &page);
    assert_eq!(clerk.post_raw(&page, &pairs(&f)).status, 303);
    assert_eq!(
        app.strings(&format!(
            "SELECT minutes AS s FROM meetings WHERE id = {id}"
        )),
        vec!["超时前录入的纪要全文"]
    );
    // The absence and its reason are on the meeting's page.
    let shown = clerk.get(&format!("/meetings/{id}"));
    assert!(shown.text("#absent").contains("病假"));
}

#[test]
fn a_finalized_meeting_takes_only_corrections_with_a_reason() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let page = format!("/meetings/{id}/record");
    assert_eq!(
        clerk.submit(&page, &page, &[("minutes", "原纪要")]).status,
        303
    );
    step(&clerk, id, "held");
    step(&clerk, id, "final");
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM meetings WHERE id = {id}")),
        vec!["final"]
    );
    // No silent change: without a reason it is refused.
    let bare = clerk.submit(&page, &page, &[("minutes", "改过的纪要")]);
    assert_eq!(bare.status, 422);
    assert!(bare.has("#e-reason"));
    assert_eq!(bare.text("#f-minutes"), "改过的纪要");
    let r = clerk.submit(
        &page,
        &page,
        &[("minutes", "改过的纪要"), ("reason", "记录人笔误")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = clerk.get(&format!("/meetings/{id}"));
    let corr = shown.text("#corrections");
    assert!(corr.contains("记录人笔误"));
    assert!(corr.contains("原纪要"));
    assert!(corr.contains("改过的纪要"));
    // The agenda is fixed: no adding, moving or re-drafting.
    let add = clerk.post_raw(
        &format!("/meetings/{id}/items"),
        &[
            ("csrf_token", &clerk.csrf(&format!("/meetings/{id}"))),
            ("topic", "补一个议题"),
        ],
    );
    assert_eq!(add.status, 403);
    assert!(!shown.has("#add-item"));
    // Nothing goes back to draft or held.
    let token = clerk.csrf(&format!("/meetings/{id}"));
    let v = app
        .count(&format!(
            "SELECT CAST(version AS BIGINT) AS n FROM meetings WHERE id = {id}"
        ))
        .to_string();
    clerk.post_raw(
        &format!("/meetings/{id}/state"),
        &[("csrf_token", &token), ("to", "held"), ("version", &v)],
    );
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM meetings WHERE id = {id}")),
        vec!["final"]
    );
    assert!(app.count(&format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'meeting' AND entity_id = {id} AND action = 'meeting_final'"
    )) == 1);
}

#[test]
fn the_agenda_is_edited_by_number_topic_order_and_removal() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "huddle", &today());
    let show = format!("/meetings/{id}");
    let add = format!("/meetings/{id}/items");
    // An unknown number: a message beside the field, the number kept.
    let bad = clerk.submit(&show, &add, &[("number", "LSZ-1999-999999")]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-number"));
    assert_eq!(bad.value("#f-number").as_deref(), Some("LSZ-1999-999999"));
    // An issue of the community not on the agenda is added by its number.
    let path = app.strings(&format!(
        "SELECT path AS s FROM org_units WHERE id = {unit}"
    ))[0]
        .clone();
    let number = app.strings(&format!(
        "SELECT number AS s FROM issues WHERE scope_path LIKE '{path}%' AND id NOT IN \
         (SELECT issue_id FROM meeting_items WHERE meeting_id = {id} AND issue_id IS NOT NULL) ORDER BY id"
    ))[0]
        .clone();
    assert_eq!(
        clerk.submit(&show, &add, &[("number", &number)]).status,
        303
    );
    let again = clerk.submit(&show, &add, &[("number", &number)]);
    assert_eq!(again.status, 422);
    // Another street's issue is not found from here.
    let foreign = app
        .strings("SELECT number AS s FROM issues WHERE number LIKE 'LDC%' ORDER BY id")[0]
        .clone();
    assert_eq!(
        clerk.submit(&show, &add, &[("number", &foreign)]).status,
        422
    );
    assert_eq!(
        clerk
            .submit(&show, &add, &[("topic", "冬季供暖入户排查安排")])
            .status,
        303
    );
    let page = clerk.get(&show);
    let titles = page.texts("tr.agenda-item .item-title");
    let n = titles.len();
    assert_eq!(titles[n - 1], "冬季供暖入户排查安排");
    // Move the topic up one, then remove it; it waits under "removed" and comes back.
    let topic = app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {id} AND issue_id IS NULL"
    ));
    let mv = format!("/meetings/{id}/items/{topic}/move");
    assert_eq!(clerk.submit(&show, &mv, &[("op", "up")]).status, 303);
    let titles = clerk.get(&show).texts("tr.agenda-item .item-title");
    assert_eq!(titles[n - 2], "冬季供暖入户排查安排");
    assert_eq!(clerk.submit(&show, &mv, &[("op", "remove")]).status, 303);
    let page = clerk.get(&show);
    assert_eq!(page.texts("tr.agenda-item").len(), n - 1);
    assert!(
        page.text("details.removed")
            .contains("冬季供暖入户排查安排")
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(items AS BIGINT) AS n FROM meetings WHERE id = {id}"
        )),
        (n - 1) as i64
    );
    let restore = form_fields_sel(&page, &format!("details.removed form[action=\"{mv}\"]"));
    assert_eq!(clerk.post_raw(&mv, &pairs(&restore)).status, 303);
    assert_eq!(clerk.get(&show).texts("tr.agenda-item").len(), n);
}

#[test]
fn a_free_topic_becomes_an_issue_with_its_decision() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let grid = app.org_id("工人路社区第1网格");
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let show = format!("/meetings/{id}");
    assert_eq!(
        clerk
            .submit(
                &show,
                &format!("/meetings/{id}/items"),
                &[("topic", "12号院外墙瓷砖脱落")]
            )
            .status,
        303
    );
    step(&clerk, id, "held");
    let item = app.count(&format!(
        "SELECT CAST(id AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {id} AND issue_id IS NULL"
    ));
    let page = format!("/meetings/{id}/items/{item}");
    let grid_s = grid.to_string();
    let r = clerk.submit(
        &page,
        &page,
        &[
            ("solution", "拉警戒线，联系产权单位维修"),
            ("target_kind", "unit"),
            ("target_unit", &grid_s),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let to_issue = format!("/meetings/{id}/items/{item}/issue");
    // Without a category: a message, the title kept.
    let bad = clerk.submit(&page, &to_issue, &[("grid_id", &grid_s)]);
    assert_eq!(bad.status, 422);
    assert!(bad.has("#e-category_id"));
    let ok = clerk.submit(
        &page,
        &to_issue,
        &[("grid_id", &grid_s), ("category_id", "802")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let issue = app.count(&format!(
        "SELECT CAST(issue_id AS BIGINT) AS n FROM meeting_items WHERE id = {item}"
    ));
    assert!(issue > 0);
    assert_eq!(
        app.strings(&format!(
            "SELECT source AS s FROM issues WHERE id = {issue}"
        )),
        vec!["meeting"]
    );
    // The decision went to the new issue: dispatched to the grid, on its timeline.
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM issues WHERE id = {issue}")),
        vec!["dispatched"]
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id = {issue} AND action = 'meeting'"
        )),
        1
    );
    assert_summary_matches(&app);
}

#[test]
fn meetings_stay_inside_the_scope_and_need_csrf() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let id = create(&clerk, unit, "weekly", &today());
    let item = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM meeting_items WHERE meeting_id = {id}"
    ));
    app.add_user("otherclerk", "clerk", "桐柏路社区");
    let other = app.login("otherclerk");
    for p in [
        format!("/meetings/{id}"),
        format!("/meetings/{id}/record"),
        format!("/meetings/{id}/items/{item}"),
    ] {
        let r = other.get(&p);
        assert_eq!(r.status, 404, "{p}");
        assert!(!r.body.contains("社区二楼会议室"), "{p}");
    }
    let list = other.get("/meetings");
    assert!(!list.has(&format!("tr[data-id=\"{id}\"]")));
    assert_eq!(other.get(&format!("/meetings?unit={unit}")).status, 404);
    let xlsx = other.get("/meetings/export.xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(!xlsx_text(&xlsx.bytes).contains("社区二楼会议室"));
    let token = other.csrf("/meetings");
    let post = other.post_raw(
        &format!("/meetings/{id}/record"),
        &[("csrf_token", &token), ("minutes", "x"), ("version", "1")],
    );
    assert_eq!(post.status, 404);
    // The street's leader sees it; the community's branch secretary reads but cannot record.
    let leader = app.login("leader");
    assert_eq!(leader.get(&format!("/meetings/{id}")).status, 200);
    assert!(
        leader
            .get("/meetings")
            .has(&format!("tr[data-id=\"{id}\"]"))
    );
    let secretary = app.login("secretary");
    assert_eq!(secretary.get(&format!("/meetings/{id}")).status, 200);
    assert_eq!(secretary.get(&format!("/meetings/{id}/record")).status, 403);
    assert_eq!(secretary.get("/meetings/new").status, 403);
    // No CSRF token, no change.
    let r = clerk.post_raw(
        &format!("/meetings/{id}/state"),
        &[("to", "held"), ("version", "1")],
    );
    assert_eq!(r.status, 403);
    let r = clerk.post_raw(
        &format!("/meetings/{id}/record"),
        &[("minutes", "x"), ("version", "1")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        app.strings(&format!("SELECT state AS s FROM meetings WHERE id = {id}")),
        vec!["draft"]
    );
}

#[test]
fn the_leader_sees_who_met_this_week_and_overdue_decisions() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let worker = app.login("worker");
    let issue = report(&worker, "菜市场门口污水外溢");
    let clerk = app.login("cclerk");
    // Last week's meeting decided the issue with a deadline that has passed.
    let last_week = (local_today() - chrono::Duration::days(7)).to_string();
    let old = create(&clerk, unit, "weekly", &last_week);
    step(&clerk, old, "held");
    let item = item_of(&app, old, issue);
    let page = format!("/meetings/{old}/items/{item}");
    let due = (local_today() - chrono::Duration::days(6)).to_string();
    let r = clerk.submit(
        &page,
        &page,
        &[("solution", "疏通下水道"), ("deadline", &due)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    step(&clerk, old, "final");
    let leader = app.login("leader");
    let week = leader.get("/meetings/week");
    assert_eq!(week.status, 200);
    let row = format!("tr.unit-row[data-unit=\"{unit}\"]");
    assert!(week.has(&format!("{row}.not-held")));
    assert!(week.has(&format!("tr.overdue-row[data-item=\"{item}\"]")));
    assert!(
        week.text("#overdue").contains("疏通下水道")
            || week.text("#overdue").contains("菜市场门口污水外溢")
    );
    // This week's meeting is held: the community turns green; the old decision is carried
    // over onto the new agenda.
    let now = create(&clerk, unit, "weekly", &today());
    let carried = item_of(&app, now, issue);
    assert!(
        clerk
            .get(&format!("/meetings/{now}"))
            .has(&format!("tr#item-{carried} span.r-carried")),
        "carried over"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT CAST(discussed_before AS BIGINT) AS n FROM meeting_items WHERE id = {carried}"
        )),
        1
    );
    step(&clerk, now, "held");
    let week = leader.get("/meetings/week");
    assert!(!week.has(&format!("{row}.not-held")));
    // This week's meeting gives the issue a new deadline: the old decision is no longer overdue.
    let page = format!("/meetings/{now}/items/{carried}");
    let later = (local_today() + chrono::Duration::days(3)).to_string();
    let r = clerk.submit(
        &page,
        &page,
        &[("solution", "督促物业本周内疏通"), ("deadline", &later)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let week = leader.get("/meetings/week");
    assert!(!week.has(&format!("tr.overdue-row[data-item=\"{item}\"]")));
    let xlsx = leader.get("/meetings/week/export.xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(xlsx_text(&xlsx.bytes).contains(COMMUNITY));
    // Outside the leader's scope: a bad unit is 404.
    let other = app.org_id("绿东村街道");
    assert_eq!(
        leader.get(&format!("/meetings/week?unit={other}")).status,
        404
    );
}

#[test]
fn the_list_filters_and_exports() {
    let app = spawn_app();
    app.clear_meetings();
    let unit = app.org_id(COMMUNITY);
    let clerk = app.login("cclerk");
    let weekly = create(&clerk, unit, "weekly", &today());
    let huddle = create(&clerk, unit, "huddle", &today());
    let list = clerk.get("/meetings?kind=huddle");
    assert!(list.has(&format!("tr[data-id=\"{huddle}\"]")));
    assert!(!list.has(&format!("tr[data-id=\"{weekly}\"]")));
    let bad = clerk.get("/meetings?from=2026-13-01");
    assert_eq!(bad.status, 200);
    assert!(bad.has("#e-from"));
    assert_eq!(bad.value("#f-from").as_deref(), Some("2026-13-01"));
    let xlsx = clerk.get("/meetings/export.xlsx?kind=weekly");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("周例会"));
    assert!(!text.contains("日碰头"));
}
