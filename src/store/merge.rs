//! Merging a page's items into a feed's history, in one transaction.
//!
//! The rules that make page feeds trustworthy live here: an item is keyed by its id;
//! its published date is set once (the page's date, or when it was first seen) and never
//! moves; a change of title, summary, author or image moves only its `updated` time;
//! items that left the page stay until `keep` expires after they were last seen, and
//! a feed never holds more than `max_history` items (those seen longest ago go first).

use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use url::Url;

use super::{Store, StoreError, time};
use crate::digest::Digest;
use crate::item::{Entry, Item, Summary};

/// One successful refresh's page, to merge.
pub struct Merge<'a> {
    pub slug: &'a str,
    pub items: &'a [Item],
    pub now: DateTime<Utc>,
    pub keep: Duration,
    pub max_items: usize,
    /// The most items the feed keeps; a page with more contributes its first ones.
    pub max_history: usize,
    pub fingerprint: &'a str,
    pub url: &'a str,
    pub cards: usize,
    /// The feed's own metadata (title, description, links) as published; a change of it
    /// is a change of the feed.
    pub meta: &'a str,
    /// The detection to remember, when the cards were found automatically.
    pub detected: Option<&'a str>,
}

/// What a merge changed, and the entries to publish.
#[derive(Debug, Clone)]
pub struct MergeOutcome {
    pub new: usize,
    pub updated: usize,
    /// Items dropped: `keep` expired, or beyond `max_history`.
    pub pruned: usize,
    /// Items in the feed's history after the merge.
    pub total: usize,
    /// Whether the published feed differs from the last one.
    pub changed: bool,
    /// When the published feed last changed (now, if it just did).
    pub last_change: DateTime<Utc>,
    /// A digest of everything the published feed shows.
    pub digest: String,
    /// The newest `max_items` entries, newest first.
    pub entries: Vec<Entry>,
}

/// The columns whose change makes an item "updated": title, summary, html, author, image.
type StoredText = (String, Option<String>, bool, Option<String>, Option<String>);

const ENTRY_COLUMNS: &str =
    "id, title, link, summary, summary_html, author, image, published, updated";

impl Store {
    /// Merges a page into the feed's history. The refresh is a success only once its
    /// files show the outcome (`record_published`).
    pub fn merge(&self, merge: &Merge) -> Result<MergeOutcome, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(|e| self.sql_error(e))?;
        let outcome = merge_in(&tx, merge).map_err(|e| self.sql_error(e))?;
        tx.commit().map_err(|e| self.sql_error(e))?;
        if outcome.pruned > 0 {
            compact(&conn).map_err(|e| self.sql_error(e))?;
        }
        Ok(outcome)
    }

    /// The newest `max_items` entries of a feed, newest first.
    pub fn entries(&self, slug: &str, max_items: usize) -> Result<Vec<Entry>, StoreError> {
        let conn = self.conn();
        let tx = conn
            .unchecked_transaction()
            .map_err(|e| self.sql_error(e))?;
        entries(&tx, slug, max_items).map_err(|e| self.sql_error(e))
    }
}

