use crate::helpers::*;

#[test]
fn login_page_is_chinese_by_default_and_switches_to_english() {
    let app = spawn_app();
    let c = app.client();
    let page = c.get("/login");
    assert_eq!(page.status, 200);
    assert!(page.text("title").contains("登录"));
    let token = page.value("input[name=csrf_token]").unwrap();
    let r = c.post_raw(
        "/locale",
        &[("csrf_token", &token), ("lang", "en"), ("next", "/login")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login");
    let page = c.get("/login");
    assert!(
        page.text("title").contains("Log in"),
        "{}",
        page.text("title")
    );
    assert!(page.body.contains("lang=\"en\""));
}

#[test]
fn a_demo_user_logs_in_and_lands_on_a_home_page_for_their_role() {
    let app = spawn_app();
    let c = app.login("worker");
    let home = c.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text("h1").contains("今日巡查"), "{}", home.text("h1"));
    // A grid worker's home starts with their own grid, linking its notice.
    assert!(home.text("section").contains("工人路社区第1网格"));
    let grid = app.org_id("工人路社区第1网格");
    assert!(home.has(&format!("section a[href=\"/grids/{grid}/notice\"]")));
    // Role-aware navigation: no user admin for a grid worker.
    assert!(!home.has("nav.mainnav a[href=\"/users\"]"));
    let admin = app.login("admin").get("/");
    assert!(admin.has("nav.mainnav a[href=\"/users\"]"));
    assert!(admin.has("nav.mainnav a[href=\"/audit\"]"));
}

#[test]
fn a_wrong_password_and_an_unknown_user_get_the_same_generic_message() {
    let app = spawn_app();
    let c = app.client();
    let wrong = c.login("clerk", "Wrong@2026");
    let unknown = c.login("nobody", "Wrong@2026");
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.text("#login-error"), unknown.text("#login-error"));
    // The username typed is kept.
    assert_eq!(wrong.value("#username").as_deref(), Some("clerk"));
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM login_log WHERE success = false"),
        2
    );
    assert!(c.get("/").status == 303);
}

