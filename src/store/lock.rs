//! One runner per store: an exclusive lock on the state directory itself.
//!
//! Two `scrapefeed run` processes on one store would fetch everything twice and race on
//! the output files. The lock is an OS file lock (`flock`), so it vanishes with the
//! process even after a crash or SIGKILL. It is taken on the *directory* that holds the
//! store, not on a file beside it: a lock file can be deleted while it is held (people
//! clean up "stale" lock files), and the next process would then lock a new file of the
//! same name and run beside the first; a directory that holds the store cannot be
//! removed from under it. `scrapefeed.lock` still records who holds the lock (pid and
//! mode) for messages and for `status`, but nothing depends on it.
//!
//! `check`, `preview` and `status` never take the lock; `status` only asks whether a
//! daemon holds it (`Holder::of`), which creates nothing.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreError;

/// The file inside `state_dir` naming the process that holds the lock.
pub const LOCK_FILE: &str = "scrapefeed.lock";

/// `status` holds a shared lock for an instant to ask whether a runner is there; a
/// runner starting in that instant waits this long before calling the store taken.
const PROBE_WAIT: Duration = Duration::from_secs(1);

/// What the process holding the lock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `scrapefeed run`: feeds on their schedules.
    Daemon,
    /// `scrapefeed run --once`.
    Once,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Daemon => "daemon",
            Mode::Once => "once",
        }
    }
}

/// Held for as long as the process runs feeds against the store.
#[derive(Debug)]
pub struct StoreLock {
    _dir: File,
    pub path: PathBuf,
}

/// Who holds a store's lock, as `scrapefeed.lock` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: Option<u32>,
    pub mode: Option<Mode>,
}

impl StoreLock {
    /// Takes the lock (creating `state_dir` if needed) or says who holds it.
    pub fn acquire(state_dir: &Path, mode: Mode) -> Result<StoreLock, StoreError> {
        std::fs::create_dir_all(state_dir).map_err(|e| StoreError::Open {
            path: state_dir.to_path_buf(),
            message: format!(
                "cannot create the state directory: {e} (set `state_dir` in feeds.yaml to a folder this user may write; relative paths are relative to feeds.yaml's folder)"
            ),
        })?;
        let dir_io = |source| StoreError::LockIo {
            path: state_dir.to_path_buf(),
            source,
        };
        let dir = File::open(state_dir).map_err(dir_io)?;
        let path = state_dir.join(LOCK_FILE);
        let started = Instant::now();
        loop {
            match dir.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < PROBE_WAIT => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(TryLockError::WouldBlock) => {
                    let who = match Holder::read_in(state_dir).pid {
                        Some(pid) => format!("process {pid}"),
                        None => "another process".to_owned(),
                    };
                    return Err(StoreError::Locked(format!(
                        "another scrapefeed is already running on this store: {} is locked by {who} (see {}); stop it first (check, preview and status still work beside it)",
                        state_dir.display(),
                        path.display()
                    )));
                }
                Err(TryLockError::Error(e)) => return Err(dir_io(e)),
            }
        }
        // A short record in one write: a reader sees it whole, or (for an instant) empty.
        let record = format!("{} {}\n", std::process::id(), mode.word());
        std::fs::write(&path, record).map_err(|source| StoreError::LockIo {
            path: path.clone(),
            source,
        })?;
        Ok(StoreLock { _dir: dir, path })
    }
}

impl Holder {
    /// The process holding the lock on `state_dir`, if any; creates nothing.
    pub fn of(state_dir: &Path) -> Option<Holder> {
        let dir = File::open(state_dir).ok()?;
        match dir.try_lock_shared() {
            // Nobody holds it; the shared lock is released when `dir` closes.
            Ok(()) => None,
            Err(TryLockError::WouldBlock) => Some(Holder::read_in(state_dir)),
            Err(TryLockError::Error(_)) => None,
        }
    }

    /// What `scrapefeed.lock` in `state_dir` says (nothing, if it was deleted).
    pub(super) fn read_in(state_dir: &Path) -> Holder {
        let text = std::fs::read_to_string(state_dir.join(LOCK_FILE)).unwrap_or_default();
        let mut words = text.split_whitespace();
        let pid = words.next().and_then(|w| w.parse().ok());
        let mode = match words.next() {
            Some("daemon") => Some(Mode::Daemon),
            Some("once") => Some(Mode::Once),
            _ => None,
        };
        Holder { pid, mode }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deleting_the_lock_file_does_not_let_a_second_runner_in() {
        let dir = tempfile::tempdir().unwrap();
        let first = StoreLock::acquire(dir.path(), Mode::Daemon).unwrap();
        std::fs::remove_file(&first.path).unwrap();
        let second = StoreLock::acquire(dir.path(), Mode::Once);
        assert!(matches!(second, Err(StoreError::Locked(_))), "{second:?}");
        drop(first);
        StoreLock::acquire(dir.path(), Mode::Once).expect("free once the first is gone");
    }

    #[test]
    fn the_holder_is_known_without_creating_anything() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        assert_eq!(Holder::of(&state), None);
        assert!(!state.exists(), "asking creates nothing");
        let lock = StoreLock::acquire(&state, Mode::Daemon).unwrap();
        assert_eq!(
            Holder::of(&state),
            Some(Holder {
                pid: Some(std::process::id()),
                mode: Some(Mode::Daemon)
            })
        );
        drop(lock);
        assert_eq!(Holder::of(&state), None);
    }
}
