//! The migrations run both ways: every `down.sql` runs and its `up.sql` applies again cleanly,
//! on an empty store and under the demo's data, and reverting a migration gives back exactly the
//! schema it started from (ARCHITECTURE promises working downs). On the backend the suite runs on
//! (TEST_DATABASE_URL), like every other test.

use diesel::migration::MigrationVersion;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use gridwork::db::AnyConnection;

use crate::helpers::*;

const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

fn source(db: &TestDb) -> EmbeddedMigrations {
    if db.db_url.starts_with("postgres") {
        POSTGRES
    } else {
        SQLITE
    }
}

/// The versions applied, oldest first.
fn applied(db: &TestDb) -> Vec<String> {
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    let mut v: Vec<String> = conn
        .applied_migrations()
        .unwrap()
        .iter()
        .map(MigrationVersion::to_string)
        .collect();
    v.sort();
    v
}

/// Every migration's version, oldest first.
fn all_versions(db: &TestDb) -> Vec<String> {
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    let mut v: Vec<String> = conn
        .pending_migrations(source(db))
        .unwrap()
        .iter()
        .map(|m| m.name().version().to_string())
        .collect();
    v.extend(applied_versions(conn));
    v.sort();
    v.dedup();
    v
}

fn applied_versions(conn: &mut AnyConnection) -> Vec<String> {
    conn.applied_migrations()
        .unwrap()
        .iter()
        .map(MigrationVersion::to_string)
        .collect()
}

fn revert_last(db: &TestDb) -> String {
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    let last = applied_versions(conn).into_iter().max().unwrap();
    conn.revert_last_migration(source(db))
        .unwrap_or_else(|e| panic!("down.sql of {last}: {e}"))
        .to_string()
}

fn apply_next(db: &TestDb) -> String {
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    let last = applied_versions(conn).into_iter().max();
    conn.run_next_migration(source(db))
        .unwrap_or_else(|e| panic!("up.sql of the migration after {last:?}: {e}"))
        .to_string()
}

/// The schema as lines: every column (type, nullability, default), index and constraint of the
/// app's tables, sorted, so two states compare whatever order things were made in.
fn schema(db: &TestDb) -> Vec<String> {
    let sql = if db.db_url.starts_with("postgres") {
        "SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' \
             || is_nullable || ' ' || COALESCE(column_default, '') AS s \
         FROM information_schema.columns WHERE table_schema = 'public' \
             AND table_name <> '__diesel_schema_migrations' \
         UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes \
         WHERE schemaname = 'public' AND tablename <> '__diesel_schema_migrations' \
         UNION ALL SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ': ' \
             || pg_get_constraintdef(c.oid) FROM pg_constraint c \
             JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND c.conrelid::regclass::text <> '__diesel_schema_migrations'"
    } else {
        "SELECT 'column ' || m.name || '.' || p.name || ' ' || p.type || ' ' || p.\"notnull\" \
             || ' ' || COALESCE(p.dflt_value, '') || ' ' || p.pk AS s \
         FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' \
             AND m.name <> '__diesel_schema_migrations' \
         UNION ALL SELECT 'index ' || m.name || ': ' || COALESCE(m.sql, '') || ' ' \
             || (SELECT group_concat(i.name, ',') FROM pragma_index_info(m.name) i) \
         FROM sqlite_master m WHERE m.type = 'index' \
             AND m.tbl_name <> '__diesel_schema_migrations' \
         UNION ALL SELECT 'foreign key ' || m.name || '.' || f.\"from\" || ' -> ' || f.\"table\" \
             || '.' || COALESCE(f.\"to\", '') || ' ' || f.on_delete \
         FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
    };
    let mut lines = db.strings(sql);
    lines.sort();
    lines
}

fn assert_same(what: &str, before: &[String], after: &[String]) {
    let gone: Vec<_> = before.iter().filter(|l| !after.contains(l)).collect();
    let new: Vec<_> = after.iter().filter(|l| !before.contains(l)).collect();
    assert!(
        gone.is_empty() && new.is_empty(),
        "{what}: the schema differs\n  missing: {gone:#?}\n  extra: {new:#?}"
    );
}

#[test]
fn every_migration_reverts_to_the_schema_before_it_and_applies_again() {
    let db = empty_db();
    let versions = all_versions(&db);
    assert!(versions.len() >= 10, "{versions:?}");
    // Up one by one from nothing, keeping the schema after each step.
    let mut after = vec![schema(&db)];
    assert!(after[0].is_empty(), "an empty store: {:?}", after[0]);
    for v in &versions {
        assert_eq!(&apply_next(&db), v);
        after.push(schema(&db));
    }
    // Down one by one to nothing: each down gives back the schema before its up.
    for (n, v) in versions.iter().enumerate().rev() {
        assert_eq!(&revert_last(&db), v);
        assert_same(&format!("after reverting {v}"), &after[n], &schema(&db));
    }
    assert!(applied(&db).is_empty());
    // And up again, to the same schema as the first time.
    for (n, v) in versions.iter().enumerate() {
        assert_eq!(&apply_next(&db), v);
        assert_same(
            &format!("after applying {v} again"),
            &after[n + 1],
            &schema(&db),
        );
    }
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    assert!(!conn.has_pending_migration(source(&db)).unwrap());
}

#[test]
fn each_migration_reverts_and_applies_again_under_the_demo_data() {
    let db = test_db();
    let versions = all_versions(&db);
    assert_eq!(applied(&db), versions, "the demo store is up to date");
    let full = schema(&db);
    // From the newest down: revert a migration (its rows of data in place), apply it again over
    // the data of the ones below, then revert it for good and go on with the one below it.
    for v in versions.iter().rev() {
        assert_eq!(&revert_last(&db), v);
        assert_eq!(&apply_next(&db), v);
        assert_eq!(&revert_last(&db), v);
    }
    assert!(applied(&db).is_empty());
    let mut c = db.conn();
    let conn: &mut AnyConnection = &mut c;
    conn.run_pending_migrations(source(&db)).unwrap();
    drop(c);
    assert_same("after applying all again", &full, &schema(&db));
    // The schema is one the app can fill again: the demo loader writes every table.
    let opts = gridwork::demo::DemoOptions {
        streets: 1,
        days: 1,
    };
    let mut c = db.conn();
    gridwork::demo::seed(&mut c, &opts).unwrap();
    drop(c);
    assert!(db.count("SELECT COUNT(*) AS n FROM party_pairings") > 0);
}
