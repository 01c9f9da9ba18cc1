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
    assert!(
        text.contains("update") && text.contains("工人路社区"),
        "{text}"
    );
    assert!(log.text("table.audit pre").contains("0371-67990000"));
    let logins = admin.get("/audit?action=login_failed");
    assert!(logins.text("table.audit").contains("leader"));
    assert!(logins.text("table.audit").contains("127.0.0.1"));
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
        !text.contains("login_failed"),
        "the entity filter applies to the export"
    );
}

#[test]
fn only_admins_read_the_audit_log() {
    let app = spawn_app();
    assert_eq!(app.login("leader").get("/audit").status, 403);
    assert_eq!(app.login("clerk").get("/audit/export.xlsx").status, 403);
}
