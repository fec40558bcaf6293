//! Automatic card detection (placeholder until the full detector lands).
use scraper::Html;
use url::Url;

use crate::config::{CardSelector, Fields};

pub struct FeedCards {
    pub items: CardSelector,
    pub fields: Fields,
}

pub fn cards_for_feed(doc: &Html, _base: &Url) -> Option<FeedCards> {
    let items = super::card_selector("article")?;
    (doc.select(&items.selector).count() >= 3).then(|| FeedCards {
        items,
        fields: Fields::default(),
    })
}
