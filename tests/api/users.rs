use crate::helpers::*;

#[test]
fn an_admin_creates_a_user_and_finds_them_in_the_filtered_list() {
    let app = spawn_app();
    let admin = app.login("admin");
    let org = app.org_id("陇西社区").to_string();
    let page = admin.get("/users/new");
    let token = page.value("input[name=form_token]").unwrap();
    let csrf = page.value("input[name=csrf_token]").unwrap();
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("form_token", token.as_str()),
        ("username", "LiuYang"),
        ("display_name", "刘洋"),
        ("role", "grid_worker"),
        ("org_unit_id", org.as_str()),
        ("phone", "13712345678"),
        ("password", "Grid#2026pw"),
    ];
    let a = admin.post_raw("/users", &fields);
    let b = admin.post_raw("/users", &fields);
    assert_eq!((a.status, b.status), (303, 303));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM users WHERE username = 'liuyang'"),
        1,
        "one user for a double click"
    );
    let list = admin.get("/users?q=%E5%88%98%E6%B4%8B");
    assert_eq!(list.status, 200);
    assert!(list.text("table.list").contains("liuyang"));
    assert!(
        list.text("table.list").contains("137****5678"),
        "phones masked in lists"
    );
    let by_role = admin.get(&format!("/users?role=grid_worker&org={org}"));
    assert!(by_role.text("table.list").contains("liuyang"));
    assert!(!by_role.text("table.list").contains("cclerk"));
    let xlsx = admin.get(&format!("/users/export.xlsx?role=grid_worker&org={org}"));
    assert_eq!(xlsx.status, 200);
    assert!(
        xlsx.header("content-type")
            .unwrap()
            .contains("spreadsheetml")
    );
    let text = xlsx_text(&xlsx.bytes);
    assert!(
        text.contains("liuyang") && text.contains("137****5678"),
        "filtered rows, phones masked"
    );
    assert!(
        !text.contains("cclerk"),
        "the role filter applies to the export"
    );
}

#[test]
fn user_form_errors_are_shown_beside_the_fields() {
    let app = spawn_app();
    let admin = app.login("admin");
    let r = admin.submit(
        "/users/new",
        "/users",
        &[
            ("username", "clerk"),
            ("display_name", ""),
            ("role", "emperor"),
            ("org_unit_id", "1"),
            ("password", "password1"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.text("#e-username").contains("已被使用"));
    assert!(r.has("#e-display_name") && r.has("#e-role") && r.has("#e-password"));
    assert_eq!(r.value("#f-username").as_deref(), Some("clerk"));
    assert_eq!(
        r.value("#f-password").as_deref(),
        Some(""),
        "passwords are never echoed"
    );
}

#[test]
fn an_admin_resets_a_password_which_must_then_be_changed() {
    let app = spawn_app();
    let worker = app.login("worker");
    let admin = app.login("admin");
    let id = app.user_id("worker");
    let page = format!("/users/{id}/edit");
    let weak = admin.submit(
        &page,
        &format!("/users/{id}/password"),
        &[("new_password", "worker123")],
    );
    assert_eq!(weak.status, 422);
    assert!(weak.has("#e-new_password"));
    let r = admin.submit(
        &page,
        &format!("/users/{id}/password"),
        &[("new_password", "Temp#2026ab")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(worker.get("/").status, 303, "sessions ended");
    let c = app.client();
    assert_eq!(c.login("worker", "Temp#2026ab").location(), "/password");
}

#[test]
fn an_admin_cannot_deactivate_themselves() {
    let app = spawn_app();
    let admin = app.login("admin");
    let id = app.user_id("admin");
    let r = admin.submit(
        &format!("/users/{id}/edit"),
        &format!("/users/{id}/deactivate"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(admin.get("/").status, 200);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE id = {id} AND active = true"
        )),
        1
    );
}

#[test]
fn the_user_list_pages() {
    let app = spawn_app();
    let admin = app.login("admin");
    let total = app.count("SELECT COUNT(*) AS n FROM users");
    assert!(total > 50);
    let p1 = admin.get("/users");
    assert_eq!(p1.texts("table.list tbody tr").len(), 50);
    assert!(p1.has("a[rel=next]"));
    let last = (total + 49) / 50;
    let pl = admin.get(&format!("/users?page={last}"));
    assert_eq!(
        pl.texts("table.list tbody tr").len() as i64,
        total - 50 * (last - 1)
    );
}
