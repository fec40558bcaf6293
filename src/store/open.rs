//! Opening the store: for writing (the runner, which creates, migrates and compacts it)
//! or for reading (`status`, `preview`), which must never create or change a file.
//!
//! The store is in WAL mode: refreshes commit without waiting for readers, and a commit
//! costs one write instead of two synced ones. WAL has one trap for readers: a read-only
//! connection creates the `-wal` and `-shm` files when they are missing, and cannot
//! remove them again. So a reader first takes a *shared* lock on the state directory
//! (see `lock`). If it gets it, no runner is there and none can start while it reads
//! (a runner needs the exclusive lock): without a `-wal` file the database file is
//! complete and unchanging, and it is opened `immutable`, which creates nothing. If a
//! runner holds the lock, the runner has the WAL files open, and a plain read-only
//! connection uses them as they are.

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use super::lock::Holder;
use super::{STORE_FILE, Store, StoreError, schema};

/// A commit waits this long for another connection's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// After a checkpoint the WAL file is cut back to this size, so one large refresh does
/// not leave a large file behind for good.
const WAL_LIMIT: i64 = 4 << 20;
/// Prepared statements kept per connection: more than the store has.
const STATEMENT_CACHE: usize = 64;

/// A store opened for reading, and who (if anyone) is running feeds on it.
pub struct ReadOnly {
    pub store: Store,
    /// The runner holding the store's lock, if one does.
    pub runner: Option<Holder>,
}

impl Store {
    /// Opens the store in `state_dir` for writing: creates the directory and the
    /// database as needed, migrates it, and keeps it compact. Only a process holding
    /// the store's lock should call this.
    pub fn open(state_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(state_dir).map_err(|e| StoreError::Open {
            path: state_dir.to_path_buf(),
            message: format!("cannot create the state directory: {e}"),
        })?;
        Store::open_file(&state_dir.join(STORE_FILE))
    }

    /// Opens a store file for writing (see [`Store::open`]).
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sql {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        // Every statement a refresh runs stays prepared (rusqlite keeps 16 by default,
        // fewer than a refresh uses, so they would be parsed again each time).
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Free pages go back to the file system (see `Store::compact`). On a new,
        // empty database this takes effect at once; an older store is converted below.
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        conn.pragma_update(None, "journal_size_limit", WAL_LIMIT)
            .map_err(sql)?;
        schema::migrate(&mut conn).map_err(|message| StoreError::Open {
            path: path.to_path_buf(),
            message,
        })?;
        let auto_vacuum: i64 = conn
            .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
            .map_err(sql)?;
        if auto_vacuum != 2 {
            // A store made before incremental vacuum: one full VACUUM converts it.
            tracing::info!("compacting the store {} (once)", path.display());
            conn.execute_batch("VACUUM").map_err(sql)?;
        }
        Ok(Store::from_connection(path, conn, None))
    }

    /// Opens the store in `state_dir` for reading, creating nothing; a missing store is
    /// [`StoreError::Missing`], a store of another schema version is refused.
    pub fn open_read_only(state_dir: &Path) -> Result<ReadOnly, StoreError> {
        let path = state_dir.join(STORE_FILE);
        if !path.is_file() {
            return Err(StoreError::Missing { path });
        }
        let dir = File::open(state_dir).map_err(|e| StoreError::Open {
            path: state_dir.to_path_buf(),
            message: e.to_string(),
        })?;
        let (runner, guard) = match dir.try_lock_shared() {
            Ok(()) => (None, Some(Arc::new(dir))),
            Err(TryLockError::WouldBlock) => (Some(Holder::read_in(state_dir)), None),
            Err(TryLockError::Error(e)) => {
                return Err(StoreError::Open {
                    path: state_dir.to_path_buf(),
                    message: format!("cannot lock the state directory: {e}"),
                });
            }
        };
        let wal = sibling(&path, "-wal");
        let immutable = runner.is_none() && !wal.exists();
        let sql = |source| StoreError::Sql {
            path: path.clone(),
            source,
        };
        let conn = Connection::open_with_flags(
            uri(&path, immutable)?,
            OpenFlags::SQLITE_OPEN_READ_ONLY
                | OpenFlags::SQLITE_OPEN_URI
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        let found: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(sql)?;
        if found != schema::VERSION {
            return Err(StoreError::Open {
                path,
                message: if found < schema::VERSION {
                    format!(
                        "schema version {found}, older than this scrapefeed's ({}); the next `scrapefeed run` upgrades it (restart the service after upgrading scrapefeed)",
                        schema::VERSION
                    )
                } else {
                    format!(
                        "schema version {found}, newer than this scrapefeed understands ({}); upgrade scrapefeed",
                        schema::VERSION
                    )
                },
            });
        }
        Ok(ReadOnly {
            store: Store::from_connection(&path, conn, guard),
            runner,
        })
    }

    fn from_connection(path: &Path, conn: Connection, reader_lock: Option<Arc<File>>) -> Store {
        Store {
            path: path.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
            _reader_lock: reader_lock,
        }
    }
}

/// `path` with `suffix` appended to its file name (`scrapefeed.sqlite-wal`).
pub(super) fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// A `file:` URI for SQLite, percent-encoded, read-only (and `immutable` when nothing
/// can change the file while it is open).
fn uri(path: &Path, immutable: bool) -> Result<String, StoreError> {
    let absolute = std::path::absolute(path).map_err(|e| StoreError::Open {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let url = url::Url::from_file_path(&absolute).map_err(|()| StoreError::Open {
        path: path.to_path_buf(),
        message: "cannot make a file URI of this path".into(),
    })?;
    Ok(format!(
        "{url}?mode=ro{}",
        if immutable { "&immutable=1" } else { "" }
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn reading_creates_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("state");
        assert!(matches!(
            Store::open_read_only(&state),
            Err(StoreError::Missing { .. })
        ));
        assert!(!state.exists(), "a missing store is not created");

        drop(Store::open(&state).unwrap());
        let before = files(&state);
        assert_eq!(before, [STORE_FILE], "a closed store is one file");
        let read = Store::open_read_only(&state).unwrap();
        assert!(read.runner.is_none());
        assert_eq!(read.store.feed("harbour").unwrap().items, 0);
        drop(read);
        assert_eq!(files(&state), before, "no -wal or -shm file is left behind");
    }

    #[test]
    fn a_reader_beside_a_runner_sees_its_commits() {
        let dir = tempfile::tempdir().unwrap();
        let _lock =
            super::super::StoreLock::acquire(dir.path(), super::super::Mode::Daemon).unwrap();
        let writer = Store::open(dir.path()).unwrap();
        writer
            .record_failure("harbour", "HTTP 500", chrono::Utc::now())
            .unwrap();
        let read = Store::open_read_only(dir.path()).unwrap();
        assert_eq!(
            read.runner.as_ref().and_then(|r| r.mode),
            Some(super::super::Mode::Daemon)
        );
        assert_eq!(read.store.feed("harbour").unwrap().failures, 1);
    }

    #[test]
    fn an_old_store_is_converted_to_incremental_vacuum() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(STORE_FILE);
        let mut conn = Connection::open(&path).unwrap();
        schema::create_v1(&mut conn).unwrap();
        drop(conn);
        let store = Store::open_file(&path).unwrap();
        let mode: i64 = store
            .conn()
            .query_row("PRAGMA auto_vacuum", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, 2, "incremental");
    }
}
