//! Reading feeds back: small accessors over feed-rs's model, so assertions say what
//! they check (`title(e)`, `image(e)`) instead of digging through options.

use feed_rs::model::{Entry, Feed};

pub fn title(entry: &Entry) -> &str {
    entry.title.as_ref().map_or("", |t| t.content.as_str())
}

pub fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(title).collect()
}

pub fn ids(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(|e| e.id.as_str()).collect()
}

/// The entry's article link: Atom's `alternate` (or unnamed) link, RSS's `<link>`.
pub fn link(entry: &Entry) -> &str {
    entry
        .links
        .iter()
        .find(|l| matches!(l.rel.as_deref(), None | Some("alternate")))
        .map_or("", |l| l.href.as_str())
}

/// The link of the feed itself with `rel`, e.g. "self".
pub fn feed_link<'a>(feed: &'a Feed, rel: &str) -> Option<&'a str> {
    feed.links
        .iter()
        .find(|l| l.rel.as_deref() == Some(rel))
        .map(|l| l.href.as_str())
}

pub fn authors(entry: &Entry) -> Vec<&str> {
    entry.authors.iter().map(|p| p.name.as_str()).collect()
}

/// The entry's image: Media RSS content or thumbnail (RSS), or an enclosure link (Atom).
pub fn image(entry: &Entry) -> Option<String> {
    let media = entry.media.iter().find_map(|m| {
        m.content
            .iter()
            .find_map(|c| c.url.as_ref().map(|u| u.to_string()))
            .or_else(|| m.thumbnails.first().map(|t| t.image.uri.clone()))
    });
    media.or_else(|| {
        entry
            .links
            .iter()
            .find(|l| l.rel.as_deref() == Some("enclosure"))
            .map(|l| l.href.clone())
    })
}

/// The entry with this id.
#[track_caller]
pub fn entry<'a>(feed: &'a Feed, id: &str) -> &'a Entry {
    feed.entries
        .iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("no entry `{id}` in feed; ids: {:?}", ids(feed)))
}
