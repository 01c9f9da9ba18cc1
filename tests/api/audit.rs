use crate::helpers::*;

#[test]
fn every_change_and_login_is_audited_with_before_and_after() {
    let app = spawn_app();
    let since = gridwork::db::now().format("%Y-%m-%d %H:%M:%S").to_string();
    let admin = app.login("admin");
    let _ = app.client().login("leader", "Wrong@2026");
    let id = app.org_id("工人路社区");
    let r = admin.submit(
        &format!("/org/{id}/edit"),
        &format!("/org/{id}"),
        &[("phone", "0371-67990000")],
    );
    assert_eq!(r.status, 303);
    let log = admin.get("/audit?entity=org_unit");
    assert_eq!(log.status, 200);
    let text = log.text("table.audit");
    // The action and the object read as words, not as the stored codes.
    assert!(
        text.contains("修改") && text.contains("组织单位 #") && text.contains("工人路社区"),
        "{text}"
    );
    assert!(
        !text.contains("update") && !text.contains("org_unit"),
        "{text}"
    );
    assert!(log.text("table.audit pre").contains("0371-67990000"));
    let logins = admin.get("/audit?action=login_failed");
    assert!(logins.text("table.audit").contains("leader"));
    assert!(logins.text("table.audit").contains("127.0.0.1"));
    assert!(logins.text("table.audit").contains("登录失败"));
    assert!(!logins.text("table.audit").contains("session #"));
    assert_eq!(
        app.count(
            &format!(
            "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'login' AND actor_name = 'admin' AND created_at >= '{since}'"
        )
        ),
        1
    );
    // Password hashes never reach the audit log.
    assert_eq!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE after_json LIKE '%argon2%' OR before_json LIKE '%argon2%'"), 0);
    let bad = admin.get("/audit?from=yesterday");
    assert_eq!(bad.status, 200);
    assert!(bad.text(".field-error").contains("2026"));
    let xlsx = admin.get("/audit/export.xlsx?entity=org_unit");
    assert_eq!(xlsx.status, 200);
    let text = xlsx_text(&xlsx.bytes);
    assert!(text.contains("0371-67990000"));
    assert!(
        !text.contains("登录失败"),
        "the entity filter applies to the export"
    );
    assert!(
        text.contains("修改") && !text.contains("update"),
        "the export has the words too"
    );
    // In English, the same codes read in English.
    let english = app.login("admin");
    english.set_lang("en");
    let en = english.get("/audit?action=login_failed");
    assert!(
        en.text("table.audit").contains("Sign-in failed"),
        "{}",
        en.text("table.audit")
    );
    assert!(en.has("select[name=action] option[value=issue_dispatch]"));
}

#[test]
fn only_admins_read_the_audit_log() {
    let app = spawn_app();
    assert_eq!(app.login("leader").get("/audit").status, 403);
    assert_eq!(app.login("clerk").get("/audit/export.xlsx").status, 403);
}

#[test]
fn the_audit_log_pages_newest_first_without_counting_everything() {
    let app = spawn_app();
    let admin = app.login("admin");
    let first = admin.get("/audit");
    assert_eq!(first.texts("table.audit tbody tr").len(), 50);
    assert!(first.has("a[rel=next]") && !first.has("a[rel=prev]"));
    assert!(
        first
            .text("table.audit tbody tr:first-child")
            .contains("admin"),
        "newest first: this login"
    );
    let total = app.count("SELECT COUNT(*) AS n FROM audit_log");
    let last_page = (total + 49) / 50;
    let last = admin.get(&format!("/audit?page={last_page}"));
    assert_eq!(
        last.texts("table.audit tbody tr").len() as i64,
        total - 50 * (last_page - 1)
    );
    assert!(!last.has("a[rel=next]") && last.has("a[rel=prev]"));
    assert!(last.text(".pager").contains(&last_page.to_string()));
    // A street's admin pages through their street's entries only.
    let lsz = app.org_id("林山寨街道");
    app.exec(&format!(
        "UPDATE users SET role = 'admin', org_unit_id = {lsz} WHERE username = 'leader'"
    ));
    let street = app.login("leader").get("/audit?action=login");
    assert!(!street.body.contains("陇西") && street.texts("table.audit tbody tr").len() == 50);
    let foreign = app.count(&format!("SELECT COUNT(*) AS n FROM audit_log a JOIN users u ON u.id = a.actor_id JOIN org_units o ON o.id = u.org_unit_id WHERE o.path NOT LIKE '/1/{lsz}/%' AND a.action = 'login'"));
    assert!(foreign > 0);
    let names = street.texts("table.audit tbody tr td:nth-child(2)");
    let admin_seen = names.iter().any(|n| n == "admin");
    assert!(
        !admin_seen,
        "the district admin's logins are outside a street admin's scope"
    );
}
