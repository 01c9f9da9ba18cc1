//! The restore drill, through the `gridwork` binary as an operator runs it: data, a backup, more
//! data, a restore, and the data is the backup's; a damaged, foreign or newer file, a server
//! holding the database and a mistyped data directory are refused and leave everything as it was.
//! Restore is SQLite's (PostgreSQL's backup is a pg_dump file for pg_restore): the drill runs on
//! a SQLite data directory of its own on either backend, and on PostgreSQL the backend's test
//! checks that both commands name the PostgreSQL tools.

use std::path::{Path, PathBuf};
use std::process::Command;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;

use crate::helpers::*;

/// Runs `gridwork --data DATA ARGS…` with the environment cleared of the suite's settings;
/// `DATABASE_URL` only when given. Its exit code and everything it printed.
fn gridwork(data: &Path, db_url: Option<&str>, args: &[&str]) -> (i32, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gridwork"));
    cmd.arg("--data")
        .arg(data)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("GRIDWORK_DATA_DIR")
        .env_remove("GRIDWORK_CONFIG")
        .env("GRIDWORK_LOG", "warn");
    if let Some(url) = db_url {
        cmd.env("DATABASE_URL", url);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

fn count(file: &Path, sql: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = diesel::SqliteConnection::establish(file.to_str().unwrap()).unwrap();
    diesel::sql_query(sql).get_result::<N>(&mut c).unwrap().n
}

fn exec(file: &Path, sql: &str) {
    let mut c = diesel::SqliteConnection::establish(file.to_str().unwrap()).unwrap();
    c.batch_execute(sql).unwrap();
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A data directory whose database is a copy of the demo's (an online backup of a test's).
fn data_dir(root: &Path) -> PathBuf {
    let sqlite = tempfile::tempdir().unwrap();
    let file = sqlite.path().join("gridwork.db");
    {
        let pool = gridwork::db::pool(file.to_str().unwrap(), 1).unwrap();
        let mut conn = pool.get().unwrap();
        gridwork::db::migrate(&mut conn).unwrap();
        gridwork::demo::seed(
            &mut conn,
            &gridwork::demo::DemoOptions {
                streets: 1,
                days: 1,
            },
        )
        .unwrap();
    }
    let data = root.join("data");
    std::fs::create_dir(&data).unwrap();
    let (code, out) = gridwork(
        &data,
        Some(file.to_str().unwrap()),
        &["backup", "--to", data.join("gridwork.db").to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    data
}

#[test]
fn restore_drill_gives_back_the_backup() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let live = data.join("gridwork.db");
    let issues = count(&live, "SELECT COUNT(*) AS n FROM issues");
    let users = count(&live, "SELECT COUNT(*) AS n FROM users");
    assert!(issues > 0 && users > 0);

    let monday = root.path().join("monday.db");
    let (code, out) = gridwork(&data, None, &["backup", "--to", monday.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("{issues} issues, {users} users")),
        "says what it wrote: {out}"
    );

    // Work after the backup: an account made from the shell, names changed.
    let (code, out) = gridwork(
        &data,
        None,
        &[
            "user",
            "add",
            "--username",
            "newcomer",
            "--name",
            "新来的",
            "--password",
            "Duty#2026watch",
        ],
    );
    assert_eq!(code, 0, "{out}");
    exec(&live, "UPDATE users SET display_name = 'after the backup'");
    exec(
        &live,
        "DELETE FROM issue_events WHERE issue_id IN (SELECT id FROM issues WHERE id % 2 = 0)",
    );
    assert_eq!(count(&live, "SELECT COUNT(*) AS n FROM users"), users + 1);

    let (code, out) = gridwork(
        &data,
        None,
        &["restore", "--from", monday.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains(&format!("{issues} issues, {users} users")) && out.contains("kept as"),
        "{out}"
    );

    assert_eq!(count(&live, "SELECT COUNT(*) AS n FROM users"), users);
    assert_eq!(count(&live, "SELECT COUNT(*) AS n FROM issues"), issues);
    assert_eq!(
        count(
            &live,
            "SELECT COUNT(*) AS n FROM users WHERE username = 'newcomer' \
             OR display_name = 'after the backup'"
        ),
        0,
        "nothing of the later work is left"
    );
    assert_eq!(
        count(
            &live,
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id % 2 = 0"
        ),
        count(
            &monday,
            "SELECT COUNT(*) AS n FROM issue_events WHERE issue_id % 2 = 0"
        )
    );
    // The replaced database is kept, whole, with the later work in it.
    let kept: Vec<String> = names(&data)
        .into_iter()
        .filter(|n| n.starts_with("gridwork.db.before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "{:?}", names(&data));
    let kept = data.join(&kept[0]);
    assert_eq!(
        count(
            &kept,
            "SELECT COUNT(*) AS n FROM users WHERE username = 'newcomer'"
        ),
        1
    );
    assert!(!names(&data).iter().any(|n| n.ends_with(".tmp")));

    // The restored database serves: the migrations find it current, a login works.
    let (code, out) = gridwork(&data, None, &["migrate"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = gridwork(&data, None, &["user", "unlock", "--username", "admin"]);
    assert_eq!(code, 0, "{out}");
}

/// Every refused restore leaves the data directory byte for byte as it was.
#[test]
fn restore_refuses_what_does_not_check_out_and_changes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let live = data.join("gridwork.db");
    let good = root.path().join("good.db");
    let (code, out) = gridwork(&data, None, &["backup", "--to", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    let bytes = std::fs::read(&good).unwrap();
    assert!(bytes.len() > 4096 * 8, "a backup of several pages");

    let junk = root.path().join("junk.db");
    std::fs::write(&junk, b"SQLite format 3\0 but nothing else of one").unwrap();
    // A database whose pages past the first are overwritten: SQLite opens it, the check fails.
    let damaged = root.path().join("damaged.db");
    let mut d = bytes.clone();
    let page = 4096;
    for b in &mut d[page * 2..page * 6] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, d).unwrap();
    // Pages SQLite reads, with an index that no longer matches its table: only the integrity
    // check finds it.
    let bad_index = root.path().join("bad-index.db");
    std::fs::write(&bad_index, &bytes).unwrap();
    exec(
        &bad_index,
        "PRAGMA writable_schema = ON; \
         UPDATE sqlite_master SET sql = 'CREATE INDEX ' || name || ' ON issues(id)' \
         WHERE name = (SELECT name FROM sqlite_master \
                       WHERE type = 'index' AND tbl_name = 'issues' AND sql IS NOT NULL LIMIT 1);",
    );
    let foreign = root.path().join("foreign.db");
    exec(
        &foreign,
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
    );
    let newer = root.path().join("newer.db");
    std::fs::write(&newer, &bytes).unwrap();
    exec(
        &newer,
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('29990101000000')",
    );

    let before = std::fs::read(&live).unwrap();
    let listing = names(&data);
    for (file, why) in [
        (root.path().join("missing.db"), "no backup file"),
        (junk, "SQLite cannot read it (file is not a database)"),
        (damaged, "malformed"),
        (bad_index, "damaged (row"),
        (foreign, "no table"),
        (newer, "newer Gridwork"),
    ] {
        let (code, out) = gridwork(&data, None, &["restore", "--from", file.to_str().unwrap()]);
        assert_eq!(code, 1, "{}: {out}", file.display());
        assert!(out.contains(why), "{}: {out}", file.display());
        assert!(!out.contains("internal error"), "{out}");
        assert_eq!(
            names(&data),
            listing,
            "{}: nothing added or removed",
            file.display()
        );
        assert!(
            std::fs::read(&live).unwrap() == before,
            "{}: database untouched",
            file.display()
        );
    }

    // A server holds the database (here, this test's pool): refused, and said why.
    {
        let pool = gridwork::db::pool(live.to_str().unwrap(), 2).unwrap();
        let mut conn = pool.get().unwrap();
        let n: i64 = gridwork::db::schema::users::table
            .count()
            .get_result(&mut *conn)
            .unwrap();
        assert!(n > 0);
        drop(conn);
        let (code, out) = gridwork(&data, None, &["restore", "--from", good.to_str().unwrap()]);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("in use") && out.contains("stop the server"),
            "{out}"
        );
        assert!(!names(&data).iter().any(|n| n.contains("before-restore")));
    }

    // A mistyped data directory: no database made there, no backup written.
    let wrong = root.path().join("dta");
    let to = root.path().join("cron.db");
    let (code, out) = gridwork(&wrong, None, &["backup", "--to", to.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("no database") && out.contains("--data"),
        "{out}"
    );
    assert!(!wrong.exists() && !to.exists(), "nothing made: {out}");
    let (code, out) = gridwork(&wrong, None, &["restore", "--from", good.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no directory") && !wrong.exists(), "{out}");
}

/// A backup from before the latest migration is restored, said to be older, and brought up to
/// date by the next `migrate`; into a directory that had no database, nothing is kept aside.
#[test]
fn an_older_backup_is_restored_and_migrated_at_the_next_start() {
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
    let root = tempfile::tempdir().unwrap();
    let data = data_dir(root.path());
    let older = root.path().join("older.db");
    let (code, out) = gridwork(&data, None, &["backup", "--to", older.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    {
        let mut c = diesel::SqliteConnection::establish(older.to_str().unwrap()).unwrap();
        c.revert_last_migration(SQLITE).unwrap();
    }
    let fresh = root.path().join("fresh");
    std::fs::create_dir(&fresh).unwrap();
    let (code, out) = gridwork(
        &fresh,
        None,
        &["restore", "--from", older.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("older Gridwork") && out.contains("(1 migrations)"),
        "{out}"
    );
    assert!(!out.contains("kept as"), "{out}");
    assert_eq!(names(&fresh), ["gridwork.db"]);
    let (code, out) = gridwork(&fresh, None, &["migrate"]);
    assert_eq!(code, 0, "{out}");
    let all = gridwork::db::sqlite_migration_versions().unwrap().len() as i64;
    assert_eq!(
        count(
            &fresh.join("gridwork.db"),
            "SELECT COUNT(*) AS n FROM __diesel_schema_migrations"
        ),
        all
    );
}

/// On the suite's backend: PostgreSQL backs up with pg_dump and restores with pg_restore, and the
/// command line says so; on SQLite the same commands work on the test's database.
#[test]
fn backup_counts_and_restore_names_the_tool_on_each_backend() {
    let db = test_db();
    let dir = tempfile::tempdir().unwrap();
    let to = dir.path().join("backup.bin");
    let issues = db.count("SELECT COUNT(*) AS n FROM issues");
    let users = db.count("SELECT COUNT(*) AS n FROM users");
    let (code, backup) = gridwork(
        dir.path(),
        Some(&db.db_url),
        &["backup", "--to", to.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{backup}");
    assert!(
        backup.contains(&format!("{issues} issues, {users} users")),
        "{backup}"
    );
    let (code, out) = gridwork(
        dir.path(),
        Some(&db.db_url),
        &["restore", "--from", to.to_str().unwrap()],
    );
    if db.db_url.starts_with("postgres") {
        assert!(
            backup.contains("pg_dump") && backup.contains("pg_restore"),
            "{backup}"
        );
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("pg_restore"), "{out}");
    } else {
        // The test's own pool holds the database like a server would.
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("in use"), "{out}");
    }
    assert_eq!(db.count("SELECT COUNT(*) AS n FROM issues"), issues);
}
