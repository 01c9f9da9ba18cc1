//! Uploaded files (photos of grid responsible people and of issues) behind one small interface:
//! `Store` with async `put`, `get` and `delete`, over one of two backends chosen by the settings
//! (`storage = "local" | "s3"`):
//!
//! - **local** (default): a directory (`<data>/uploads`), written atomically on actix's blocking
//!   pool. One app server, or several sharing a mount.
//! - **s3**: a bucket of any S3-compatible store (AWS S3, MinIO, Ceph, …) through `object_store`,
//!   under a key prefix. Several app servers share it without a shared file system.
//!
//! Keys are generated names, never user input; both backends still refuse anything outside
//! `[A-Za-z0-9.-]` (or starting with a dot) as not found, so no key can name a path elsewhere.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use actix_web::web;
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as ObjectPath;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, PutPayload, RetryConfig};

use crate::config::{Settings, StorageKind};
use crate::error::{AppError, AppResult};

/// Where uploads go: cheap to clone (an `Arc` or a path inside), shared by every worker.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

#[derive(Clone)]
enum Backend {
    Local(LocalDir),
    S3 {
        store: Arc<dyn ObjectStore>,
        /// Prefix inside the bucket, already parsed ("" for the bucket's root).
        prefix: ObjectPath,
        bucket: String,
    },
}

impl std::fmt::Debug for Store {
    /// Names the backend and where it writes; never credentials.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A key, or `NotFound` when it could name anything but a plain file: only ASCII letters, digits,
/// `.` and `-`, not empty, not starting with a dot (so no `..`, no `/`, no hidden files).
pub fn check_key(key: &str) -> AppResult<&str> {
    if key.is_empty()
        || key.starts_with('.')
        || !key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(AppError::NotFound);
    }
    Ok(key)
}

impl Store {
    /// The backend the settings choose. For S3 this builds the client (no request is made yet).
    pub fn from_settings(s: &Settings) -> AppResult<Store> {
        match s.storage {
            StorageKind::Local => Store::local(s.uploads_dir()),
            StorageKind::S3 => Store::s3(s),
        }
    }

    /// A local directory, created if missing.
    pub fn local(root: PathBuf) -> AppResult<Store> {
        std::fs::create_dir_all(&root)
            .map_err(|e| AppError::Internal(format!("uploads dir {}: {e}", root.display())))?;
        Ok(Store {
            backend: Backend::Local(LocalDir { root }),
        })
    }

    /// An S3-compatible bucket from the `s3_*` settings.
    pub fn s3(s: &Settings) -> AppResult<Store> {
        if s.s3_bucket.is_empty() {
            return Err(AppError::Internal(
                "storage = \"s3\" needs s3_bucket (GRIDWORK_S3_BUCKET)".into(),
            ));
        }
        // All client options in one place: `with_client_options` replaces what the builder's
        // own setters (`with_allow_http`) had put there.
        let client = ClientOptions::new()
            .with_allow_http(s.s3_allow_http)
            .with_connect_timeout(Duration::from_secs(5))
            .with_timeout(Duration::from_secs(30));
        let mut b = AmazonS3Builder::new()
            .with_bucket_name(&s.s3_bucket)
            .with_region(&s.s3_region)
            .with_client_options(client)
            // A photo request should fail in seconds, not after object_store's default of up to
            // ten retries over three minutes.
            .with_retry(RetryConfig {
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
                ..RetryConfig::default()
            });
        if !s.s3_endpoint.is_empty() {
            b = b.with_endpoint(&s.s3_endpoint);
        }
        if s.s3_access_key_id.is_empty() != s.s3_secret_access_key.is_empty() {
            return Err(AppError::Internal(
                "s3_access_key_id and s3_secret_access_key go together".into(),
            ));
        }
        // Without keys object_store asks the instance's metadata service (an EC2/ECS role).
        if !s.s3_access_key_id.is_empty() {
            b = b
                .with_access_key_id(&s.s3_access_key_id)
                .with_secret_access_key(s.s3_secret_access_key.expose());
        }
        let store = b
            .build()
            .map_err(|e| AppError::Internal(format!("s3 storage: {e}")))?;
        let prefix = ObjectPath::parse(s.s3_prefix.trim_matches('/'))
            .map_err(|e| AppError::Internal(format!("s3_prefix {:?}: {e}", s.s3_prefix)))?;
        Ok(Store {
            backend: Backend::S3 {
                store: Arc::new(store),
                prefix,
                bucket: s.s3_bucket.clone(),
            },
        })
    }

    /// For the start-up log line: the directory, or the bucket and prefix.
    pub fn describe(&self) -> String {
        match &self.backend {
            Backend::Local(d) => format!("local directory {}", d.root.display()),
            Backend::S3 { prefix, bucket, .. } => {
                format!("s3 bucket {bucket}, prefix \"{prefix}\"")
            }
        }
    }

    /// Where `key` lives in the bucket (the prefix, `/`, the key).
    fn object_path(prefix: &ObjectPath, key: &str) -> AppResult<ObjectPath> {
        Ok(prefix.clone().join(check_key(key)?))
    }

    /// Stores `bytes` under `key`, all or nothing: a half-written photo is never served (the
    /// local backend writes a temporary file, fsyncs and renames; an S3 PUT is atomic).
    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> AppResult<()> {
        match &self.backend {
            Backend::Local(d) => {
                let (d, key) = (d.clone(), key.to_string());
                blocking(move || d.put(&key, &bytes)).await
            }
            Backend::S3 { store, prefix, .. } => {
                let path = Self::object_path(prefix, key)?;
                store
                    .put(&path, PutPayload::from(bytes))
                    .await
                    .map_err(|e| AppError::Internal(format!("s3 put {path}: {e}")))?;
                Ok(())
            }
        }
    }

