//! The edge cases found by trying to break Gridwork as a hostile or hurried user would: control
//! characters and invalid UTF-8 in every kind of input, double clicks on every kind of write,
//! oversized bodies and URLs. They run on both backends like the rest of the suite.

use crate::helpers::*;
use crate::issues::report;
use crate::meeting_sheet::create_meeting;

const FORM: &str = "application/x-www-form-urlencoded";

/// An opinion's form as the page offers it, with `content` typed.
fn opinion_form(app: &TestApp, c: &Client, content: &str) -> Vec<(String, String)> {
    let page = c.get("/party/opinions/new");
    let mut f = form_fields(&page, "/party/opinions");
    set_field(&mut f, "unit_id", &app.org_id("工人路社区").to_string());
    set_field(&mut f, "channel", "visit");
    set_field(&mut f, "received_on", &local_today().to_string());
    set_field(&mut f, "content", content);
    f
}

#[test]
fn control_characters_are_stripped_from_forms_and_queries_alike_on_both_backends() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    // A NUL and an escape in a text area: stored without them, line breaks and tabs kept.
    let f = opinion_form(&app, &clerk, "nul\0byte\u{1b}[0m\r\n第二行\t完");
    let r = clerk.post_raw("/party/opinions", &pairs(&f));
    assert_eq!(r.status, 303, "{}", r.body);
    let stored = app.strings("SELECT content AS s FROM party_opinions ORDER BY id DESC LIMIT 1");
    assert_eq!(stored, vec!["nulbyte[0m\r\n第二行\t完".to_string()]);
    // The same in a form with photos (multipart).
    let id = report(&app.login("worker"), "井盖\0松动\u{7}");
    assert_eq!(
        app.strings(&format!("SELECT title AS s FROM issues WHERE id = {id}")),
        vec!["井盖松动".to_string()]
    );
    // A NUL in a login name is a failed login, not an error page.
    let anon = app.client();
    let r = anon.login("ad\0min", "wrong");
    assert_eq!(r.status, 401, "{}", r.body);
    // Searches with an encoded NUL: the lists answer as for the search without it.
    let admin = app.login("admin");
    for list in [
        "/issues?q=a%00b",
        "/users?q=ad%00min",
        "/audit?q=a%00b",
        "/search?q=a%00b",
    ] {
        let r = if list.starts_with("/issues") {
            clerk.get(list)
        } else {
            admin.get(list)
        };
        assert_eq!(r.status, 200, "{list}: {}", r.body);
    }
    let r = admin.get("/users?q=ad%00min");
    assert_eq!(r.value("main input[name=q]").as_deref(), Some("admin"));
}

#[test]
fn malformed_bodies_are_refused_with_the_page_and_nothing_is_stored() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let f = opinion_form(&app, &clerk, "placeholder");
    let token = f.iter().find(|(k, _)| k == "csrf_token").unwrap().1.clone();
    let before = app.count("SELECT COUNT(*) AS n FROM party_opinions");
    let mut body = format!(
        "csrf_token={token}&unit_id={}&channel=visit&received_on={}&content=",
        app.org_id("工人路社区"),
        local_today()
    )
    .into_bytes();
    // Invalid UTF-8 (a GBK-encoded 网格 sent by an old client): 400, never "���" stored.
    body.extend_from_slice(b"%CD%F8%B8%F1");
    let r = clerk.post_bytes("/party/opinions", Some(FORM), &body);
    assert_eq!(r.status, 400);
    assert!(r.text("main").contains("请求无效"), "{}", r.body);
    // The same well-formed body as text/plain, or with no content type: refused.
    let plain = body.split(|b| *b == b'%').next().unwrap().to_vec();
    for ct in [Some("text/plain"), None] {
        let r = clerk.post_bytes("/party/opinions", ct, &plain);
        assert_eq!(r.status, 400, "{ct:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM party_opinions"),
        before
    );
    // An invalid query string is the same page.
    let r = clerk.get("/issues?q=%C0%AF");
    assert_eq!(r.status, 400);
    assert!(r.text("main").contains("请求无效"));
}

#[test]
fn long_minutes_come_back_beside_the_field_and_huge_bodies_get_the_page() {
    let app = spawn_app();
    app.clear_meetings();
    let clerk = app.login("cclerk");
    let id = create_meeting(&app, &clerk, "weekly");
    let page = format!("/meetings/{id}/record");
    // 30,000 characters of minutes (over 256 KB encoded): a message beside the field, all kept.
    let minutes = "会议纪要内容。".repeat(30_000 / 7);
    let r = clerk.submit(&page, &page, &[("minutes", &minutes)]);
    assert_eq!(r.status, 422, "{}", &r.body[..r.body.len().min(300)]);
    assert!(r.has("#e-minutes"));
    assert_eq!(r.text("#f-minutes"), minutes);
    // Over the 2 MB a person can type: 413 with the page in the user's language.
    let huge = "字".repeat(300_000);
    let r = clerk.submit(&page, &page, &[("minutes", &huge)]);
    assert_eq!(r.status, 413);
    assert!(r.text("main").contains("后退"), "{}", r.body);
}

