//! Uploaded files (photos of grid responsible people) behind one small interface, so the local
//! directory can be swapped for an object store when several app servers run. Keys are generated
//! names, never user input, so no path can escape the directory.

use std::path::PathBuf;

use crate::error::{AppError, AppResult};

#[derive(Debug, Clone)]
pub struct LocalStore {
    root: PathBuf,
}

impl LocalStore {
    pub fn new(root: PathBuf) -> AppResult<LocalStore> {
        std::fs::create_dir_all(&root)
            .map_err(|e| AppError::Internal(format!("uploads dir {}: {e}", root.display())))?;
        Ok(LocalStore { root })
    }

    fn path(&self, key: &str) -> AppResult<PathBuf> {
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
            || key.starts_with('.')
        {
            return Err(AppError::NotFound);
        }
        Ok(self.root.join(key))
    }

    /// Writes atomically (temp file, fsync, rename): a half-written photo is never served.
    pub fn put(&self, key: &str, bytes: &[u8]) -> AppResult<()> {
        use std::io::Write;
        let path = self.path(key)?;
        let tmp = path.with_extension("tmp");
        let io = |e: std::io::Error| AppError::Internal(format!("upload write: {e}"));
        let mut f = std::fs::File::create(&tmp).map_err(io)?;
        f.write_all(bytes).map_err(io)?;
        f.sync_all().map_err(io)?;
        std::fs::rename(&tmp, &path).map_err(io)?;
        Ok(())
    }

    pub fn get(&self, key: &str) -> AppResult<Vec<u8>> {
        std::fs::read(self.path(key)?).map_err(|_| AppError::NotFound)
    }

    pub fn delete(&self, key: &str) {
        if let Ok(p) = self.path(key) {
            let _ = std::fs::remove_file(p);
        }
    }
}