#[test]
fn five_failures_lock_the_account_until_an_admin_unlocks_it() {
    let app = spawn_app();
    let c = app.client();
    for _ in 0..5 {
        assert_eq!(c.login("clerk", "Wrong@2026").status, 401);
    }
    // Locked: even the right password fails now, with the same message.
    let r = c.login("clerk", PASSWORD);
    assert_eq!(r.status, 401);
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM login_log WHERE reason = 'locked'"),
        1
    );
    let admin = app.login("admin");
    let id = app.user_id("clerk");
    let edit = admin.get(&format!("/users/{id}/edit"));
    assert!(edit.text("#status").contains("已锁定"));
    let r = admin.submit(
        &format!("/users/{id}/edit"),
        &format!("/users/{id}/unlock"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(c.login("clerk", PASSWORD).status, 303);
}

#[test]
fn too_many_failures_from_one_address_are_refused_before_any_hashing() {
    let app = spawn_app_with(|s| s.ip_failures_per_15min = 3);
    let c = app.client();
    for name in ["a1", "a2", "a3"] {
        assert_eq!(c.login(name, "Wrong@2026").status, 401);
    }
    let r = c.login("admin", PASSWORD);
    assert_eq!(r.status, 429);
    assert!(r.text("#login-error").contains("15"));
}

#[test]
fn an_idle_session_ends_after_the_idle_timeout() {
    let app = spawn_app();
    let c = app.login("leader");
    assert_eq!(c.get("/org").status, 200);
    let old = gridwork::db::now() - chrono::Duration::minutes(31);
    app.exec(&format!(
        "UPDATE sessions SET last_seen_at = '{}'",
        old.format("%Y-%m-%d %H:%M:%S")
    ));
    let r = c.get("/org");
    assert_eq!(r.status, 303);
    assert_eq!(r.location(), "/login?next=/org&expired=1");
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM sessions"), 0);
    let login = c.get(r.location());
    assert!(login.text("#login-expired").contains("超时"));
    // Logging in again returns to the page the user was on.
    let token = login.value("input[name=csrf_token]").unwrap();
    let next = login
        .value("form[action=\"/login\"] input[name=next]")
        .unwrap();
    let back = c.post_raw(
        "/login",
        &[
            ("csrf_token", &token),
            ("username", "leader"),
            ("password", PASSWORD),
            ("next", &next),
        ],
    );
    assert_eq!(
        back.location(),
        "/org",
        "{} {:?}",
        back.status,
        back.headers
    );
}

#[test]
fn a_session_ends_after_the_absolute_timeout_even_when_active() {
    let app = spawn_app();
    let c = app.login("leader");
    let old = gridwork::db::now() - chrono::Duration::hours(13);
    app.exec(&format!(
        "UPDATE sessions SET created_at = '{}'",
        old.format("%Y-%m-%d %H:%M:%S")
    ));
    assert_eq!(c.get("/").status, 303);
}

#[test]
fn logout_revokes_the_session_on_the_server() {
    let app = spawn_app();
    let c = app.login("leader");
    let cookie = c.cookie_header();
    assert_eq!(Client::get_with_cookie(&c.base, "/", &cookie).status, 200);
    let r = c.submit("/", "/logout", &[]);
    assert_eq!(r.status, 303);
    // The cookie saved before logout no longer opens anything.
    let replay = Client::get_with_cookie(&c.base, "/", &cookie);
    assert_eq!(replay.status, 303);
    assert!(replay.location().starts_with("/login"));
}

#[test]
fn the_session_is_renewed_at_login() {
    let app = spawn_app();
    let c = app.client();
    c.get("/login");
    let before = c.cookie_header();
    assert_eq!(c.login("leader", PASSWORD).status, 303);
    let after = c.cookie_header();
    assert_ne!(before, after);
    assert_eq!(Client::get_with_cookie(&c.base, "/", &before).status, 303);
    // Cookie flags.
    let c2 = app.client();
    let token = c2.csrf("/login");
    let r = c2.post_raw(
        "/login",
        &[
            ("csrf_token", &token),
            ("username", "leader"),
            ("password", PASSWORD),
        ],
    );
    let set = r.header("set-cookie").unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
}

#[test]
fn deactivating_a_user_ends_their_sessions() {
    let app = spawn_app();
    let worker = app.login("worker");
    assert_eq!(worker.get("/").status, 200);
    let admin = app.login("admin");
    let id = app.user_id("worker");
    let r = admin.submit(
        &format!("/users/{id}/edit"),
        &format!("/users/{id}/deactivate"),
        &[],
    );
    assert_eq!(r.status, 303);
    assert_eq!(worker.get("/").status, 303);
    assert_eq!(worker.login("worker", PASSWORD).status, 401);
}

#[test]
fn a_new_user_must_change_the_initial_password_first() {
    let app = spawn_app();
    let admin = app.login("admin");
    let org = app.org_id("工人路社区").to_string();
    let r = admin.submit(
        "/users/new",
        "/users",
        &[
            ("username", "wangfang"),
            ("display_name", "王芳"),
            ("role", "clerk"),
            ("org_unit_id", &org),
            ("phone", "13812345678"),
            ("password", "Start#2026x"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let c = app.client();
    let r = c.login("wangfang", "Start#2026x");
    assert_eq!(r.location(), "/password");
    // Everything else sends them to /password until they choose their own.
    assert_eq!(c.get("/org").location(), "/password");
    let bad = c.submit(
        "/password",
        "/password",
        &[
            ("current", "Start#2026x"),
            ("new_password", "short"),
            ("confirm", "short"),
        ],
    );
    assert_eq!(bad.status, 422);
    assert!(
        bad.text("#e-new_password").contains("8"),
        "{}",
        bad.text("#e-new_password")
    );
    let ok = c.submit(
        "/password",
        "/password",
        &[
            ("current", "Start#2026x"),
            ("new_password", "Mine#2026ok"),
            ("confirm", "Mine#2026ok"),
        ],
    );
    assert_eq!(ok.status, 303);
    assert_eq!(c.get("/org").status, 200);
}

#[test]
fn changing_the_password_ends_the_other_sessions() {
    let app = spawn_app();
    let a = app.login("clerk");
    let b = app.login("clerk");
    let r = a.submit(
        "/password",
        "/password",
        &[
            ("current", PASSWORD),
            ("new_password", "Fresh#2026pw"),
            ("confirm", "Fresh#2026pw"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(a.get("/").status, 200, "the changing session continues");
    assert_eq!(b.get("/").status, 303, "the other session ended");
    let stale = a.submit(
        "/password",
        "/password",
        &[
            ("current", "nope"),
            ("new_password", "Other#2026pw"),
            ("confirm", "Other#2026pwX"),
        ],
    );
    assert_eq!(stale.status, 422);
    assert!(stale.has("#e-current") && stale.has("#e-confirm"));
}

#[test]
fn passwords_are_stored_as_argon2id_at_owasp_parameters() {
    let db = test_db();
    let n = db.count("SELECT COUNT(*) AS n FROM users WHERE password_hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'");
    let all = db.count("SELECT COUNT(*) AS n FROM users");
    assert_eq!(n, all);
}
