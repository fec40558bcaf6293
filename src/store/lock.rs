//! One daemon per store: an exclusive lock on a file in `state_dir`.
//!
//! Two `scrapefeed run` processes on one store would fetch everything twice and race on
//! the output files. The lock is an OS file lock, so it vanishes with the process even
//! after a crash or SIGKILL; the file holds the owner's pid for the error message.
//! `check`, `preview` and `status` do not take it.

use std::fs::{File, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::StoreError;

pub const LOCK_FILE: &str = "scrapefeed.lock";

/// Held for as long as the process runs feeds against the store.
#[derive(Debug)]
pub struct StoreLock {
    _file: File,
    pub path: PathBuf,
}

impl StoreLock {
    /// Takes the lock or says who holds it.
    pub fn acquire(state_dir: &Path) -> Result<StoreLock, StoreError> {
        std::fs::create_dir_all(state_dir).map_err(|source| StoreError::LockIo {
            path: state_dir.to_path_buf(),
            source,
        })?;
        let path = state_dir.join(LOCK_FILE);
        let io = |source| StoreError::LockIo {
            path: path.clone(),
            source,
        };
        let mut file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut owner = String::new();
                let _ = file.read_to_string(&mut owner);
                let owner = owner.trim();
                let who = if owner.is_empty() {
                    "another process".to_owned()
                } else {
                    format!("process {owner}")
                };
                return Err(StoreError::Locked(format!(
                    "another scrapefeed is already running on this store: {} is locked by {who}; stop it first (check, preview and status still work beside it)",
                    path.display()
                )));
            }
            Err(TryLockError::Error(e)) => return Err(io(e)),
        }
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        writeln!(file, "{}", std::process::id()).map_err(io)?;
        file.flush().map_err(io)?;
        Ok(StoreLock { _file: file, path })
    }
}
