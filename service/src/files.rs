//! The file store: uploaded bytes kept under the data folder by their SHA-256
//! (`ab/cd/abcd…`), written once (to a temporary name, then renamed, so a reader never sees
//! half a file) and shared by every draft and document that holds the same content.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::{Result, ServiceError};

#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// A SHA-256 in lower-case hex, as the store names files.
pub fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> FileStore {
        FileStore { root: root.into() }
    }

    /// Where the content with hash `sha` is (or would be); `None` for a malformed hash.
    pub fn path_of(&self, sha: &str) -> Option<PathBuf> {
        is_hash(sha).then(|| self.root.join(&sha[..2]).join(&sha[2..4]).join(sha))
    }

    /// Stores `bytes` and returns their hash; content already there is not written again.
    pub async fn put(&self, bytes: &[u8]) -> Result<String> {
        let sha: String = Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = self
            .path_of(&sha)
            .ok_or_else(|| ServiceError::Internal("hash".to_owned()))?;
        if tokio::fs::try_exists(&path).await? {
            return Ok(sha);
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        tokio::fs::create_dir_all(dir).await?;
        let tmp = dir.join(format!(".{sha}.{}", crate::lookup::new_id("tmp")));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, &path).await?;
        Ok(sha)
    }

    /// The stored content with hash `sha`.
    pub async fn read(&self, sha: &str) -> Result<Vec<u8>> {
        let path = self
            .path_of(sha)
            .ok_or_else(|| ServiceError::NotFound("该文件".to_owned()))?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Err(ServiceError::NotFound("该文件".to_owned()))
            }
            Err(e) => Err(e.into()),
        }
    }
}
