//! WebSub: telling the hub (`settings.websub_hub`) that a feed's files changed, so
//! subscribers get new items at once instead of at their next poll.
//!
//! The feeds name the hub (`rel="hub"` links, JSON Feed `hubs`); after a refresh
//! writes files, one `hub.mode=publish` POST names every changed file's public URL
//! as a repeated `hub.url` (as the PubSubHubbub publish convention allows). It goes
//! through the shared client and host politeness, is bounded in time, and a failure
//! is only logged: a refresh never fails because a hub is down, and the next change
//! pings again.

use std::time::Duration;

use url::Url;

use crate::config::{Config, Feed, Format};
use crate::fetch::Fetcher;

/// The longest a ping may take (or `timeout`, when that is shorter).
pub const PING_LIMIT: Duration = Duration::from_secs(10);

/// Why the hub was not told.
#[derive(Debug, thiserror::Error)]
pub enum PingError {
    #[error("WebSub hub {hub} answered HTTP {status}")]
    Status { hub: Url, status: u16 },
    #[error("WebSub hub {hub}: {message}")]
    Failed { hub: Url, message: String },
}

/// The public URLs of a feed's files in `formats` (from `base_url`).
pub fn topics(config: &Config, feed: &Feed, formats: &[Format]) -> Vec<Url> {
    let Some(base) = &config.settings.base_url else {
        return Vec::new();
    };
    formats
        .iter()
        .filter_map(|format| {
            base.join(&format!("{}.{}", feed.slug, format.extension()))
                .ok()
        })
        .collect()
}

/// Tells `hub` that `topics` changed.
pub async fn ping(
    fetcher: &Fetcher,
    hub: &Url,
    topics: &[Url],
    limit: Duration,
) -> Result<(), PingError> {
    let mut pairs = vec![("hub.mode", "publish")];
    pairs.extend(topics.iter().map(|t| ("hub.url", t.as_str())));
    match fetcher.post_form(hub, &pairs, limit).await {
        Ok(200..=299) => Ok(()),
        Ok(status) => Err(PingError::Status {
            hub: hub.clone(),
            status,
        }),
        Err(message) => Err(PingError::Failed {
            hub: hub.clone(),
            message,
        }),
    }
}

/// Pings the configured hub about the formats just written, logging the result.
pub async fn announce(config: &Config, fetcher: &Fetcher, feed: &Feed, written: &[Format]) {
    let Some(hub) = &config.settings.websub_hub else {
        return;
    };
    let topics = topics(config, feed, written);
    if topics.is_empty() {
        return;
    }
    let limit = PING_LIMIT.min(config.settings.timeout);
    match ping(fetcher, hub, &topics, limit).await {
        Ok(()) => {
            tracing::info!(feed = %feed.slug, hub = %hub, "told the WebSub hub about {} changed file(s)", topics.len())
        }
        Err(e) => {
            tracing::warn!(feed = %feed.slug, "{e}; subscribers see the change at their next poll")
        }
    }
}
