//! `gridwork backup --to FILE`: an online, consistent copy while the server runs, and
//! `gridwork restore --from FILE` (restore.rs), which puts such a copy back once it checks out.
//! SQLite: `VACUUM INTO`, which reads one snapshot and writes a compact, complete database file.
//! PostgreSQL: `pg_dump` in custom format, itself one snapshot; `pg_restore` puts it back.
//! Uploaded photos live in the data directory's `uploads/` (copy that folder alongside) or, with
//! `storage = "s3"`, in the bucket (back it up with the store's own tools: versioning, replication).
//! Each backup written is recorded in the audit log (action `backup`, by "cli"): the admin's home
//! reads its age from there (a copy made by other means leaves no record).

mod restore;

use std::path::Path;

use diesel::prelude::*;

use crate::cli::{CliError, CliResult};
use crate::db::schema::{issues, org_units, users};
use crate::db::{AnyConnection, Backend, FirstRow};

pub use restore::run as restore;

/// Writes the backup and says what it holds.
pub fn run(conn: &mut AnyConnection, database_url: &str, to: &Path) -> CliResult<String> {
    if to.exists() {
        return Err(CliError::Refused(format!(
            "{} exists: choose a new file",
            to.display()
        )));
    }
    if let Some(dir) = to.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        return Err(CliError::Refused(format!(
            "no directory {} to write the backup in",
            dir.display()
        )));
    }
    match Backend::of(database_url) {
        Backend::Sqlite => {
            let target = to.to_string_lossy().into_owned();
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(target)
                .execute(conn)
                .map_err(|e| CliError::Refused(format!("cannot write {}: {e}", to.display())))?;
            // VACUUM INTO leaves the new file to the OS's cache: a backup is only one once it is
            // on the disk.
            std::fs::File::open(to)
                .and_then(|f| f.sync_all())
                .map_err(|e| CliError::Refused(format!("{}: {e}", to.display())))?;
            // Counted in the file written, so the numbers are what a restore gives back.
            let written = diesel::SqliteConnection::establish(&to.to_string_lossy())
                .map_err(|e| CliError::Refused(format!("{}: {e}", to.display())))?;
            let (n_issues, n_users) = counts(&mut AnyConnection::Sqlite(written))?;
            recorded(conn, to)?;
            Ok(format!(
                "backup written to {}: {n_issues} issues, {n_users} users",
                to.display()
            ))
        }
        Backend::Postgres => {
            let (n_issues, n_users) = counts(conn)?;
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to)
                .arg(database_url)
                .status()
                .map_err(|e| {
                    CliError::Refused(format!(
                        "cannot run pg_dump (install the PostgreSQL client): {e}"
                    ))
                })?;
            if !status.success() {
                return Err(CliError::Refused(format!("pg_dump failed: {status}")));
            }
            recorded(conn, to)?;
            Ok(format!(
                "backup written to {} by pg_dump (custom format): {n_issues} issues, \
                 {n_users} users; put it back with pg_restore (see README, Backup and restore)",
                to.display()
            ))
        }
    }
}

/// The backup in the audit log, under the tree's root (where the admin's list sees it).
fn recorded(conn: &mut AnyConnection, to: &Path) -> CliResult<()> {
    let root: Option<String> = org_units::table
        .filter(org_units::parent_id.is_null())
        .order(org_units::path)
        .select(org_units::path)
        .first_row(conn)
        .optional()?;
    crate::audit::record(
        conn,
        &crate::audit::Actor::cli(),
        "backup",
        "database",
        None,
        &to.display().to_string(),
        None::<&()>,
        None::<&()>,
        &root.unwrap_or_else(|| "/".into()),
    )?;
    Ok(())
}

/// Issues and users in a database: what the operator recognises a backup by.
fn counts(conn: &mut AnyConnection) -> CliResult<(i64, i64)> {
    let n_issues = issues::table.count().get_result(conn)?;
    let n_users = users::table.count().get_result(conn)?;
    Ok((n_issues, n_users))
}
