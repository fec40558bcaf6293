//! The item history: what every feed has seen, in SQLite.
//!
//! Pages forget; the store remembers. It gives each item a published date that never
//! moves once stored, keeps items after they scroll off the page until `keep` expires,
//! holds the HTTP validators for conditional requests and each feed's health for
//! `status`. Every refresh's update is one transaction, so a crash leaves the store as
//! it was before or after the refresh, never between.

mod fetches;
mod lock;
mod merge;
mod open;
mod record;
mod removed;
mod robots;
pub mod schema;

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension};

pub use fetches::{Fetch, LastFetch, Totals};
pub use lock::{Holder, LOCK_FILE, Mode, StoreLock};
pub use merge::{Merge, MergeOutcome};
pub use open::ReadOnly;
pub use record::Masthead;

use crate::validators::Validators;

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
    #[error(
        "no store at {path}: no feed has run with this configuration yet (`scrapefeed run` creates it), or `state_dir` points elsewhere"
    )]
    Missing { path: PathBuf },
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
    /// A reader's shared lock on the state directory, held while the store is open.
    _reader_lock: Option<Arc<File>>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
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
    /// Refreshes in a row whose page had far fewer cards than usual (and was refused).
    pub short_runs: u32,
    pub cards: Option<usize>,
    pub last_change: Option<DateTime<Utc>>,
    pub digest: Option<String>,
    pub detected: Option<String>,
    /// The digest of the content the feed's files were last written with.
    pub published: Option<String>,
    /// The title, description and language the feed's files were last written with.
    pub title: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    /// When the current failure streak was first found stale (`None` until it is).
    pub stale_since: Option<DateTime<Utc>>,
    pub items: usize,
}

pub(crate) fn time(seconds: Option<i64>) -> Option<DateTime<Utc>> {
    seconds.and_then(|s| DateTime::from_timestamp(s, 0))
}

impl Store {
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
            .prepare_cached(
                "SELECT fingerprint, url, etag, last_modified, last_attempt, last_success, last_error,
                        last_error_at, failures, cards, last_change, digest, detected, published,
                        failing_since, short_runs, title, description, language, stale_reported,
                        (SELECT COUNT(*) FROM items WHERE items.feed = feeds.slug)
                 FROM feeds WHERE slug = ?1",
            )
            .and_then(|mut statement| {
                statement.query_row([slug], |row| {
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
                        short_runs: row.get(15)?,
                        title: row.get(16)?,
                        description: row.get(17)?,
                        language: row.get(18)?,
                        stale_since: time(row.get(19)?),
                        items: row.get::<_, i64>(20)? as usize,
                    })
                })
            })
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

    /// Items stored for all feeds together.
    pub fn item_count(&self) -> Result<usize, StoreError> {
        self.conn()
            .query_row("SELECT COUNT(*) FROM items", [], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
            .map_err(|e| self.sql_error(e))
    }

    /// The store's size on disk: the database and its write-ahead log.
    pub fn size(&self) -> u64 {
        [self.path.clone(), open::sibling(&self.path, "-wal")]
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .map(|m| m.len())
            .sum()
    }
}
