//! What the command line's work returns: the operator's mistake (a wrong directory, a missing
//! file, an unknown user) is told plainly; only a failure nobody typed is an "internal error".

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::db::Backend;
use crate::error::AppError;

#[derive(Debug)]
pub enum CliError {
    /// Something the operator can put right: printed as it is, exit status 1.
    Refused(String),
    /// A bug or a failure of the machine: printed with its causes, exit status 1.
    Internal(AppError),
}

pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    pub fn refused(msg: impl Into<String>) -> CliError {
        CliError::Refused(msg.into())
    }

    /// An error of the store's opening or of the environment (no such directory, no server at
    /// the URL), told without the "internal error" the same failure is in a request.
    pub fn plain(e: AppError) -> CliError {
        match e {
            AppError::Internal(msg) => CliError::Refused(msg),
            AppError::Failed { .. } => {
                let report = e.report();
                let msg = report.strip_prefix("internal error: ").unwrap_or(&report);
                CliError::Refused(msg.to_string())
            }
            other => CliError::Internal(other),
        }
    }

    /// What the command prints on stderr after "gridwork: ".
    pub fn report(&self) -> String {
        match self {
            CliError::Refused(msg) => msg.clone(),
            CliError::Internal(e) => e.report(),
        }
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        CliError::Internal(e)
    }
}

impl From<diesel::result::Error> for CliError {
    fn from(e: diesel::result::Error) -> Self {
        CliError::Internal(e.into())
    }
}

/// The SQLite file a URL names, when it names a plain file (not `:memory:` or a `file:` URI).
pub fn sqlite_file(url: &str) -> Option<PathBuf> {
    if Backend::of(url) != Backend::Sqlite {
        return None;
    }
    let path = url.strip_prefix("sqlite://").unwrap_or(url);
    (path != ":memory:" && !path.starts_with("file:")).then(|| PathBuf::from(path))
}

/// Every command but `serve`, `migrate` and `demo` works on a database that exists: a mistyped
/// `--data` in a cron job must not make a new, empty database and back that up for ever.
pub fn require_database(settings: &Settings) -> CliResult<()> {
    let Some(file) = sqlite_file(&settings.database_url()) else {
        return Ok(());
    };
    if has_database(&file) {
        Ok(())
    } else {
        Err(CliError::Refused(no_database(settings, &file)))
    }
}

fn has_database(file: &Path) -> bool {
    std::fs::metadata(file).is_ok_and(|m| m.is_file() && m.len() > 0)
}

fn no_database(settings: &Settings, file: &Path) -> String {
    let hint = if settings.database_url.is_empty() {
        "check --data (or GRIDWORK_DATA_DIR)"
    } else {
        "check DATABASE_URL"
    };
    format!(
        "no database at {}: {hint}; `gridwork migrate` makes a new one there",
        file.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_sqlite_files_are_checked() {
        assert_eq!(
            sqlite_file("data/gridwork.db"),
            Some("data/gridwork.db".into())
        );
        assert_eq!(sqlite_file("sqlite:///srv/g.db"), Some("/srv/g.db".into()));
        assert_eq!(sqlite_file("postgres://u@h/db"), None);
        assert_eq!(sqlite_file(":memory:"), None);
    }

    #[test]
    fn a_directory_without_a_database_is_refused_and_left_as_it_was() {
        let dir = tempfile_dir();
        let settings = Settings {
            data_dir: dir.clone(),
            ..Settings::default()
        };
        let err = require_database(&settings).unwrap_err();
        assert!(
            matches!(&err, CliError::Refused(m) if m.contains("no database") && m.contains("--data")),
            "{err:?}"
        );
        assert!(!dir.join("gridwork.db").exists(), "nothing made");
        std::fs::write(dir.join("gridwork.db"), b"").unwrap();
        assert!(
            require_database(&settings).is_err(),
            "an empty file is no database"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn store_errors_are_told_plainly() {
        let e = CliError::plain(AppError::Internal(
            "cannot open the database: refused".into(),
        ));
        assert_eq!(e.report(), "cannot open the database: refused");
        let io = std::io::Error::other("denied");
        let e = CliError::plain(AppError::internal("data dir", io));
        assert_eq!(e.report(), "data dir: denied");
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "gridwork-cli-{}-{}",
            std::process::id(),
            crate::web::csrf::random_token()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
