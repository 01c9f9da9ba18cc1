//! Settings: built-in defaults, then an optional TOML file (`GRIDWORK_CONFIG`, or `gridwork.toml`
//! in the data directory), then `GRIDWORK_*` environment variables, then command-line flags.
//! Every setting has an environment variable: the upper-cased field name after `GRIDWORK_`
//! (`GRIDWORK_SESSION_IDLE_MINUTES`), except `DATABASE_URL`, which is the usual name.

use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Address to listen on.
    pub bind: String,
    /// Holds the SQLite file, uploads and the session key.
    pub data_dir: PathBuf,
    /// Overrides the store; `postgres://…` selects PostgreSQL. Empty: `<data_dir>/gridwork.db`.
    pub database_url: String,
    /// Connections in the pool.
    pub pool_size: u32,
    /// HTTP worker threads (0: one per core).
    pub workers: usize,
    /// Idle and absolute session timeouts.
    pub session_idle_minutes: i64,
    pub session_absolute_hours: i64,
    /// Set when served over TLS (directly or behind a proxy): cookies get `Secure` and HSTS is sent.
    pub secure_cookies: bool,
    /// Failures before an account locks, and for how long.
    pub lockout_threshold: i32,
    pub lockout_minutes: i64,
    /// Failed logins from one IP address in 15 minutes before that address is refused.
    pub ip_failures_per_15min: i64,
    /// Password policy.
    pub password_min_length: usize,
    pub password_min_classes: usize,
    /// Concurrent password hashes (each takes 19 MiB and one core for ~30 ms).
    pub hash_concurrency: usize,
    /// Time zone for dates, weeks and times shown to users.
    pub timezone: String,
    /// Largest upload accepted, in bytes.
    pub upload_max_bytes: usize,
    /// Days after its date a patrol log stays freely editable by its worker (0: the same day
    /// only); later changes are corrections appended with a reason.
    pub patrol_edit_days: i64,
    /// Workers with no patrol log for this many days are listed on the coverage page.
    pub patrol_idle_days: i64,
    /// Trust `X-Forwarded-For` for the client address (only behind your own reverse proxy).
    pub trust_proxy: bool,
    /// Log as JSON lines instead of text.
    pub log_json: bool,
    /// Where uploaded photos go: `local` (`<data_dir>/uploads`) or `s3` (the bucket below).
    pub storage: StorageKind,
    /// The bucket (must exist), for `storage = "s3"`.
    pub s3_bucket: String,
    /// An S3-compatible server's URL (MinIO, Ceph, …); empty for AWS itself.
    pub s3_endpoint: String,
    pub s3_region: String,
    /// Static credentials; both empty: the instance's role (metadata service).
    pub s3_access_key_id: String,
    pub s3_secret_access_key: Secret,
    /// Allow an `http://` endpoint (a store on the same host or network).
    pub s3_allow_http: bool,
    /// Keys are stored as `<prefix>/<key>`; empty for the bucket's root.
    pub s3_prefix: String,
    /// Tell each response's SQL statement count in an `X-Statements` header (for the bench).
    pub count_statements: bool,
}

/// The storage backend for uploads, see `crate::storage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageKind {
    #[default]
    Local,
    S3,
}

impl std::str::FromStr for StorageKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "local" => Ok(StorageKind::Local),
            "s3" => Ok(StorageKind::S3),
            _ => Err(()),
        }
    }
}

/// A setting that must never be printed: `Debug` shows whether it is set, not its value.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "Secret(empty)"
        } else {
            "Secret(***)"
        })
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Secret(s.to_string()))
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            database_url: String::new(),
            pool_size: 8,
            workers: 0,
            session_idle_minutes: 30,
            session_absolute_hours: 12,
            secure_cookies: false,
            lockout_threshold: 5,
            lockout_minutes: 15,
            ip_failures_per_15min: 30,
            password_min_length: 8,
            password_min_classes: 3,
            hash_concurrency: 2,
            timezone: "Asia/Shanghai".into(),
            upload_max_bytes: 5 * 1024 * 1024,
            patrol_edit_days: 0,
            patrol_idle_days: 3,
            trust_proxy: false,
            log_json: false,
            storage: StorageKind::Local,
            s3_bucket: String::new(),
            s3_endpoint: String::new(),
            s3_region: "us-east-1".into(),
            s3_access_key_id: String::new(),
            s3_secret_access_key: Secret::default(),
            s3_allow_http: false,
            s3_prefix: "uploads".into(),
            count_statements: false,
        }
    }
}

/// Applies `GRIDWORK_<FIELD>` for each listed field, parsing with the field's `FromStr`.
macro_rules! env_overrides {
    ($s:ident, $get:ident; $($field:ident),* $(,)?) => {
        $(
            if let Some(v) = $get(&format!("GRIDWORK_{}", stringify!($field).to_uppercase())) {
                $s.$field = v.parse().map_err(|_| {
                    format!("GRIDWORK_{}: cannot parse {v:?}", stringify!($field).to_uppercase())
                })?;
            }
        )*
    };
}

