//! `gridwork restore --from FILE`: puts a `gridwork backup` file back as the SQLite database, but
//! only once a copy of it, already in place beside the database, checks out (SQLite's integrity
//! check, Gridwork's tables, a schema this binary knows); the database it replaces is kept aside
//! under `gridwork.db.before-restore-<time>`, and the new one arrives by one rename, so at every
//! moment the data directory holds either the old database or the new one, whole.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::cli::{CliError, CliResult, sqlite_file};
use crate::config::Settings;
use crate::db::{AnyConnection, Backend};

pub fn run(settings: &Settings, from: &Path) -> CliResult<String> {
    let url = settings.database_url();
    if Backend::of(&url) == Backend::Postgres {
        return Err(CliError::refused(
            "on PostgreSQL a backup is a pg_dump file: stop the servers, then put it back with \
             `pg_restore --clean --if-exists --no-owner -d \"$DATABASE_URL\" FILE` \
             (see README, Backup and restore)",
        ));
    }
    let target = sqlite_file(&url)
        .ok_or_else(|| CliError::Refused(format!("restore needs a database file, not {url}")))?;
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(CliError::Refused(format!(
            "no directory {}: check --data (or GRIDWORK_DATA_DIR)",
            dir.display()
        )));
    }
    if !from.is_file() {
        return Err(CliError::Refused(format!(
            "no backup file at {}",
            from.display()
        )));
    }
    let existing = target.exists();
    // Held from here until the swap: no server (nor a second restore) can open it meanwhile.
    let hold = if existing {
        hold_exclusively(&target)?
    } else {
        None
    };

    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gridwork.db".into());
    let tmp = TempFile(dir.join(format!("{name}.restore-{}.tmp", std::process::id())));
    copy_synced(from, &tmp.0)
        .map_err(|e| CliError::Refused(format!("cannot copy {}: {e}", from.display())))?;
    let found = check(&tmp.0).map_err(|why| {
        CliError::Refused(format!(
            "{} is not a Gridwork backup that can be restored: {why}; nothing was changed",
            from.display()
        ))
    })?;

    // Closing the held connection folds the write-ahead log into the old file, so what is kept
    // aside is whole.
    drop(hold);
    let kept = if existing {
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let aside = dir.join(format!("{name}.before-restore-{stamp}"));
        keep_aside(&target, &aside).map_err(|e| {
            CliError::Refused(format!(
                "cannot keep {} as {}: {e}; nothing was changed",
                target.display(),
                aside.display()
            ))
        })?;
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&tmp.0, &target)
        .map_err(|e| CliError::Refused(format!("cannot replace {}: {e}", target.display())))?;
    sync_dir(&dir);

    let mut msg = format!(
        "restored {} as {}: {} issues, {} users",
        from.display(),
        target.display(),
        found.issues,
        found.users
    );
    if let Some(aside) = kept {
        msg.push_str(&format!(
            "; the database it replaced is kept as {}",
            aside.display()
        ));
    }
    if found.pending > 0 {
        msg.push_str(&format!(
            "; it was written by an older Gridwork: its schema is brought up to date \
             ({} migrations) at the next `gridwork serve` or `gridwork migrate`",
            found.pending
        ));
    }
    Ok(msg)
}

/// What a backup holds, once it checked out.
struct Found {
    issues: i64,
    users: i64,
    /// Migrations this binary has that the file lacks.
    pending: usize,
}

#[derive(QueryableByName)]
struct IntegrityLine {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = Text)]
    version: String,
}

/// The tables without which a file is not a Gridwork database.
const TABLES: [&str; 4] = ["__diesel_schema_migrations", "org_units", "users", "issues"];

