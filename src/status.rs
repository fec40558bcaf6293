//! `status`: per-feed health, read from the store.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::extract::auto::Choice;
use crate::health::Health;
use crate::store::{Store, StoreError};

/// One feed's health.
#[derive(Debug, Clone, Serialize)]
pub struct FeedStatus {
    pub feed: String,
    pub url: String,
    /// The feed has run and its last refresh succeeded.
    pub healthy: bool,
    /// `new`, `ok`, `failing` (within `stale_after`) or `stale`, with the failure streak.
    pub health: Health,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub items_stored: usize,
    pub cards_last_time: Option<usize>,
    /// How the cards are found: the configured selector, or what detection chose.
    pub cards_from: String,
    pub last_change: Option<DateTime<Utc>>,
    pub schedule: String,
    pub next_run: Option<DateTime<Utc>>,
}

/// Health of every configured feed.
pub fn collect(
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<FeedStatus>, StoreError> {
    config
        .feeds
        .iter()
        .map(|feed| {
            let record = store.feed(&feed.slug)?;
            let health = Health::of(&record, feed.stale_after, now);
            Ok(FeedStatus {
                feed: feed.slug.clone(),
                url: feed.url.to_string(),
                healthy: health == Health::Ok,
                health,
                last_success: record.last_success,
                last_error: record.last_error,
                last_error_at: record.last_error_at,
                consecutive_failures: record.failures,
                items_stored: record.items,
                cards_last_time: record.cards,
                cards_from: match (
                    &feed.items,
                    record.detected.as_deref().and_then(Choice::from_json),
                ) {
                    (Some(items), _) => format!("selector `{}`", items.source),
                    (None, Some(choice)) => choice.describe(),
                    (None, None) => "detection (not run yet)".to_owned(),
                },
                last_change: record.last_change,
                schedule: feed.schedule.source().to_owned(),
                next_run: crate::daemon::next_run(feed, now),
            })
        })
        .collect()
}

/// A readable table of feed health.
pub fn table(rows: &[FeedStatus]) -> String {
    let mut out = String::new();
    let when = |t: Option<DateTime<Utc>>| {
        t.map_or_else(
            || "never".to_owned(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let _ = writeln!(
        out,
        "{:<24} {:<8} {:<16} {:>5} {:>5} {:>5}  {:<16}  LAST ERROR",
        "FEED", "HEALTH", "LAST SUCCESS", "ITEMS", "CARDS", "FAILS", "NEXT RUN"
    );
    for row in rows {
        let health = match &row.health {
            Health::Failing(_) => "FAILING",
            Health::Stale(_) => "STALE",
            other => other.label(),
        };
        let error = match (&row.last_error, row.last_error_at) {
            (Some(e), Some(at)) if row.consecutive_failures > 0 => {
                format!("{} — {e}", at.format("%Y-%m-%d %H:%M"))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "{:<24} {:<8} {:<16} {:>5} {:>5} {:>5}  {:<16}  {error}",
            row.feed,
            health,
            when(row.last_success),
            row.items_stored,
            row.cards_last_time
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            row.consecutive_failures,
            when(row.next_run),
        );
    }
    out
}