impl Settings {
    /// Loads the file (if any) and the environment. `data_dir` from the command line, when given,
    /// is applied first so the file inside it is found.
    pub fn load(data_dir: Option<&Path>) -> Result<Settings, String> {
        Self::load_with(data_dir, |k| std::env::var(k).ok())
    }

    pub fn load_with(
        data_dir: Option<&Path>,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<Settings, String> {
        let dir = data_dir
            .map(Path::to_path_buf)
            .or_else(|| get("GRIDWORK_DATA_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("data"));
        let file = get("GRIDWORK_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| dir.join("gridwork.toml"));
        let mut s: Settings = match std::fs::read_to_string(&file) {
            Ok(text) => toml::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?,
            Err(_) => Settings::default(),
        };
        env_overrides!(s, get; bind, pool_size, workers, session_idle_minutes,
            session_absolute_hours, secure_cookies, lockout_threshold, lockout_minutes,
            ip_failures_per_15min, password_min_length, password_min_classes, hash_concurrency,
            timezone, upload_max_bytes, patrol_edit_days, patrol_idle_days, trust_proxy, log_json, storage, s3_bucket, s3_endpoint,
            s3_region, s3_access_key_id, s3_secret_access_key, s3_allow_http, s3_prefix, count_statements);
        if let Some(url) = get("DATABASE_URL") {
            s.database_url = url;
        }
        s.data_dir = dir;
        s.tz()?;
        Ok(s)
    }

    /// The store's URL: `DATABASE_URL`, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database_url.is_empty() {
            self.data_dir
                .join("gridwork.db")
                .to_string_lossy()
                .into_owned()
        } else {
            self.database_url.clone()
        }
    }

    pub fn tz(&self) -> Result<chrono_tz::Tz, String> {
        self.timezone
            .parse()
            .map_err(|_| format!("unknown time zone {:?}", self.timezone))
    }

    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_defaults() {
        let env = |k: &str| match k {
            "GRIDWORK_SESSION_IDLE_MINUTES" => Some("5".to_string()),
            "DATABASE_URL" => Some("postgres://x@y/z".to_string()),
            _ => None,
        };
        let s = Settings::load_with(Some(Path::new("/nonexistent")), env).unwrap();
        assert_eq!(s.session_idle_minutes, 5);
        assert_eq!(s.database_url(), "postgres://x@y/z");
        assert_eq!(s.timezone, "Asia/Shanghai");
    }

    #[test]
    fn a_bad_value_is_reported_by_name() {
        let env = |k: &str| (k == "GRIDWORK_POOL_SIZE").then(|| "many".to_string());
        let err = Settings::load_with(Some(Path::new("/nonexistent")), env).unwrap_err();
        assert!(err.contains("GRIDWORK_POOL_SIZE"), "{err}");
    }

    #[test]
    fn s3_storage_comes_from_the_environment_and_the_secret_stays_hidden() {
        let env = |k: &str| {
            match k {
                "GRIDWORK_STORAGE" => Some("s3"),
                "GRIDWORK_S3_BUCKET" => Some("gw-photos"),
                "GRIDWORK_S3_ENDPOINT" => Some("http://minio:9000"),
                "GRIDWORK_S3_ALLOW_HTTP" => Some("true"),
                "GRIDWORK_S3_ACCESS_KEY_ID" => Some("gridwork"),
                "GRIDWORK_S3_SECRET_ACCESS_KEY" => Some("very-secret-value"),
                _ => None,
            }
            .map(str::to_string)
        };
        let s = Settings::load_with(Some(Path::new("/nonexistent")), env).unwrap();
        assert_eq!(s.storage, StorageKind::S3);
        assert_eq!(s.s3_bucket, "gw-photos");
        assert!(s.s3_allow_http);
        assert_eq!(s.s3_region, "us-east-1");
        assert_eq!(s.s3_prefix, "uploads");
        assert_eq!(s.s3_secret_access_key.expose(), "very-secret-value");
        let shown = format!("{s:?}");
        assert!(!shown.contains("very-secret-value"), "{shown}");
        assert!(shown.contains("Secret(***)"), "{shown}");

        let bad = |k: &str| (k == "GRIDWORK_STORAGE").then(|| "ftp".to_string());
        let err = Settings::load_with(Some(Path::new("/nonexistent")), bad).unwrap_err();
        assert!(err.contains("GRIDWORK_STORAGE"), "{err}");
    }

    #[test]
    fn the_toml_file_names_storage_in_lower_case() {
        let s: Settings =
            toml::from_str("storage = \"s3\"\ns3_bucket = \"b\"\ns3_secret_access_key = \"k\"\n")
                .unwrap();
        assert_eq!(s.storage, StorageKind::S3);
        assert_eq!(s.s3_secret_access_key.expose(), "k");
        assert!(toml::from_str::<Settings>("storage = \"ftp\"").is_err());
    }
}