#[test]
fn an_overlong_url_gets_the_414_page() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let r = clerk.get(&format!("/issues?q={}", "a".repeat(9 * 1024)));
    assert_eq!(r.status, 414);
    assert!(r.text("main").contains("网址过长"));
}

/// Sends the same form `n` times at once, like a user clicking a button again and again.
fn clicks(c: &Client, action: &str, fields: &[(String, String)], n: usize) -> Vec<Resp> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|_| s.spawn(|| c.post_raw(action, &pairs(fields))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn all_see_other(rs: &[Resp]) {
    for r in rs {
        assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(400)]);
    }
}

#[test]
fn eight_clicks_on_add_a_free_topic_add_it_once() {
    let app = spawn_app();
    app.clear_meetings();
    let clerk = app.login("cclerk");
    let id = create_meeting(&app, &clerk, "weekly");
    let page = clerk.get(&format!("/meetings/{id}"));
    let action = format!("/meetings/{id}/items");
    let mut f = form_fields(&page, &action);
    set_field(&mut f, "topic", "冬季供暖巡查");
    all_see_other(&clicks(&clerk, &action, &f, 8));
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM meeting_items WHERE meeting_id = {id} AND title = '冬季供暖巡查'"
        )),
        1
    );
}

#[test]
fn a_double_clicked_step_or_answer_shows_the_success_it_was() {
    let app = spawn_app();
    let id = report(&app.login("worker"), "井盖松动");
    let cclerk = app.login("cclerk");
    let page = cclerk.get(&format!("/issues/{id}"));
    let steps = format!("/issues/{id}/steps");
    let mut f = form_fields_sel(
        &page,
        &format!("form[action=\"{steps}\"]:has(input[name=action][value=register])"),
    );
    assert!(!f.is_empty(), "a register form");
    set_field(&mut f, "note", "已登记");
    let events = |app: &TestApp| {
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id = {id} AND action = 'register'"
        ))
    };
    // The second click arrives after the first changed the issue's state and version.
    for _ in 0..2 {
        let r = cclerk.multipart(&steps, &f, &[]);
        assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(400)]);
        assert_eq!(r.location(), format!("/issues/{id}"));
    }
    assert_eq!(events(&app), 1);

    let clerk = app.login("clerk");
    let f = opinion_form(&app, &clerk, "小区路灯不亮");
    let r = clerk.post_raw("/party/opinions", &pairs(&f));
    assert_eq!(r.status, 303, "{}", r.body);
    let opinion = r
        .location()
        .trim_start_matches("/party/opinions/")
        .to_string();
    let page = clerk.get(&format!("/party/opinions/{opinion}"));
    let action = format!("/party/opinions/{opinion}/answer");
    let mut f = form_fields(&page, &action);
    set_field(&mut f, "answer", "已报修，三日内修复");
    all_see_other(&clicks(&clerk, &action, &f, 4));
    assert_eq!(
        app.strings(&format!(
            "SELECT answer AS s FROM party_opinions WHERE id = {opinion}"
        )),
        vec!["已报修，三日内修复".to_string()]
    );
}

#[test]
fn eight_clicks_on_a_new_category_or_user_make_one_and_all_succeed() {
    let app = spawn_app();
    let admin = app.login("admin");
    let page = admin.get("/categories/new?parent=8");
    let mut f = form_fields(&page, "/categories");
    set_field(&mut f, "name", "共享单车乱停");
    all_see_other(&clicks(&admin, "/categories", &f, 8));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE name = '共享单车乱停'"),
        1
    );
    let page = admin.get("/users/new");
    let mut f = form_fields(&page, "/users");
    set_field(&mut f, "username", "doubleclick");
    set_field(&mut f, "display_name", "双击测试");
    set_field(&mut f, "password", "Grid#2026pw");
    set_field(&mut f, "phone", "13712345678");
    set_field(&mut f, "role", "grid_worker");
    set_field(&mut f, "org_unit_id", &app.org_id("工人路社区").to_string());
    all_see_other(&clicks(&admin, "/users", &f, 8));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE username = 'doubleclick'"),
        1
    );
}

#[test]
fn the_patrol_forms_visit_phone_is_a_phone_field() {
    let app = spawn_app();
    let page = app.login("worker").get("/patrols/new");
    assert_eq!(page.status, 200);
    assert!(page.has("input[name=visit_phone_0][type=tel][inputmode=tel]"));
}

#[test]
fn a_double_clicked_save_is_saved_once_and_a_real_conflict_is_still_shown() {
    let app = spawn_app();
    let admin = app.login("admin");
    let id = app.user_id("worker");
    let page = format!("/users/{id}/edit");
    let action = format!("/users/{id}");
    let mut f = form_fields(&admin.get(&page), &action);
    set_field(&mut f, "display_name", "张网格员");
    // The second click carries the version the first one moved on: the same change, not a clash.
    for _ in 0..2 {
        let r = admin.post_raw(&action, &pairs(&f));
        assert_eq!(r.status, 303, "{}", &r.body[..r.body.len().min(400)]);
    }
    // A different change sent on that old version is a conflict with both versions.
    set_field(&mut f, "display_name", "李网格员");
    let r = admin.post_raw(&action, &pairs(&f));
    assert_eq!(r.status, 409);
    assert!(r.text(".conflict").contains("张网格员"));
}