fn merge_in(tx: &Transaction, m: &Merge) -> rusqlite::Result<MergeOutcome> {
    let now = m.now.timestamp();
    let (mut new, mut updated) = (0, 0);
    {
        let mut find = tx.prepare_cached(
            "SELECT title, summary, summary_html, author, image FROM items WHERE feed = ?1 AND id = ?2",
        )?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO items (feed, id, title, link, summary, summary_html, author, image,
                                published, updated, first_seen, last_seen, page_order)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?10, ?11)",
        )?;
        let mut touch = tx.prepare_cached(
            "UPDATE items SET last_seen = ?3, link = ?4 WHERE feed = ?1 AND id = ?2",
        )?;
        let mut change = tx.prepare_cached(
            "UPDATE items SET title = ?3, summary = ?4, summary_html = ?5, author = ?6, image = ?7,
                              updated = ?8, last_seen = ?8, link = ?9
             WHERE feed = ?1 AND id = ?2",
        )?;
        for (order, item) in m.items.iter().take(m.max_history).enumerate() {
            let (summary, html) = summary_columns(item.summary.as_ref());
            let image = item.image.as_ref().map(Url::as_str);
            let stored: Option<StoredText> = find
                .query_row(params![m.slug, item.id], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })
                .optional()?;
            match stored {
                None => {
                    // Items first seen together without a page date keep their page order
                    // as one-second steps, so readers sort them as the page does.
                    let published = item
                        .date
                        .map_or(now - order as i64, |d| d.timestamp().min(now));
                    insert.execute(params![
                        m.slug,
                        item.id,
                        item.title,
                        item.link.as_str(),
                        summary,
                        html,
                        item.author,
                        image,
                        published,
                        now,
                        order as i64
                    ])?;
                    new += 1;
                }
                Some(old)
                    if old
                        == (
                            item.title.clone(),
                            summary.clone(),
                            html,
                            item.author.clone(),
                            image.map(str::to_owned),
                        ) =>
                {
                    touch.execute(params![m.slug, item.id, now, item.link.as_str()])?;
                }
                Some(_) => {
                    change.execute(params![
                        m.slug,
                        item.id,
                        item.title,
                        summary,
                        html,
                        item.author,
                        image,
                        now,
                        item.link.as_str()
                    ])?;
                    updated += 1;
                }
            }
        }
    }
    let keep = i64::try_from(m.keep.as_secs()).unwrap_or(i64::MAX);
    let expired = tx
        .prepare_cached("DELETE FROM items WHERE feed = ?1 AND last_seen < ?2")?
        .execute(params![m.slug, now.saturating_sub(keep)])?;
    let count = |tx: &Transaction| -> rusqlite::Result<usize> {
        tx.prepare_cached("SELECT COUNT(*) FROM items WHERE feed = ?1")?
            .query_row([m.slug], |r| r.get::<_, i64>(0))
            .map(|n| n as usize)
    };
    let mut total = count(tx)?;
    let mut pruned = expired;
    if total > m.max_history {
        // Beyond max_history: the items seen longest ago go first, then the oldest.
        pruned += tx.execute(
            "DELETE FROM items WHERE feed = ?1 AND id IN (
                 SELECT id FROM items WHERE feed = ?1
                 ORDER BY last_seen DESC, published DESC, first_seen DESC, page_order ASC, id ASC
                 LIMIT -1 OFFSET ?2)",
            params![m.slug, i64::try_from(m.max_history).unwrap_or(i64::MAX)],
        )?;
        total = count(tx)?;
    }
    let entries = entries(tx, m.slug, m.max_items)?;
    let digest = digest(m.meta, &entries);
    let previous: Option<(Option<String>, Option<i64>)> = tx
        .prepare_cached("SELECT digest, last_change FROM feeds WHERE slug = ?1")?
        .query_row([m.slug], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (old_digest, old_change) = previous.unwrap_or((None, None));
    let changed = old_digest.as_deref() != Some(digest.as_str());
    let last_change = if changed {
        now
    } else {
        old_change.unwrap_or(now)
    };
    tx.prepare_cached(
        "INSERT INTO feeds (slug, fingerprint, url, last_attempt, cards, last_change, digest, detected)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (slug) DO UPDATE SET fingerprint = ?2, url = ?3, last_attempt = ?4,
             cards = ?5, last_change = ?6, digest = ?7, detected = ?8",
    )?
    .execute(params![
        m.slug, m.fingerprint, m.url, now, m.cards as i64, last_change, digest, m.detected
    ])?;
    Ok(MergeOutcome {
        new,
        updated,
        pruned,
        total,
        changed,
        last_change: time(Some(last_change)).unwrap_or(m.now),
        digest,
        entries,
    })
}

/// Gives free pages back to the file system once they are a quarter of the file, so a
/// feed whose items churn does not leave the database at its largest size for good.
fn compact(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let free: i64 = conn.query_row("PRAGMA freelist_count", [], |r| r.get(0))?;
    let pages: i64 = conn.query_row("PRAGMA page_count", [], |r| r.get(0))?;
    if free > 0 && free * 4 >= pages {
        // Each step of the statement frees pages; it is done when it yields no row.
        let mut vacuum = conn.prepare("PRAGMA incremental_vacuum")?;
        let mut steps = vacuum.query([])?;
        while steps.next()?.is_some() {}
    }
    Ok(())
}

fn summary_columns(summary: Option<&Summary>) -> (Option<String>, bool) {
    match summary {
        None => (None, false),
        Some(Summary::Text(text)) => (Some(text.clone()), false),
        Some(Summary::Html(html)) => (Some(html.clone()), true),
    }
}

/// Newest first; items first seen together keep their page order.
fn entries(tx: &Transaction, slug: &str, max_items: usize) -> rusqlite::Result<Vec<Entry>> {
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT {ENTRY_COLUMNS} FROM items WHERE feed = ?1
         ORDER BY published DESC, first_seen DESC, page_order ASC, id ASC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![slug, max_items as i64], entry_from_row)?;
    rows.filter_map(|row| row.transpose()).collect()
}

/// A stored row as an entry; a row whose link no longer parses is skipped.
fn entry_from_row(row: &Row) -> rusqlite::Result<Option<Entry>> {
    let Ok(link) = Url::parse(&row.get::<_, String>(2)?) else {
        return Ok(None);
    };
    let is_html: bool = row.get(4)?;
    let summary = row.get::<_, Option<String>>(3)?.map(|s| {
        if is_html {
            Summary::Html(s)
        } else {
            Summary::Text(s)
        }
    });
    let published = time(Some(row.get(7)?)).unwrap_or_default();
    let updated = time(Some(row.get(8)?)).unwrap_or(published);
    Ok(Some(Entry {
        item: Item {
            id: row.get(0)?,
            title: row.get(1)?,
            link,
            date: None,
            summary,
            author: row.get(5)?,
            image: row
                .get::<_, Option<String>>(6)?
                .and_then(|s| Url::parse(&s).ok()),
        },
        published,
        updated,
    }))
}

/// A digest of what the published feed shows.
fn digest(meta: &str, entries: &[Entry]) -> String {
    let mut digest = Digest::new().text(meta);
    for e in entries {
        digest = digest
            .text(&e.item.id)
            .number(e.published.timestamp())
            .number(e.updated.timestamp())
            .text(e.item.link.as_str());
    }
    digest.hex()
}
