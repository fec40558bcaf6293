//! The folder's own pages: `index.html` (every feed, its links and its health) and
//! `feeds.opml` (every feed, for importing into a reader), kept in step with the
//! configuration together with `tidy` (removed feeds' files).
//!
//! Both are made from the configuration and the store alone — never from a page — so
//! they can be written at any time: after a pass, and in the daemon after refreshes
//! (coalesced) and reloads. They show only what changes when a feed changes (no
//! "generated at" time, no relative times), and go through the same quiet, atomic
//! writes as the feeds, so they are rewritten only when something in them changed —
//! a feed's health included: a failure shows on the index even though the feed's own
//! files stay as they were.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use url::Url;

use super::{PublishError, file, index, opml};
use crate::config::{Config, Feed, Format};
use crate::health::Health;
use crate::store::{Store, StoreError};

/// The index page's file name in `output_dir`.
pub const INDEX_FILE: &str = "index.html";
/// The OPML list's file name in `output_dir`.
pub const OPML_FILE: &str = "feeds.opml";

/// One feed as the index page and the OPML list show it.
#[derive(Debug, Clone)]
pub struct Listing {
    pub slug: String,
    /// The title its files carry (the configured one, else the page's, else the slug).
    pub title: String,
    pub page_url: Url,
    /// The feed's formats whose files exist, with their file names.
    pub files: Vec<(Format, String)>,
    /// Items in the published feed.
    pub items: usize,
    /// When the published feed last changed.
    pub last_change: Option<DateTime<Utc>>,
    pub health: Health,
}

/// Everything the two pages show.
#[derive(Debug, Clone)]
pub struct Site {
    pub feeds: Vec<Listing>,
    /// Where the folder is served (`settings.base_url`).
    pub base_url: Option<Url>,
}

impl Site {
    /// The configured feeds, in feeds.yaml order, as the store knows them `now`.
    pub fn gather(config: &Config, store: &Store, now: DateTime<Utc>) -> Result<Site, StoreError> {
        let feeds = config
            .feeds
            .iter()
            .map(|feed| listing(config, feed, store, now))
            .collect::<Result<_, _>>()?;
        Ok(Site {
            feeds,
            base_url: config.settings.base_url.clone(),
        })
    }

    /// Whether the OPML list can be written: its feed URLs must be absolute.
    pub fn has_opml(&self) -> bool {
        self.base_url.is_some()
    }
}

fn listing(
    config: &Config,
    feed: &Feed,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Listing, StoreError> {
    let record = store.feed(&feed.slug)?;
    let files: Vec<(Format, String)> = feed
        .formats
        .iter()
        .filter(|&&format| file::is_output(&config.output_path(feed, format)))
        .map(|&format| (format, format!("{}.{}", feed.slug, format.extension())))
        .collect();
    Ok(Listing {
        slug: feed.slug.clone(),
        title: record
            .title
            .clone()
            .or_else(|| feed.title.clone())
            .unwrap_or_else(|| feed.slug.clone()),
        page_url: feed.url.clone(),
        items: if files.is_empty() {
            0
        } else {
            record.items.min(feed.max_items)
        },
        files,
        last_change: record.last_change,
        health: Health::of(&record, feed.stale_after, now),
    })
}

/// Renders both pages and writes those whose bytes changed; returns the paths
/// written.
pub fn write(
    config: &Config,
    store: &Store,
    now: DateTime<Utc>,
) -> Result<Vec<PathBuf>, PublishError> {
    let site = Site::gather(config, store, now).map_err(|e| PublishError::Site {
        message: e.to_string(),
    })?;
    let dir = &config.settings.output_dir;
    std::fs::create_dir_all(dir).map_err(|source| PublishError::Write {
        path: dir.clone(),
        source,
    })?;
    let mut pages = vec![(dir.join(INDEX_FILE), index::render(&site))];
    if site.has_opml() {
        pages.push((dir.join(OPML_FILE), opml::render(&site)?));
    }
    let mut written = Vec::new();
    for (path, bytes) in pages {
        if super::write(&path, &bytes)? {
            written.push(path);
        }
    }
    Ok(written)
}

/// Brings the folder in step with the configuration: removed feeds' files go
/// (`tidy`), then both pages are written. Problems are logged, never fatal: the feeds
/// themselves matter more than their index.
pub fn update(config: &Config, store: &Store) {
    let now = Utc::now();
    if let Err(e) = super::tidy::tidy(config, store, now) {
        tracing::error!("cannot tidy {}: {e}", config.settings.output_dir.display());
    }
    match write(config, store, now) {
        Ok(written) => {
            for path in written {
                tracing::debug!("wrote {}", path.display());
            }
        }
        Err(e) => tracing::error!("cannot write the index page or the OPML list: {e}"),
    }
}
