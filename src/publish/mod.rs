//! Publishing: a feed's entries become static feed files in `output_dir`.
//!
//! Each format renders to bytes in memory (`rss`, `atom`); `file` writes them atomically
//! and only when they differ from what is on disk, so web servers' validators and
//! readers' conditional requests keep working.

pub mod atom;
pub mod file;
pub mod html;
pub mod rss;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use url::Url;

use crate::config::{Config, Feed, Format};
use crate::item::Entry;

/// Why publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("writing {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("rendering the {format} feed: {message}")]
    Render {
        format: &'static str,
        message: String,
    },
}

/// What a feed says about itself.
#[derive(Debug, Clone)]
pub struct Channel {
    pub slug: String,
    pub title: String,
    pub description: String,
    /// The section page the feed is made from.
    pub page_url: Url,
    /// Where output_dir is served, for self links.
    pub base_url: Option<Url>,
    /// When the feed's content last changed.
    pub updated: DateTime<Utc>,
    /// The language of the page (`en`, `de-DE`).
    pub language: Option<String>,
}

impl Channel {
    /// The public URL of this feed's file in `format`, when `base_url` is set.
    pub fn self_url(&self, format: Format) -> Option<Url> {
        let base = self.base_url.as_ref()?;
        base.join(&format!("{}.{}", self.slug, format.extension()))
            .ok()
    }

    /// The name of the site, used where a feed needs an author.
    pub fn site_name(&self) -> String {
        self.page_url.host_str().map_or_else(
            || self.title.clone(),
            |h| h.trim_start_matches("www.").to_owned(),
        )
    }
}

/// The files one publish wrote or left alone.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub written: Vec<PathBuf>,
    pub unchanged: Vec<PathBuf>,
}

/// Renders every configured format and writes the files that changed.
pub fn publish(
    config: &Config,
    feed: &Feed,
    channel: &Channel,
    entries: &[Entry],
) -> Result<Published, PublishError> {
    let dir = &config.settings.output_dir;
    std::fs::create_dir_all(dir).map_err(|source| PublishError::Write {
        path: dir.clone(),
        source,
    })?;
    let mut published = Published::default();
    for &format in &feed.formats {
        let bytes = render(format, channel, entries)?;
        let path = config.output_path(feed, format);
        let wrote =
            file::write_if_changed(&path, &bytes).map_err(|source| PublishError::Write {
                path: path.clone(),
                source,
            })?;
        if wrote {
            published.written.push(path);
        } else {
            published.unchanged.push(path);
        }
    }
    Ok(published)
}

/// Renders one format.
pub fn render(
    format: Format,
    channel: &Channel,
    entries: &[Entry],
) -> Result<Vec<u8>, PublishError> {
    match format {
        Format::Rss => rss::render(channel, entries),
        Format::Atom => atom::render(channel, entries),
    }
}

#[cfg(test)]
mod tests;
