//! What the store says about every configured feed, read in one go for `/healthz`
//! and `/metrics`.
//!
//! The store is opened read-only for each request and closed after it: a reader never
//! holds a lock a daemon needs, never blocks a refresh (WAL lets readers and the
//! writer pass each other), and sees what the daemon committed last — also when the
//! server runs in another process. A store that does not exist yet is not an error:
//! every feed is simply new.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::config::Config;
use crate::health::Health;
use crate::store::{FeedRecord, LastFetch, Store, StoreError, Totals};

/// One configured feed as the store remembers it.
pub struct FeedState {
    pub slug: String,
    pub record: FeedRecord,
    pub health: Health,
    pub last_fetch: LastFetch,
}

/// Every configured feed, and the store's totals.
pub struct Snapshot {
    pub feeds: Vec<FeedState>,
    pub totals: Totals,
}

/// Reads the store named by `config`, off the async threads.
pub async fn read(config: Arc<Config>, now: DateTime<Utc>) -> Result<Snapshot, StoreError> {
    tokio::task::spawn_blocking(move || read_now(&config, now))
        .await
        .map_err(|e| StoreError::Open {
            path: std::path::PathBuf::new(),
            message: e.to_string(),
        })?
}

fn read_now(config: &Config, now: DateTime<Utc>) -> Result<Snapshot, StoreError> {
    let store = match Store::open_read_only(&config.settings.state_dir) {
        Ok(read) => Some(read.store),
        Err(StoreError::Missing { .. }) => None,
        Err(e) => return Err(e),
    };
    let mut feeds = Vec::with_capacity(config.feeds.len());
    for feed in &config.feeds {
        let (record, last_fetch) = match &store {
            Some(store) => (store.feed(&feed.slug)?, store.last_fetch(&feed.slug)?),
            None => Default::default(),
        };
        feeds.push(FeedState {
            slug: feed.slug.clone(),
            health: Health::of(&record, feed.stale_after, now),
            record,
            last_fetch,
        });
    }
    let totals = match &store {
        Some(store) => store.totals()?,
        None => Totals::default(),
    };
    Ok(Snapshot { feeds, totals })
}
