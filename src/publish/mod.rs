//! Publishing: a feed's entries become static feed files in `output_dir`.
//!
//! Each format renders to bytes in memory (`rss`, `atom`, `json`) from the same
//! entries and the same `Channel`, so the three always show the same items, ids,
//! dates, images and authors; `file` writes them atomically and only when they differ
//! from what is on disk, so web servers' validators and readers' conditional requests
//! keep working. Beside the feeds, `site` keeps the folder's `index.html` and
//! `feeds.opml` in step with the configured feeds and their health.

pub mod atom;
pub mod error_item;
pub mod file;
pub mod html;
pub mod index;
pub mod json;
pub mod opml;
pub mod rss;
pub mod site;
pub mod tidy;
pub mod websub;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use url::Url;

use crate::config::{Config, Feed, Format};
use crate::extract::text::xml_safe;
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
    #[error("reading the feeds' state for the index page: {message}")]
    Site { message: String },
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
    /// The feed's time zone: dates are written with its offset, so a page date
    /// without a time shows its own calendar day in every format.
    pub timezone: Tz,
    /// The WebSub hub the feeds name (`settings.websub_hub`).
    pub hub: Option<Url>,
}

impl Channel {
    /// The channel of `feed` made from `source` (the page, as fetched): the configured
    /// title and description, else the page's own title and a description naming it.
    pub fn of(
        config: &Config,
        feed: &Feed,
        page_title: Option<String>,
        source: &Url,
        language: Option<String>,
        updated: DateTime<Utc>,
    ) -> Channel {
        let title = feed
            .title
            .clone()
            .or(page_title)
            .unwrap_or_else(|| feed.slug.clone());
        Channel {
            slug: feed.slug.clone(),
            description: feed
                .description
                .clone()
                .unwrap_or_else(|| format!("{title} — articles from {source}")),
            title,
            page_url: feed.url.clone(),
            base_url: config.settings.base_url.clone(),
            updated,
            language,
            timezone: feed.timezone,
            hub: config.settings.websub_hub.clone(),
        }
    }

    /// The public URL of this feed's file in `format`, when `base_url` is set.
    pub fn self_url(&self, format: Format) -> Option<Url> {
        let base = self.base_url.as_ref()?;
        base.join(&format!("{}.{}", self.slug, format.extension()))
            .ok()
    }

    /// `time` in the feed's time zone, as every format writes it.
    pub fn local(&self, time: DateTime<Utc>) -> DateTime<Tz> {
        time.with_timezone(&self.timezone)
    }

    /// The root of the page's web site (`https://news.example.org/`); none for a
    /// local file.
    pub fn site_url(&self) -> Option<Url> {
        if !matches!(self.page_url.scheme(), "http" | "https") {
            return None;
        }
        let mut root = self.page_url.clone();
        root.set_path("/");
        root.set_query(None);
        root.set_fragment(None);
        Some(root)
    }

    /// The channel with every string passed through the output filter
    /// ([`xml_safe`]).
    pub fn xml_safe(&self) -> Channel {
        Channel {
            title: xml_safe(&self.title).into_owned(),
            description: xml_safe(&self.description).into_owned(),
            language: self.language.as_deref().map(|l| xml_safe(l).into_owned()),
            ..self.clone()
        }
    }

    /// The name of the site, used where a feed needs an author.
    pub fn site_name(&self) -> String {
        self.page_url.host_str().map_or_else(
            || self.title.clone(),
            |h| h.trim_start_matches("www.").to_owned(),
        )
    }
}

/// The formats whose files one publish wrote or left alone.
#[derive(Debug, Clone, Default)]
pub struct Published {
    pub written: Vec<Format>,
    pub unchanged: Vec<Format>,
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
    // Every path is checked before any file is written: a feed never ends up with
    // some formats updated and others not.
    for &format in &feed.formats {
        let path = config.output_path(feed, format);
        file::check_writable(&path).map_err(|source| PublishError::Write { path, source })?;
    }
    let mut published = Published::default();
    for &format in &feed.formats {
        let bytes = render(format, channel, entries)?;
        if write(&config.output_path(feed, format), &bytes)? {
            published.written.push(format);
        } else {
            published.unchanged.push(format);
        }
    }
    Ok(published)
}

/// Writes one output file unless it already holds `bytes`; returns whether it wrote.
pub fn write(path: &Path, bytes: &[u8]) -> Result<bool, PublishError> {
    file::write_if_changed(path, bytes).map_err(|source| PublishError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Renders one format. Every string passes the output filter first, whatever its
/// source: the page, feeds.yaml (`title`, `description`, `replace.with`), or a store
/// written by an older version.
pub fn render(
    format: Format,
    channel: &Channel,
    entries: &[Entry],
) -> Result<Vec<u8>, PublishError> {
    let channel = channel.xml_safe();
    let entries: Vec<Entry> = entries.iter().map(Entry::xml_safe).collect();
    match format {
        Format::Rss => rss::render(&channel, &entries),
        Format::Atom => atom::render(&channel, &entries),
        Format::Json => json::render(&channel, &entries),
    }
}

#[cfg(test)]
mod tests;
