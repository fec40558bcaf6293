//! What each refresh leaves in its feed's record: success, failure, or "not modified".
//!
//! The order matters for trust. A merge (see `merge`) stores the page's items and the
//! digest of what the feed now shows; only `record_published`, called once the files
//! show that digest, stores the HTTP validators and marks the refresh a success. So a
//! write that failed or never happened (disk full, a crash) can never be hidden by the
//! server's later 304s: the validators still describe the content the files show.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::{Store, StoreError};
use crate::validators::Validators;

/// What a feed's files show above their entries, as they were last written.
#[derive(Debug, Clone, Copy)]
pub struct Masthead<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub language: Option<&'a str>,
}

impl Store {
    /// Records that the feed's files now show the content with `digest`, under
    /// `masthead`, fetched with `validators`: the refresh succeeded.
    pub fn record_published(
        &self,
        slug: &str,
        digest: &str,
        masthead: &Masthead,
        validators: &Validators,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.execute(
            "UPDATE feeds SET published = ?2, etag = ?3, last_modified = ?4, last_attempt = ?5,
                 last_success = ?5, failures = 0, failing_since = NULL, short_runs = 0, title = ?6,
                 description = ?7, language = ?8, stale_reported = NULL
             WHERE slug = ?1",
            params![
                slug,
                digest,
                validators.etag,
                validators.last_modified,
                at.timestamp(),
                masthead.title,
                masthead.description,
                masthead.language,
            ],
        )
    }

    /// Records that a stale feed's files were written with its error item: they show
    /// `digest`, which no merge produces, so the next success writes them again.
    pub fn record_error_item(&self, slug: &str, digest: &str) -> Result<(), StoreError> {
        self.execute(
            "UPDATE feeds SET published = ?2 WHERE slug = ?1",
            params![slug, digest],
        )
    }

    /// Records a failed refresh: the feed's items and files stay as they were.
    pub fn record_failure(
        &self,
        slug: &str,
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.failed(slug, error, at, 0)
    }

    /// Records a refresh refused because its page had far fewer cards than usual: a
    /// failure that also counts towards accepting the smaller page (`short_runs`).
    pub fn record_short_page(
        &self,
        slug: &str,
        error: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.failed(slug, error, at, 1)
    }

    fn failed(
        &self,
        slug: &str,
        error: &str,
        at: DateTime<Utc>,
        short: i64,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO feeds (slug, last_attempt, last_error, last_error_at, failures,
                                failing_since, short_runs)
             VALUES (?1, ?2, ?3, ?2, 1, ?2, ?4)
             ON CONFLICT (slug) DO UPDATE SET last_attempt = ?2, last_error = ?3,
                 last_error_at = ?2, failures = failures + 1,
                 failing_since = COALESCE(failing_since, ?2), short_runs = short_runs + ?4",
            params![slug, at.timestamp(), error, short],
        )
    }

    /// Records a 304: the page is the one the files already show, so the refresh
    /// succeeded with nothing to do (and a run of short pages is over).
    pub fn record_not_modified(&self, slug: &str, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.execute(
            "UPDATE feeds SET last_attempt = ?2, last_success = ?2, failures = 0,
                 failing_since = NULL, short_runs = 0, stale_reported = NULL
             WHERE slug = ?1",
            params![slug, at.timestamp()],
        )
    }

    /// Notes that the feed's current failure streak went stale; true the first time
    /// only, so the news is told once per streak (a success clears it).
    pub fn report_stale(&self, slug: &str, at: DateTime<Utc>) -> Result<bool, StoreError> {
        self.changed(
            "UPDATE feeds SET stale_reported = ?2 WHERE slug = ?1 AND stale_reported IS NULL",
            params![slug, at.timestamp()],
        )
        .map(|changed| changed > 0)
    }

    /// Drops what a configuration change made stale: the HTTP validators when the
    /// feed's fingerprint changed (its files must be made again from a full page), and
    /// the remembered detection when its URL changed (it was chosen on another page).
    /// Returns whether anything was dropped.
    pub fn forget_config_state(
        &self,
        slug: &str,
        fingerprint: &str,
        url: &str,
    ) -> Result<bool, StoreError> {
        let validators = self.changed(
            "UPDATE feeds SET etag = NULL, last_modified = NULL, fingerprint = ?2
             WHERE slug = ?1 AND fingerprint != ?2",
            params![slug, fingerprint],
        )?;
        let detection = self.changed(
            "UPDATE feeds SET detected = NULL, url = ?2 WHERE slug = ?1 AND url != ?2",
            params![slug, url],
        )?;
        Ok(validators + detection > 0)
    }

    fn execute(&self, sql: &str, params: impl rusqlite::Params) -> Result<(), StoreError> {
        self.changed(sql, params).map(drop)
    }

    /// Runs one statement (kept prepared: every refresh runs these) and returns how
    /// many rows it changed.
    fn changed(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize, StoreError> {
        self.conn()
            .prepare_cached(sql)
            .and_then(|mut statement| statement.execute(params))
            .map_err(|e| self.sql_error(e))
    }
}
