//! The item: one article as it travels from the page to the feed files.
//!
//! `Item` is what extraction finds on a page right now. `Entry` is an item with the
//! history the store gives it (a published date that never moves, an updated time that
//! moves only when the text changes); publishing works only on entries.

use chrono::{DateTime, Utc};
use url::Url;

use crate::extract::text::xml_safe;

/// One article found on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Stable identity: the canonical link, or the configured `id` field.
    pub id: String,
    pub title: String,
    pub link: Url,
    /// The page's own date for the article, when it shows one.
    pub date: Option<DateTime<Utc>>,
    pub summary: Option<Summary>,
    pub author: Option<String>,
    pub image: Option<Url>,
}

/// A summary is plain text unless the feed asked for (sanitized) HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Summary {
    Text(String),
    Html(String),
}

impl Summary {
    pub fn as_str(&self) -> &str {
        match self {
            Summary::Text(s) | Summary::Html(s) => s,
        }
    }
}

impl Entry {
    /// The entry with every string passed through the output filter
    /// ([`xml_safe`]): what a feed file may hold.
    pub fn xml_safe(&self) -> Entry {
        let item = &self.item;
        let safe = |s: &str| xml_safe(s).into_owned();
        Entry {
            item: Item {
                id: safe(&item.id),
                title: safe(&item.title),
                link: item.link.clone(),
                date: item.date,
                summary: item.summary.as_ref().map(|s| match s {
                    Summary::Text(t) => Summary::Text(safe(t)),
                    Summary::Html(h) => Summary::Html(safe(h)),
                }),
                author: item.author.as_deref().map(safe),
                image: item.image.clone(),
            },
            ..self.clone()
        }
    }
}

/// An item with its history, ready to publish.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub item: Item,
    /// The page's date, or when the item was first seen; never changes once stored.
    pub published: DateTime<Utc>,
    /// When the item's text last changed (equal to `published` until it does).
    pub updated: DateTime<Utc>,
}
