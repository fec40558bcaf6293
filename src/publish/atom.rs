//! Atom 1.0 (RFC 4287) rendering, valid for the W3C Feed Validation Service.
//!
//! Every entry has an id, title, updated and an alternate link; the feed has an author
//! (the site) so entries without one are still valid; images are `enclosure` links.
//! An entry's summary is the page's summary (and image); without either, a link to
//! the article named by its site — never the title repeated. Dates carry the feed's
//! time-zone offset.

use atom_syndication::{
    Content, Entry as AtomEntry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use url::Url;

use super::{Channel, PublishError, html};
use crate::config::Format;
use crate::item::Entry;

pub fn render(channel: &Channel, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let self_url = channel.self_url(Format::Atom);
    let mut links = vec![link(
        channel.page_url.as_str(),
        "alternate",
        Some("text/html"),
    )];
    if let Some(url) = &self_url {
        links.push(link(url.as_str(), "self", Some("application/atom+xml")));
    }
    if let Some(hub) = &channel.hub {
        links.push(link(hub.as_str(), "hub", None));
    }
    let feed = Feed {
        id: self_url.as_ref().unwrap_or(&channel.page_url).to_string(),
        lang: channel.language.clone(),
        title: Text::plain(channel.title.clone()),
        subtitle: Some(Text::plain(channel.description.clone())),
        updated: fixed(channel, channel.updated),
        authors: vec![Person {
            name: channel.site_name(),
            uri: channel.site_url().map(String::from),
            email: None,
            extensions: Default::default(),
        }],
        links,
        generator: Some(Generator {
            value: "scrapefeed".into(),
            uri: None,
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
        entries: entries
            .iter()
            .zip(distinct_updated(channel, entries))
            .map(|(e, updated)| entry(channel, e, updated))
            .collect(),
        ..Feed::default()
    };
    let config = atom_syndication::WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    let mut out = feed
        .write_with_config(Vec::new(), config)
        .map_err(|e| PublishError::Render {
            format: "Atom",
            message: e.to_string(),
        })?;
    out.push(b'\n');
    Ok(out)
}

/// The W3C validator warns when two entries share an `updated` value (and some
/// readers take such entries for one). Entries that share a time — the same
/// date-only page date, say — are told apart by whole seconds, never leaving the
/// calendar day of that time in the feed's time zone: the oldest of the group keeps
/// the real time and each newer one is a second later (so `updated` never precedes
/// `published`, the page order is kept, and an item added to the top of the page
/// leaves the others' times alone); at the end of the day it counts down from the
/// real time instead. Deterministic, so unchanged feeds stay byte-identical. Only
/// Atom `updated` is spread; `published` (and every other format) shows the page's
/// date exactly.
fn distinct_updated(channel: &Channel, entries: &[Entry]) -> Vec<DateTime<Utc>> {
    let mut used = HashSet::new();
    let mut times = vec![DateTime::<Utc>::MIN_UTC; entries.len()];
    for (i, entry) in entries.iter().enumerate().rev() {
        let t = entry.updated;
        let local = channel.local(t);
        let day = local.date_naive();
        let same_day = |c: &DateTime<Utc>| channel.local(*c).date_naive() == day;
        let later = (0..).map(|s| t + Duration::seconds(s));
        let earlier = (1..).map(|s| t - Duration::seconds(s));
        let pick = later
            .take_while(same_day)
            .chain(earlier.take_while(same_day))
            .find(|c| !used.contains(c))
            .unwrap_or(t);
        used.insert(pick);
        times[i] = pick;
    }
    times
}

fn entry(channel: &Channel, entry: &Entry, updated: DateTime<Utc>) -> AtomEntry {
    let item = &entry.item;
    let mut links = vec![link(item.link.as_str(), "alternate", Some("text/html"))];
    if let Some(image) = &item.image {
        links.push(link(image.as_str(), "enclosure", image_type(image)));
    }
    AtomEntry {
        id: entry_id(channel, &item.id),
        title: Text::plain(item.title.clone()),
        updated: fixed(channel, updated),
        published: Some(fixed(channel, entry.published)),
        authors: item
            .author
            .iter()
            .map(|name| Person {
                name: name.clone(),
                email: None,
                uri: None,
                extensions: Default::default(),
            })
            .collect(),
        links,
        summary: Some(Text::html(
            html::body(entry).unwrap_or_else(|| html::link_body(entry)),
        )),
        content: None::<Content>,
        ..AtomEntry::default()
    }
}

/// Atom ids must be IRIs: a link id is used as is; any other configured id becomes a
/// `tag:` URI under the page's host.
fn entry_id(channel: &Channel, id: &str) -> String {
    match Url::parse(id) {
        Ok(url) if url.has_host() => id.to_owned(),
        _ => {
            let host = channel.page_url.host_str().unwrap_or("localhost");
            let encoded: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
            format!("tag:{host},2000:{}/{encoded}", channel.slug)
        }
    }
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: href.to_owned(),
        rel: rel.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        ..Link::default()
    }
}

/// The media type of an image, guessed from its file extension (the validator wants one).
fn image_type(url: &Url) -> Option<&'static str> {
    let path = url.path().to_ascii_lowercase();
    let ext = path.rsplit('.').next().unwrap_or("");
    Some(match ext {
        "png" => "image/png",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "svg" => "image/svg+xml",
        "avif" => "image/avif",
        _ => "image/jpeg",
    })
}

fn fixed(channel: &Channel, time: DateTime<Utc>) -> FixedDateTime {
    channel.local(time).fixed_offset()
}
