//! The issue category taxonomy at /categories: admins list, add, edit, deactivate and delete;
//! what they change is what the issue forms offer.

use crate::helpers::*;
use crate::issues::report;

fn category_fields(page: &Resp, action: &str, typed: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields = form_fields(page, action);
    for (k, v) in typed {
        fields.retain(|(n, _)| n != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

fn post(c: &Client, action: &str, fields: &[(String, String)]) -> Resp {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    c.post_raw(action, &pairs)
}

fn offered_to_worker(app: &TestApp, id: &str) -> bool {
    app.login("worker")
        .get("/issues/new")
        .has(&format!("#f-category_id option[value=\"{id}\"]"))
}

#[test]
fn an_admin_reads_the_taxonomy_with_limits_and_issue_counts_and_exports_it() {
    let app = spawn_app();
    // The demo's issues of 违章建筑 (801) move to 占道经营 (802): 801 is then unused.
    app.exec("UPDATE issues SET category_id = 802 WHERE category_id = 801");
    let worker = app.login("worker");
    report(&worker, "人行道摆摊");
    let admin = app.login("admin");
    let page = admin.get("/categories");
    assert_eq!(page.status, 200);
    assert!(page.has("nav a[href=\"/categories\"]"));
    let table = page.text("table.categories");
    for name in [
        "非法经营",
        "公共服务",
        "城市管理",
        "无证无照经营",
        "占道经营",
    ] {
        assert!(table.contains(name), "{name}: {table}");
    }
    assert!(page.has("#c-8.major") && page.has("#c-802.minor"));
    assert_eq!(page.text("#c-802 td:nth-child(2)"), "1 个工作日");
    assert_eq!(page.text("#c-805 td:nth-child(2)"), "8 个工作小时");
    assert_eq!(page.text("#c-802 td:nth-child(3)"), "启用");
    let used = |sql: &str| app.count(sql).to_string();
    assert_eq!(
        page.text("#c-802 td:nth-child(4)"),
        used("SELECT COUNT(*) AS n FROM issues WHERE category_id = 802")
    );
    assert_eq!(
        page.text("#c-8 td:nth-child(4)"),
        used("SELECT COUNT(*) AS n FROM issues WHERE category_id BETWEEN 801 AND 899"),
        "a major sums its minors"
    );
    assert_eq!(page.text("#c-801 td:nth-child(4)"), "0");
    // The counts are kept between views, and a new issue shows at once.
    let before: i64 = page.text("#c-802 td:nth-child(4)").parse().unwrap();
    report(&worker, "人行道又见摆摊");
    let again = admin.get("/categories");
    assert_eq!(
        again.text("#c-802 td:nth-child(4)"),
        (before + 1).to_string()
    );
    // The minors follow their major.
    let ids: Vec<String> = page
        .doc()
        .select(&scraper::Selector::parse("table.categories tbody tr").unwrap())
        .map(|tr| tr.value().attr("id").unwrap().to_string())
        .collect();
    let at = |id: &str| ids.iter().position(|x| x == id).unwrap();
    assert!(at("c-8") < at("c-801") && at("c-801") < at("c-809"));
    assert!(at("c-1") < at("c-101") && at("c-103") < at("c-2"));

    let xlsx = admin.get("/categories/export.xlsx");
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.header("content-type")
            .unwrap()
            .contains("spreadsheetml")
    );
    let text = xlsx_text(&xlsx.bytes);
    assert!(
        text.contains("占道经营") && text.contains("8 个工作小时"),
        "{text}"
    );
}

#[test]
fn an_added_minor_is_offered_to_workers_and_a_double_click_adds_it_once() {
    let app = spawn_app();
    let admin = app.login("admin");
    let page = admin.get("/categories/new?parent=8");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.value("#f-parent_id option[selected]").as_deref(),
        Some("8")
    );
    let fields = category_fields(
        &page,
        "/categories",
        &[
            ("name", "共享单车乱停放"),
            ("limit_value", "4"),
            ("limit_unit", "hour"),
        ],
    );
    let a = post(&admin, "/categories", &fields);
    let b = post(&admin, "/categories", &fields);
    assert_eq!((a.status, b.status), (303, 303), "{}", b.body);
    assert_eq!(a.location(), b.location());
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE name = '共享单车乱停放' AND parent_id = 8 AND limit_value = 4 AND limit_unit = 'hour' AND active"),
        1,
        "one category for a double click"
    );
    // Audited under the root of the admin's tree, like the work calendar.
    let path = app.strings(
        "SELECT o.path AS s FROM users u JOIN org_units o ON o.id = u.org_unit_id WHERE u.username = 'admin'",
    )[0].clone();
    let root = format!("/{}/", path.split('/').nth(1).unwrap());
    assert_eq!(
        app.count(&format!("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'issue_category' AND action = 'create' AND scope_path = '{root}'")),
        1
    );
    let id = app.strings(
        "SELECT CAST(id AS TEXT) AS s FROM issue_categories WHERE name = '共享单车乱停放'",
    )[0]
    .clone();
    assert_eq!(a.location(), format!("/categories#c-{id}"));
    let list = admin.get("/categories");
    assert_eq!(
        list.text(&format!("#c-{id} td:nth-child(2)")),
        "4 个工作小时"
    );
    assert!(list.text(".flash").contains("已添加"));
    assert!(offered_to_worker(&app, &id));

    // A major: no parent, no limit.
    let r = admin.submit(
        "/categories/new",
        "/categories",
        &[("parent_id", ""), ("name", "文明创建"), ("limit_value", "")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE name = '文明创建' AND parent_id IS NULL AND limit_value = 0"),
        1
    );
    // Major names are unique among majors.
    let r = admin.submit(
        "/categories/new",
        "/categories",
        &[("parent_id", ""), ("name", "安全生产")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-name"));
}

#[test]
fn bad_input_is_named_beside_each_field_and_kept() {
    let app = spawn_app();
    let admin = app.login("admin");
    let r = admin.submit(
        "/categories/new?parent=8",
        "/categories",
        &[("name", "  "), ("limit_value", "0"), ("limit_unit", "week")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-name") && r.has("#e-limit_value") && r.has("#e-limit_unit"));
    assert!(r.text("#e-limit_value").contains("365"));
    assert_eq!(r.value("#f-limit_value").as_deref(), Some("0"));
    assert_eq!(
        r.value("#f-parent_id option[selected]").as_deref(),
        Some("8")
    );
    // A name taken under the same major; the same name under another major is fine.
    let r = admin.submit(
        "/categories/new?parent=8",
        "/categories",
        &[("name", "占道经营"), ("limit_value", "12")],
    );
    assert_eq!(r.status, 422);
    assert!(r.text("#e-name").contains("同名"), "{}", r.text("#e-name"));
    assert_eq!(r.value("#f-name").as_deref(), Some("占道经营"));
    assert_eq!(r.value("#f-limit_value").as_deref(), Some("12"));
    let r = admin.submit(
        "/categories/new?parent=1",
        "/categories",
        &[("name", "占道经营"), ("limit_value", "2")],
    );
    assert_eq!(r.status, 303);
    // Renaming onto a sibling's name.
    let r = admin.submit(
        "/categories/803/edit",
        "/categories/803",
        &[("name", "户外广告 ")],
    );
    assert_eq!(r.status, 303, "its own name is no duplicate");
    let r = admin.submit(
        "/categories/803/edit",
        "/categories/803",
        &[("name", "门头牌匾")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-name"));
    // A minor cannot become a major, nor go under a minor.
    let r = admin.submit(
        "/categories/803/edit",
        "/categories/803",
        &[("parent_id", "")],
    );
    assert_eq!(r.status, 422);
    let r = admin.submit(
        "/categories/803/edit",
        "/categories/803",
        &[("parent_id", "802")],
    );
    assert_eq!(r.status, 422);
    assert!(r.has("#e-parent_id"));
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id = 803 AND parent_id = 8 AND version = 2"), 1);
}

#[test]
fn a_stale_edit_is_refused_with_both_versions_and_nothing_typed_lost() {
    let app = spawn_app();
    let mine = app.login("admin");
    let theirs = app.login("admin");
    let page = mine.get("/categories/802/edit");
    assert_eq!(page.status, 200);
    let r = theirs.submit(
        "/categories/802/edit",
        "/categories/802",
        &[("name", "占道经营（新）"), ("limit_value", "2")],
    );
    assert_eq!(r.status, 303);
    let fields = category_fields(
        &page,
        "/categories/802",
        &[("name", "占道经营（我的）"), ("limit_value", "3")],
    );
    let r = post(&mine, "/categories/802", &fields);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.text(".conflict .mine").contains("占道经营（我的）"));
    assert!(r.text(".conflict .theirs").contains("占道经营（新）"));
    assert!(r.text(".conflict .mine").contains("3 个工作日"));
    assert!(r.text(".conflict .theirs").contains("2 个工作日"));
    assert_eq!(r.value("#f-name").as_deref(), Some("占道经营（我的）"));
    assert_eq!(r.value("#f-limit_value").as_deref(), Some("3"));
    assert_eq!(
        app.strings("SELECT name AS s FROM issue_categories WHERE id = 802"),
        vec!["占道经营（新）".to_string()]
    );
    // Submitting the kept form again overwrites deliberately.
    let again = post(
        &mine,
        "/categories/802",
        &form_fields(&r, "/categories/802"),
    );
    assert_eq!(again.status, 303, "{}", again.body);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id = 802 AND name = '占道经营（我的）' AND limit_value = 3 AND version = 3"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'issue_category' AND action = 'update' AND before_json LIKE '%占道经营（新）%' AND after_json LIKE '%占道经营（我的）%'"),
        1
    );
}

#[test]
fn a_deactivated_minor_is_no_longer_offered_but_history_keeps_its_name() {
    let app = spawn_app();
    let worker = app.login("worker");
    let issue = report(&worker, "人行道摆摊");
    assert!(offered_to_worker(&app, "802"));
    let admin = app.login("admin");
    let page = admin.get("/categories/802/edit");
    let used = app.count("SELECT COUNT(*) AS n FROM issues WHERE category_id = 802");
    assert!(page.text("#usage").contains(&used.to_string()));
    assert!(
        !page.has("form[action=\"/categories/802/delete\"]"),
        "in use: deactivate only"
    );
    let mut fields = form_fields(&page, "/categories/802");
    fields.retain(|(k, _)| k != "active");
    let r = post(&admin, "/categories/802", &fields);
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(!offered_to_worker(&app, "802"));
    assert!(offered_to_worker(&app, "803"));
    assert!(admin.get("/categories").has("#c-802.inactive"));
    assert!(
        worker
            .get(&format!("/issues/{issue}"))
            .body
            .contains("占道经营")
    );
    // A deactivated major hides its minors too.
    let page = admin.get("/categories/8/edit");
    assert!(!page.has("#f-parent_id") && !page.has("#f-limit_value"));
    let mut fields = form_fields(&page, "/categories/8");
    fields.retain(|(k, _)| k != "active");
    fields.push(("parent_id".into(), "1".into()));
    assert_eq!(post(&admin, "/categories/8", &fields).status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id = 8 AND parent_id IS NULL AND NOT active"),
        1,
        "a major stays a major"
    );
    assert!(!offered_to_worker(&app, "803"));
    // Forcing the id is refused like any unknown category.
    let page = worker.get("/issues/new");
    let mut fields = form_fields(&page, "/issues");
    fields.retain(|(k, _)| k != "category_id" && k != "title");
    fields.push(("category_id".into(), "803".into()));
    fields.push(("title".into(), "标题".into()));
    let r = worker.multipart("/issues", &fields, &[]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-category_id"));
}

#[test]
fn a_minor_moves_and_only_unused_categories_are_deleted() {
    let app = spawn_app();
    app.exec("UPDATE issues SET category_id = 802 WHERE category_id = 801");
    let worker = app.login("worker");
    report(&worker, "人行道摆摊");
    let admin = app.login("admin");
    let r = admin.submit(
        "/categories/803/edit",
        "/categories/803",
        &[("parent_id", "1")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id = 803 AND parent_id = 1"),
        1
    );
    // Used by an issue: stays.
    let csrf = admin.csrf("/categories");
    let r = admin.post_raw("/categories/802/delete", &[("csrf_token", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/categories/802/edit");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id = 802"),
        1
    );
    // Has minors: stays.
    let r = admin.post_raw("/categories/8/delete", &[("csrf_token", &csrf)]);
    assert_eq!(r.location(), "/categories/8/edit");
    // Unused: goes, audited.
    let page = admin.get("/categories/801/edit");
    assert!(page.has("form[action=\"/categories/801/delete\"]"));
    let r = admin.submit("/categories/801/edit", "/categories/801/delete", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/categories");
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE id IN (801, 8)"),
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'issue_category' AND action = 'delete' AND entity_id = 801"),
        1
    );
    assert_eq!(admin.get("/categories/801/edit").status, 404);
}

#[test]
fn only_admins_keep_the_categories() {
    let app = spawn_app();
    let clerk = app.login("clerk");
    let home = clerk.get("/");
    assert!(!home.has("nav a[href=\"/categories\"]"));
    for path in [
        "/categories",
        "/categories/new",
        "/categories/802/edit",
        "/categories/export.xlsx",
    ] {
        assert_eq!(clerk.get(path).status, 403, "{path}");
    }
    let csrf = clerk.csrf("/");
    for (action, fields) in [
        (
            "/categories",
            vec![
                ("name", "x"),
                ("parent_id", "8"),
                ("limit_value", "1"),
                ("limit_unit", "day"),
            ],
        ),
        (
            "/categories/802",
            vec![
                ("name", "x"),
                ("parent_id", "8"),
                ("limit_value", "1"),
                ("limit_unit", "day"),
                ("version", "1"),
            ],
        ),
        ("/categories/801/delete", vec![]),
    ] {
        let mut all = vec![("csrf_token", csrf.as_str())];
        all.extend(fields);
        assert_eq!(clerk.post_raw(action, &all).status, 403, "{action}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM issue_categories WHERE name = 'x' OR id = 801"),
        1
    );
    assert_eq!(app.client().get("/categories").status, 303);
}
