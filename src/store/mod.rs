//! The item history: what every feed has seen, in SQLite.
//!
//! Pages forget; the store remembers. It gives each item a published date that never
//! moves once stored, keeps items after they scroll off the page until `keep` expires,
//! holds the HTTP validators for conditional requests and each feed's health for
//! `status`. Every refresh's update is one transaction, so a crash leaves the store as
//! it was before or after the refresh, never between.

mod lock;
mod merge;
pub mod schema;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

pub use lock::{LOCK_FILE, StoreLock};
pub use merge::{Merge, MergeOutcome};

use crate::fetch::Validators;

/// The store's file inside `state_dir`.
pub const STORE_FILE: &str = "scrapefeed.sqlite";

/// Why the store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {message}")]
    Open { path: PathBuf, message: String },
    #[error("store {path}: {source}")]
    Sql {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("{0}")]
    Locked(String),
    #[error("lock file {path}: {source}")]
    LockIo {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A handle to the store, cheap to clone and shared by all refreshes.
#[derive(Clone)]
pub struct Store {
    path: PathBuf,
    conn: Arc<Mutex<Connection>>,
}

/// What the store knows about one feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedRecord {
    pub fingerprint: String,
    pub url: String,
    pub validators: Validators,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub failures: u32,
    /// When the current run of failures began (`None` while the feed succeeds).
    pub failing_since: Option<DateTime<Utc>>,
    pub cards: Option<usize>,
    pub last_change: Option<DateTime<Utc>>,
    pub digest: Option<String>,
    pub detected: Option<String>,
    /// The digest of the content the feed's files were last written with.
    pub published: Option<String>,
    pub items: usize,
}

pub(crate) fn time(seconds: Option<i64>) -> Option<DateTime<Utc>> {
    seconds.and_then(|s| DateTime::from_timestamp(s, 0))
}

impl Store {
    /// Opens (creating and migrating as needed) the store in `state_dir`.
    pub fn open(state_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(state_dir).map_err(|e| StoreError::Open {
            path: state_dir.to_path_buf(),
            message: format!("cannot create the state directory: {e}"),
        })?;
        Store::open_file(&state_dir.join(STORE_FILE))
    }

    /// Opens a store file directly.
    pub fn open_file(path: &Path) -> Result<Store, StoreError> {
        let sql = |source| StoreError::Sql {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sql)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(sql)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(sql)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(sql)?;
        schema::migrate(&mut conn).map_err(|message| StoreError::Open {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(Store {
            path: path.to_path_buf(),
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent (transactions
        // roll back on drop), so a poisoned lock is safe to reuse.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn sql_error(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sql {
            path: self.path.clone(),
            source,
        }
    }

    /// The schema version of the open store.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn()
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sql_error(e))
    }

    /// What the store knows about `slug` (defaults when it has never run).
    pub fn feed(&self, slug: &str) -> Result<FeedRecord, StoreError> {
        let conn = self.conn();
        let record = conn
            .query_row(
                "SELECT fingerprint, url, etag, last_modified, last_attempt, last_success, last_error,
                        last_error_at, failures, cards, last_change, digest, detected, published,
                        failing_since, (SELECT COUNT(*) FROM items WHERE items.feed = feeds.slug)
                 FROM feeds WHERE slug = ?1",
                [slug],
                |row| {
                    Ok(FeedRecord {
                        fingerprint: row.get(0)?,
                        url: row.get(1)?,
                        validators: Validators { etag: row.get(2)?, last_modified: row.get(3)? },
                        last_attempt: time(row.get(4)?),
                        last_success: time(row.get(5)?),
                        last_error: row.get(6)?,
                        last_error_at: time(row.get(7)?),
                        failures: row.get(8)?,
                        cards: row.get::<_, Option<i64>>(9)?.map(|c| c as usize),
                        last_change: time(row.get(10)?),
                        digest: row.get(11)?,
                        detected: row.get(12)?,
                        published: row.get(13)?,
                        failing_since: time(row.get(14)?),
                        items: row.get::<_, i64>(15)? as usize,
                    })
                },
            )
            .optional()
            .map_err(|e| self.sql_error(e))?;
        Ok(record.unwrap_or_default())
    }

    /// Every feed the store has a record of, by slug.
    pub fn feeds(&self) -> Result<Vec<(String, FeedRecord)>, StoreError> {
        let slugs: Vec<String> = {
            let conn = self.conn();
            let mut stmt = conn
                .prepare("SELECT slug FROM feeds ORDER BY slug")
                .map_err(|e| self.sql_error(e))?;
            let rows = stmt
                .query_map([], |r| r.get(0))
                .map_err(|e| self.sql_error(e))?;
            rows.collect::<Result<_, _>>()
                .map_err(|e| self.sql_error(e))?
        };
        slugs
            .into_iter()
            .map(|slug| self.feed(&slug).map(|r| (slug, r)))
            .collect()
    }

    /// Records a failed refresh: the feed's items and files stay as they were.
    pub fn record_failure(
        &self,
        slug: &str,
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "INSERT INTO feeds (slug, last_attempt, last_error, last_error_at, failures, failing_since)
                 VALUES (?1, ?2, ?3, ?2, 1, ?2)
                 ON CONFLICT (slug) DO UPDATE SET last_attempt = ?2, last_error = ?3,
                     last_error_at = ?2, failures = failures + 1,
                     failing_since = COALESCE(failing_since, ?2)",
                params![slug, at.timestamp(), error],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }

    /// Records a 304: the page did not change, so the refresh succeeded with no work.
    pub fn record_not_modified(&self, slug: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE feeds SET last_attempt = ?2, last_success = ?2, failures = 0, failing_since = NULL
                 WHERE slug = ?1",
                params![slug, at.timestamp()],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }

    /// Records that the feed's files now show the content with this digest.
    pub fn mark_published(&self, slug: &str, digest: &str) -> Result<(), StoreError> {
        self.conn()
            .execute(
                "UPDATE feeds SET published = ?2 WHERE slug = ?1",
                params![slug, digest],
            )
            .map(drop)
            .map_err(|e| self.sql_error(e))
    }

    /// Drops the HTTP validators and remembered detection of a feed whose configuration
    /// changed, so the next fetch is a full one.
    pub fn forget_config_state(
        &self,
        slug: &str,
        fingerprint: &str,
        url: &str,
    ) -> Result<bool, StoreError> {
        let changed = self
            .conn()
            .execute(
                "UPDATE feeds SET etag = NULL, last_modified = NULL, detected = NULL, fingerprint = ?2, url = ?3
                 WHERE slug = ?1 AND (fingerprint != ?2 OR url != ?3)",
                params![slug, fingerprint, url],
            )
            .map_err(|e| self.sql_error(e))?;
        Ok(changed > 0)
    }
}
