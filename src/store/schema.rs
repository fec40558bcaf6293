//! The store's schema and its migrations.
//!
//! `PRAGMA user_version` holds the schema version. Each migration moves the store one
//! version up inside the opening transaction, so a store is never left half-migrated;
//! a store from a newer scrapefeed is refused rather than damaged.

use rusqlite::{Connection, Transaction};

/// The schema version this build writes.
pub const VERSION: i64 = 8;

/// Version 1: feeds (HTTP validators, health) and items (stable ids and dates).
const V1: &str = "
CREATE TABLE feeds (
    slug          TEXT PRIMARY KEY,
    fingerprint   TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    etag          TEXT,
    last_modified TEXT,
    last_attempt  INTEGER,
    last_success  INTEGER,
    last_error    TEXT,
    last_error_at INTEGER,
    failures      INTEGER NOT NULL DEFAULT 0,
    cards         INTEGER,
    last_change   INTEGER,
    digest        TEXT
);
CREATE TABLE items (
    feed         TEXT NOT NULL,
    id           TEXT NOT NULL,
    title        TEXT NOT NULL,
    link         TEXT NOT NULL,
    summary      TEXT,
    summary_html INTEGER NOT NULL DEFAULT 0,
    author       TEXT,
    image        TEXT,
    published    INTEGER NOT NULL,
    updated      INTEGER NOT NULL,
    first_seen   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    page_order   INTEGER NOT NULL,
    PRIMARY KEY (feed, id)
);
CREATE INDEX items_newest ON items (feed, published DESC, first_seen DESC, page_order);
";

/// Version 2: a feed remembers which cards automatic detection chose, so the choice
/// does not churn between runs, and the digest of the content its files were last
/// written with, so unchanged feeds are not rendered again.
const V2: &str = "
ALTER TABLE feeds ADD COLUMN detected TEXT;
ALTER TABLE feeds ADD COLUMN published TEXT;
";

/// Version 3: when the feed's current run of failures began (NULL while it succeeds),
/// so health can say "failing since …" and tell a fresh failure from a stale feed.
const V3: &str = "
ALTER TABLE feeds ADD COLUMN failing_since INTEGER;
UPDATE feeds SET failing_since = last_error_at WHERE failures > 0;
";

/// Version 4: how many refreshes in a row saw far fewer cards than usual, counted
/// apart from other failures (an outage must not make a broken page acceptable).
const V4: &str = "
ALTER TABLE feeds ADD COLUMN short_runs INTEGER NOT NULL DEFAULT 0;
";

/// Version 5: the title the feed's files were last written with (the configured
/// title or the page's own), so the index page and the OPML list can name every feed
/// without fetching anything.
const V5: &str = "
ALTER TABLE feeds ADD COLUMN title TEXT;
";

/// Version 6: each feed's last request (duration, HTTP status) and totals over all
/// refreshes (refreshes, failures, bytes fetched, pages parsed), for `/metrics`.
const V6: &str = "
ALTER TABLE feeds ADD COLUMN fetch_ms INTEGER;
ALTER TABLE feeds ADD COLUMN http_status INTEGER;
CREATE TABLE totals (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
";

/// Version 7: robots.txt copies per origin (so `run --once` from cron does not fetch
/// them every run), and when a feed's current failure streak was reported stale (so
/// it is reported once, not every run).
const V7: &str = "
CREATE TABLE robots (
    origin        TEXT PRIMARY KEY,
    fetched_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    status        INTEGER NOT NULL,
    error         TEXT,
    etag          TEXT,
    last_modified TEXT,
    body          TEXT
);
ALTER TABLE feeds ADD COLUMN stale_reported INTEGER;
";

/// Version 8: the rest of what the feed's files were last written with besides the
/// title (description, language), so a stale feed's files can be written again with
/// its error item (`error_items`) without a page to read them from.
const V8: &str = "
ALTER TABLE feeds ADD COLUMN description TEXT;
ALTER TABLE feeds ADD COLUMN language TEXT;
";

const MIGRATIONS: [&str; 8] = [V1, V2, V3, V4, V5, V6, V7, V8];

/// Brings the schema up to `VERSION`.
pub fn migrate(conn: &mut Connection) -> Result<i64, String> {
    let tx = conn.transaction().map_err(|e| e.to_string())?;
    let found: i64 = tx
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .map_err(|e| e.to_string())?;
    if found > VERSION {
        return Err(format!(
            "the store has schema version {found}, newer than this scrapefeed understands ({VERSION}); upgrade scrapefeed"
        ));
    }
    for (index, step) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        apply(&tx, step, index as i64 + 1)?;
    }
    tx.commit().map_err(|e| e.to_string())?;
    Ok(found)
}

fn apply(tx: &Transaction, sql: &str, version: i64) -> Result<(), String> {
    tx.execute_batch(sql)
        .map_err(|e| format!("migrating to schema version {version}: {e}"))?;
    tx.pragma_update(None, "user_version", version)
        .map_err(|e| e.to_string())
}

/// Creates a store at exactly schema version 1 (for compatibility tests and fixtures).
pub fn create_v1(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch(V1)?;
    tx.pragma_update(None, "user_version", 1)?;
    tx.commit()
}
