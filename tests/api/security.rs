use crate::helpers::*;

/// Every state-changing route, with a record id from the demo data.
fn post_routes(app: &TestApp) -> Vec<String> {
    let grid = app.org_id("工人路社区第1网格");
    let street = app.org_id("林山寨街道");
    let user = app.user_id("cclerk");
    let person = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM grid_people WHERE grid_id = {grid}"
    ));
    let site = app.count(&format!(
        "SELECT CAST(MIN(id) AS BIGINT) AS n FROM key_sites WHERE grid_id = {grid}"
    ));
    vec![
        "/login".into(),
        "/logout".into(),
        "/password".into(),
        "/locale".into(),
        "/org".into(),
        format!("/org/{street}"),
        format!("/org/{street}/delete"),
        format!("/grids/{grid}/notice/verify"),
        format!("/grids/{grid}/people"),
        format!("/grids/{grid}/people/{person}"),
        format!("/grids/{grid}/people/{person}/delete"),
        format!("/grids/{grid}/sites"),
        format!("/grids/{grid}/sites/{site}"),
        "/patrols/quick".into(),
        "/users".into(),
        format!("/users/{user}"),
        format!("/users/{user}/deactivate"),
        format!("/users/{user}/activate"),
        format!("/users/{user}/unlock"),
        format!("/users/{user}/password"),
    ]
}

#[test]
fn every_post_without_a_valid_csrf_token_is_refused() {
    let app = spawn_app();
    let admin = app.login("admin");
    let before = app.count("SELECT COUNT(*) AS n FROM audit_log");
    for route in post_routes(&app) {
        let missing = admin.post_raw(&route, &[("name", "x"), ("lang", "en")]);
        assert_eq!(missing.status, 403, "{route} without a token");
        let wrong = admin.post_raw(&route, &[("csrf_token", "0000"), ("name", "x")]);
        assert_eq!(wrong.status, 403, "{route} with a wrong token");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log"),
        before,
        "nothing changed"
    );
    assert_eq!(
        admin.get("/").status,
        200,
        "still logged in: logout was refused too"
    );
}

#[test]
fn a_cross_site_post_is_refused_even_with_the_token() {
    let app = spawn_app();
    let admin = app.login("admin");
    let token = admin.csrf("/");
    let r = admin.post_with_headers(
        "/logout",
        &[("csrf_token", &token)],
        &[("Origin", "http://evil.example")],
    );
    assert_eq!(r.status, 403);
    let r = admin.post_with_headers(
        "/logout",
        &[("csrf_token", &token)],
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(r.status, 403);
    let r = admin.post_with_headers("/logout", &[("csrf_token", &token)], &[("Origin", "null")]);
    assert_eq!(r.status, 403);
    assert_eq!(admin.get("/").status, 200);
    let same = format!("http://{}", app.addr);
    let r = admin.post_with_headers(
        "/logout",
        &[("csrf_token", &token)],
        &[("Origin", &same), ("Sec-Fetch-Site", "same-origin")],
    );
    assert_eq!(r.status, 303);
}

#[test]
fn security_headers_are_on_pages_errors_and_redirects() {
    let app = spawn_app();
    let c = app.client();
    for r in [c.get("/login"), c.get("/no/such/page"), c.get("/org")] {
        let csp = r.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
            "{csp}"
        );
        assert_eq!(r.header("x-frame-options"), Some("DENY"));
        assert_eq!(r.header("x-content-type-options"), Some("nosniff"));
        assert!(r.header("referrer-policy").is_some());
        assert_eq!(r.header("cache-control"), Some("no-store"));
    }
}

#[test]
fn error_pages_are_in_the_layout_and_leak_nothing() {
    let app = spawn_app();
    let c = app.login("clerk");
    let r = c.get("/no/such/page");
    assert_eq!(r.status, 404);
    assert!(r.text("h1").contains("未找到"));
    assert!(r.has("link[rel=stylesheet][href^=\"/static/app.\"]"));
    let r = c.get("/org/not-a-number");
    assert_eq!(r.status, 404);
    let r = c.get("/users");
    assert_eq!(r.status, 403);
    assert!(r.text("h1").contains("无权"));
    assert!(!r.body.contains("diesel") && !r.body.contains("panicked") && !r.body.contains("src/"));
}

#[test]
fn state_changes_only_by_post() {
    let app = spawn_app();
    let admin = app.login("admin");
    let id = app.user_id("cclerk");
    let r = admin.get(&format!("/users/{id}/deactivate"));
    assert!(r.status == 404 || r.status == 405, "{}", r.status);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM users WHERE id = {id} AND active = true"
        )),
        1
    );
    let r = admin.get("/logout");
    assert!(r.status == 404 || r.status == 405);
    assert_eq!(admin.get("/").status, 200);
}

#[test]
fn forms_cannot_set_fields_they_do_not_offer() {
    let app = spawn_app();
    let admin = app.login("admin");
    let id = app.user_id("cclerk");
    let page = format!("/users/{id}/edit");
    let r = admin.submit(
        &page,
        &format!("/users/{id}"),
        &[
            ("display_name", "改名"),
            ("active", "false"),
            ("must_change_password", "true"),
            ("password_hash", "x"),
            ("username", "hijack"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(app.count(&format!("SELECT COUNT(*) AS n FROM users WHERE id = {id} AND username = 'cclerk' AND active = true AND must_change_password = false")), 1);
    // An org unit outside the admin's choices is refused next to the field.
    let r = admin.submit(&page, &format!("/users/{id}"), &[("org_unit_id", "999999")]);
    assert_eq!(r.status, 422);
    assert!(r.has("#e-org_unit_id"));
}

#[test]
fn output_is_escaped() {
    let app = spawn_app();
    let admin = app.login("admin");
    let street = app.org_id("林山寨街道");
    let evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)>";
    let r = admin.submit(
        &format!("/org/new?parent={street}"),
        "/org",
        &[
            ("kind", "community"),
            ("name", "安全社区"),
            ("address", evil),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = admin.get(r.location());
    assert!(!page.body.contains("<script>alert(1)"));
    assert!(!page.body.contains("<img src=x"));
    assert!(page.text("dl.facts").contains(evil), "shown as text");
}
