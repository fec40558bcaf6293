//! The one item a stale feed shows its readers, when it asks for it (`error_items: true`).
//!
//! A feed whose page broke keeps its last good files, so in a reader it just goes
//! quiet, and nobody notices for weeks. With `error_items`, once the feed is stale (no
//! success for `stale_after`: the moment `status` says STALE and the log says so once)
//! its files are written again with one more item on top, saying since when the page
//! fails and why. There is one such item per failure streak: its id and date come from
//! the moment the streak went stale, so a later rewrite in the same streak (a new error
//! message) keeps the same item, and the next streak brings a new one. It is never
//! stored: the next success publishes from the store alone, so it leaves on recovery.

use chrono::{DateTime, Utc};

use super::{Channel, PublishError, Published};
use crate::config::{Config, Feed};
use crate::digest::Digest;
use crate::health::Streak;
use crate::item::{Entry, Item, Summary};
use crate::store::FeedRecord;

/// The error item of the streak that went stale at `stale_since`.
/// It says nothing that changes with every failure (such as their count), so the
/// files are rewritten only when the error itself changes.
pub fn entry(feed: &Feed, streak: &Streak, stale_since: DateTime<Utc>) -> Entry {
    let local = |time: DateTime<Utc>| {
        time.with_timezone(&feed.timezone)
            .format("%Y-%m-%d %H:%M %Z")
            .to_string()
    };
    let since = local(streak.since);
    let last_good = streak.last_success.map_or_else(
        || "It has not succeeded yet.".to_owned(),
        |at| {
            format!(
                "The items below are what the page showed on {}; new ones will appear when it works again.",
                local(at)
            )
        },
    );
    let summary = format!(
        "scrapefeed has not been able to read {url} since {since}. {last_good} Last error: {error}. Whoever runs this scrapefeed can see more with `scrapefeed status` and `scrapefeed preview {slug}`.",
        url = feed.url,
        error = streak.error,
        slug = feed.slug,
    );
    Entry {
        item: Item {
            id: format!("scrapefeed-error-{}", stale_since.timestamp()),
            title: format!("This feed's page fails (since {since})"),
            link: feed.url.clone(),
            date: Some(stale_since),
            summary: Some(Summary::Text(summary)),
            author: None,
            image: None,
        },
        published: stale_since,
        updated: stale_since,
    }
}

/// Writes the feed's files with `error` on top of its stored `entries`, unless they
/// already show exactly that. Returns what was written and the digest the files now
/// show (to record), or `None` when they were current.
pub fn publish(
    config: &Config,
    feed: &Feed,
    record: &FeedRecord,
    error: Entry,
    entries: Vec<Entry>,
) -> Result<Option<(Published, String)>, PublishError> {
    let summary = error.item.summary.as_ref().map_or("", Summary::as_str);
    // Unlike any merge's digest: the content below it, and the item on top.
    let digest = Digest::new()
        .field("error item over", record.digest.as_deref().unwrap_or(""))
        .field("id", &error.item.id)
        .field("title", &error.item.title)
        .field("summary", summary)
        .hex();
    let outputs_exist = feed
        .formats
        .iter()
        .all(|&f| super::file::is_output(&config.output_path(feed, f)));
    if outputs_exist && record.published.as_deref() == Some(digest.as_str()) {
        return Ok(None);
    }
    let mut channel = Channel::of(
        config,
        feed,
        record.title.clone(),
        &feed.url,
        record.language.clone(),
        error.published,
    );
    if let (None, Some(description)) = (&feed.description, &record.description) {
        channel.description = description.clone();
    }
    let shown: Vec<Entry> = std::iter::once(error).chain(entries).collect();
    let published = super::publish(config, feed, &channel, &shown)?;
    Ok(Some((published, digest)))
}