/// Checks a copy of the backup; the reason it is refused, in words, otherwise.
fn check(file: &Path) -> Result<Found, String> {
    let mut conn =
        diesel::SqliteConnection::establish(&file.to_string_lossy()).map_err(|e| e.to_string())?;
    let lines: Vec<IntegrityLine> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(|e| format!("SQLite cannot read it ({e})"))?;
    if lines.len() != 1 || lines[0].integrity_check != "ok" {
        let first: Vec<String> = lines
            .into_iter()
            .take(3)
            .map(|l| l.integrity_check)
            .collect();
        return Err(format!("damaged ({})", first.join("; ")));
    }
    let tables: BTreeSet<String> =
        diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table'")
            .load::<Name>(&mut conn)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|n| n.name)
            .collect();
    if let Some(missing) = TABLES.iter().find(|t| !tables.contains(**t)) {
        return Err(format!("not a Gridwork database (no table {missing})"));
    }
    let applied: BTreeSet<String> =
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Version>(&mut conn)
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|v| v.version)
            .collect();
    let known: BTreeSet<String> = crate::db::sqlite_migration_versions()
        .map_err(|e| e.report())?
        .into_iter()
        .collect();
    if let Some(newer) = applied.difference(&known).max() {
        return Err(format!(
            "written by a newer Gridwork (schema version {newer}, this one knows up to {}): \
             restore it with that version",
            known.last().map_or("none", String::as_str)
        ));
    }
    let mut any = AnyConnection::Sqlite(conn);
    let (issues, users) = super::counts(&mut any).map_err(|e| e.report())?;
    Ok(Found {
        issues,
        users,
        pending: known.difference(&applied).count(),
    })
}

/// Opens the live database and takes its exclusive lock, which a running server's connections
/// prevent (each holds a shared lock while open, WAL or not). A file SQLite cannot read is not in
/// use by a server either: it is what a restore is for, and it is kept aside all the same.
fn hold_exclusively(target: &Path) -> CliResult<Option<diesel::SqliteConnection>> {
    let Ok(mut conn) = diesel::SqliteConnection::establish(&target.to_string_lossy()) else {
        return Ok(None);
    };
    match conn.batch_execute(
        "PRAGMA busy_timeout = 0; PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;",
    ) {
        Ok(()) => Ok(Some(conn)),
        Err(e) if is_busy(&e) => Err(CliError::Refused(format!(
            "{} is in use (a running Gridwork server?): stop the server, then restore; \
             nothing was changed",
            target.display()
        ))),
        Err(_) => Ok(None),
    }
}

fn is_busy(e: &diesel::result::Error) -> bool {
    let msg = e.to_string();
    msg.contains("locked") || msg.contains("busy")
}

/// A copy that reaches the disk before anything relies on it.
fn copy_synced(from: &Path, to: &Path) -> std::io::Result<()> {
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()
}

/// Keeps the database being replaced under `aside`: a second name for the same file (nothing
/// copied), or a copy where the file system has no hard links. Its write-ahead log, if one is
/// left (a file SQLite could not open), goes with it: it must never meet the restored file.
fn keep_aside(target: &Path, aside: &Path) -> std::io::Result<()> {
    if std::fs::hard_link(target, aside).is_err() {
        copy_synced(target, aside)?;
    }
    let side = |p: &Path, ext: &str| {
        let mut s = p.as_os_str().to_owned();
        s.push(ext);
        PathBuf::from(s)
    };
    let wal = side(target, "-wal");
    if wal.exists() {
        std::fs::rename(&wal, side(aside, "-wal"))?;
    }
    let shm = side(target, "-shm");
    if shm.exists() {
        std::fs::remove_file(shm)?;
    }
    Ok(())
}

/// A rename is durable once its directory is synced (POSIX); elsewhere this does nothing.
fn sync_dir(dir: &Path) {
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
}

/// The copy being checked: removed when the restore stops short (once renamed, its name is free).
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
        for ext in ["-wal", "-shm", "-journal"] {
            let mut s = self.0.as_os_str().to_owned();
            s.push(ext);
            let _ = std::fs::remove_file(PathBuf::from(s));
        }
    }
}
