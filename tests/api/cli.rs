//! The `gridwork` command line, run as a user would run it.

use std::process::Command;

use crate::helpers::*;

fn gridwork(data: &std::path::Path, db_url: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_gridwork"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("DATABASE_URL", db_url)
        .env("GRIDWORK_LOG", "warn")
        .output()
        .unwrap();
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn backup_writes_a_consistent_copy_while_the_server_runs() {
    let app = spawn_app();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("backup.bin");
    let (ok, out) = gridwork(
        dir.path(),
        &app.db_url,
        &["backup", "--to", to.to_str().unwrap()],
    );
    assert!(ok, "{out}");
    let bytes = std::fs::read(&to).unwrap();
    if app.db_url.starts_with("postgres") {
        assert!(bytes.starts_with(b"PGDMP"), "pg_dump custom format");
    } else {
        assert!(bytes.starts_with(b"SQLite format 3"));
        let pool = gridwork::db::pool(to.to_str().unwrap(), 1).unwrap();
        let mut conn = pool.get().unwrap();
        use diesel::prelude::*;
        use gridwork::db::schema::org_units;
        let n: i64 = org_units::table.count().get_result(&mut *conn).unwrap();
        assert_eq!(n, app.count("SELECT COUNT(*) AS n FROM org_units"));
    }
    // Never over an existing file.
    let (ok, out) = gridwork(
        dir.path(),
        &app.db_url,
        &["backup", "--to", to.to_str().unwrap()],
    );
    assert!(!ok && out.contains("exists"), "{out}");
}

#[test]
fn user_add_creates_an_account_that_must_change_its_password() {
    let app = spawn_app();
    let dir = tempfile::tempdir().unwrap();
    let (ok, out) = gridwork(
        dir.path(),
        &app.db_url,
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--name",
            "值班管理员",
            "--password",
            "short",
        ],
    );
    assert!(
        !ok && out.contains("8"),
        "the password policy applies: {out}"
    );
    let (ok, out) = gridwork(
        dir.path(),
        &app.db_url,
        &[
            "user",
            "add",
            "--username",
            "ops",
            "--name",
            "值班管理员",
            "--password",
            "Duty#2026watch",
        ],
    );
    assert!(ok, "{out}");
    let c = app.client();
    assert_eq!(c.login("ops", "Duty#2026watch").location(), "/password");
    for _ in 0..5 {
        app.client().login("ops", "Wrong#2026x");
    }
    assert_eq!(
        app.client().login("ops", "Duty#2026watch").status,
        401,
        "locked"
    );
    let (ok, out) = gridwork(
        dir.path(),
        &app.db_url,
        &["user", "unlock", "--username", "ops"],
    );
    assert!(ok, "{out}");
    assert_eq!(app.client().login("ops", "Duty#2026watch").status, 303);
    assert!(app.count("SELECT COUNT(*) AS n FROM audit_log WHERE actor_name = 'cli'") >= 2);
}

#[test]
fn demo_fills_only_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let (ok, out) = gridwork(dir.path(), db, &["demo", "--streets", "3", "--days", "1"]);
    assert!(ok, "{out}");
    assert!(
        out.contains("admin") && out.contains("Demo@2026"),
        "prints the demo logins: {out}"
    );
    let (ok, out) = gridwork(dir.path(), db, &["demo", "--streets", "3"]);
    assert!(!ok && out.contains("not empty"), "{out}");
    let pool = gridwork::db::pool(db, 1).unwrap();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    use gridwork::db::schema::org_units;
    let streets: i64 = org_units::table
        .filter(org_units::kind.eq("street"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(streets, 3);
}

#[test]
fn demo_days_give_a_login_history() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("history.db");
    let db = db.to_str().unwrap();
    let (ok, out) = gridwork(dir.path(), db, &["demo", "--streets", "2", "--days", "14"]);
    assert!(ok, "{out}");
    let pool = gridwork::db::pool(db, 1).unwrap();
    let mut conn = pool.get().unwrap();
    use diesel::prelude::*;
    use gridwork::db::schema::{audit_log, login_log, users};
    let staff: i64 = users::table.count().get_result(&mut *conn).unwrap();
    let logins: i64 = login_log::table.count().get_result(&mut *conn).unwrap();
    // Ten working days in any fourteen, about 80% attendance.
    assert!(
        logins > staff * 10 * 6 / 10 && logins < staff * 10,
        "{logins} logins for {staff} staff"
    );
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("login"))
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(audited, logins);
}

/// A mistake typed at the command line is told plainly with a failing exit status; "internal
/// error" is kept for bugs.
#[test]
fn user_mistakes_are_told_plainly() {
    let app = spawn_app();
    let dir = tempfile::tempdir().unwrap();
    for (args, says) in [
        (
            &["user", "unlock", "--username", "nobody"][..],
            "no user nobody",
        ),
        (
            &[
                "user",
                "passwd",
                "--username",
                "nobody",
                "--password",
                "Duty#2026watch",
            ][..],
            "no user nobody",
        ),
        (
            &[
                "user",
                "add",
                "--username",
                "admin",
                "--name",
                "x",
                "--password",
                "Duty#2026watch",
            ][..],
            "admin exists",
        ),
        (
            &[
                "user",
                "add",
                "--username",
                "ops",
                "--name",
                "x",
                "--org",
                "999999",
                "--password",
                "Duty#2026watch",
            ][..],
            "no org unit 999999",
        ),
        (
            &["backup", "--to", "/nonexistent-dir/b.db"][..],
            "no directory /nonexistent-dir",
        ),
    ] {
        let (ok, out) = gridwork(dir.path(), &app.db_url, args);
        assert!(!ok && out.contains(says), "{args:?}: {out}");
        assert!(!out.contains("internal error"), "{args:?}: {out}");
    }
    // A value outside a flag's choices is a usage error (exit status 2), before any work.
    let out = Command::new(env!("CARGO_BIN_EXE_gridwork"))
        .args([
            "user",
            "add",
            "--username",
            "u",
            "--name",
            "n",
            "--password",
            "p",
        ])
        .args(["--role", "boss"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("grid_worker"));
}