    /// The stored bytes; `NotFound` for a missing or impossible key.
    pub async fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        match &self.backend {
            Backend::Local(d) => {
                let (d, key) = (d.clone(), key.to_string());
                blocking(move || d.get(&key)).await
            }
            Backend::S3 { store, prefix, .. } => {
                let path = Self::object_path(prefix, key)?;
                let s3_err = |e: object_store::Error| match e {
                    object_store::Error::NotFound { .. } => AppError::NotFound,
                    e => AppError::Internal(format!("s3 get {path}: {e}")),
                };
                let got = store.get(&path).await.map_err(s3_err)?;
                Ok(got.bytes().await.map_err(s3_err)?.to_vec())
            }
        }
    }

    /// Removes `key` if present. Best effort, as the record that named it is already gone: a
    /// failure leaves an orphan file and a warning in the log, never an error page.
    pub async fn delete(&self, key: &str) {
        match &self.backend {
            Backend::Local(d) => {
                let (d, key) = (d.clone(), key.to_string());
                let _ = blocking(move || {
                    d.delete(&key);
                    Ok(())
                })
                .await;
            }
            Backend::S3 { store, prefix, .. } => {
                let Ok(path) = Self::object_path(prefix, key) else {
                    return;
                };
                match store.delete(&path).await {
                    Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => tracing::warn!("s3 delete {path}: {e}"),
                }
            }
        }
    }
}

/// Runs blocking file work on actix's blocking pool.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> AppResult<T> + Send + 'static,
) -> AppResult<T> {
    web::block(f)
        .await
        .map_err(|e| AppError::internal("blocking file task", e))?
}

/// The local backend's blocking file operations.
#[derive(Debug, Clone)]
struct LocalDir {
    root: PathBuf,
}

impl LocalDir {
    fn path(&self, key: &str) -> AppResult<PathBuf> {
        Ok(self.root.join(check_key(key)?))
    }

    /// Writes atomically (temp file, fsync, rename).
    fn put(&self, key: &str, bytes: &[u8]) -> AppResult<()> {
        use std::io::Write;
        let path = self.path(key)?;
        let tmp = path.with_extension("tmp");
        let io = |e: std::io::Error| AppError::internal("upload write", e);
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }

    fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        std::fs::read(self.path(key)?).map_err(|_| AppError::NotFound)
    }

    fn delete(&self, key: &str) {
        if let Ok(p) = self.path(key) {
            let _ = std::fs::remove_file(p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_pass_and_anything_path_like_is_not_found() {
        for ok in [
            "person-12-0a1B2c3D4e5F6g7H.jpg",
            "issue-abc-t.jpg",
            "a",
            "x.y.z",
        ] {
            assert_eq!(check_key(ok).ok(), Some(ok), "{ok}");
        }
        for bad in [
            "",
            ".",
            "..",
            "../etc/passwd",
            "..%2fetc",
            ".hidden",
            "a/b",
            "a\\b",
            "/abs.jpg",
            "a b.jpg",
            "a\0b",
            "照片.jpg",
            "a_b.jpg",
            "a:b",
        ] {
            assert!(
                matches!(check_key(bad), Err(AppError::NotFound)),
                "{bad:?} must be refused"
            );
        }
    }

    #[test]
    fn the_bucket_path_is_prefix_slash_key_and_checked() {
        let p = ObjectPath::parse("gridwork/uploads").unwrap();
        assert_eq!(
            Store::object_path(&p, "person-1-x.jpg").unwrap().as_ref(),
            "gridwork/uploads/person-1-x.jpg"
        );
        let root = ObjectPath::parse("").unwrap();
        assert_eq!(
            Store::object_path(&root, "a.jpg").unwrap().as_ref(),
            "a.jpg"
        );
        assert!(Store::object_path(&p, "../x").is_err());
    }

    #[test]
    fn s3_needs_a_bucket_and_hides_the_secret() {
        let mut s = Settings {
            storage: StorageKind::S3,
            ..Settings::default()
        };
        assert!(Store::from_settings(&s).is_err());
        s.s3_bucket = "photos".into();
        s.s3_endpoint = "http://127.0.0.1:9000".into();
        s.s3_allow_http = true;
        s.s3_access_key_id = "AKIDEXAMPLE".into();
        s.s3_secret_access_key = "wJalrXUtnFEMIsecret".parse().unwrap();
        let store = Store::from_settings(&s).unwrap();
        let shown = format!("{store:?} {s:?}");
        assert!(shown.contains("photos"), "{shown}");
        assert!(!shown.contains("wJalrXUtnFEMIsecret"), "{shown}");
    }

    #[actix_web::test]
    async fn the_local_backend_round_trips_and_answers_not_found() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::local(dir.path().join("uploads")).unwrap();
        store.put("a-1.jpg", b"jpeg".to_vec()).await.unwrap();
        assert_eq!(store.get("a-1.jpg").await.unwrap(), b"jpeg");
        assert!(!dir.path().join("uploads/a-1.tmp").exists());
        store.put("a-1.jpg", b"second".to_vec()).await.unwrap();
        assert_eq!(store.get("a-1.jpg").await.unwrap(), b"second");
        store.delete("a-1.jpg").await;
        assert!(matches!(
            store.get("a-1.jpg").await,
            Err(AppError::NotFound)
        ));
        std::fs::write(dir.path().join("secret.txt"), b"x").unwrap();
        assert!(matches!(
            store.get("../secret.txt").await,
            Err(AppError::NotFound)
        ));
        assert!(store.put("../escape.jpg", vec![1]).await.is_err());
        assert!(!dir.path().join("escape.jpg").exists());
        store.delete("../secret.txt").await;
        assert!(dir.path().join("secret.txt").exists());
    }
}
