//! `gridwork backup --to FILE`: an online, consistent copy while the server runs.
//! SQLite: `VACUUM INTO`, which reads one snapshot and writes a compact, complete database file.
//! PostgreSQL: `pg_dump` in custom format (restore with `pg_restore`), itself one snapshot.
//! Uploaded photos live in the data directory's `uploads/` (copy that folder alongside) or, with
//! `storage = "s3"`, in the bucket (back it up with the store's own tools: versioning, replication).

use std::path::Path;

use diesel::RunQueryDsl;

use crate::db::{AnyConnection, Backend};
use crate::error::{AppError, AppResult};

pub fn run(conn: &mut AnyConnection, database_url: &str, to: &Path) -> AppResult<()> {
    if to.exists() {
        return Err(AppError::Internal(format!(
            "{} exists: choose a new file",
            to.display()
        )));
    }
    match Backend::of(database_url) {
        Backend::Sqlite => {
            let target = to.to_string_lossy().into_owned();
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(target)
                .execute(conn)
                .map_err(|e| AppError::Internal(format!("backup failed: {e}")))?;
            Ok(())
        }
        Backend::Postgres => {
            let status = std::process::Command::new("pg_dump")
                .args(["--format=custom", "--no-owner", "--file"])
                .arg(to)
                .arg(database_url)
                .status()
                .map_err(|e| AppError::Internal(format!("cannot run pg_dump: {e}")))?;
            if status.success() {
                Ok(())
            } else {
                Err(AppError::Internal(format!("pg_dump failed: {status}")))
            }
        }
    }
}
