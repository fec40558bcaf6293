//! Atom 1.0 (RFC 4287) rendering, valid for the W3C Feed Validation Service.
//!
//! Every entry has an id, title, updated and an alternate link; the feed has an author
//! (the site) so entries without one are still valid; images are `enclosure` links.

use atom_syndication::{
    Content, Entry as AtomEntry, Feed, FixedDateTime, Generator, Link, Person, Text,
};
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
    let feed = Feed {
        id: self_url.as_ref().unwrap_or(&channel.page_url).to_string(),
        lang: channel.language.clone(),
        title: Text::plain(channel.title.clone()),
        subtitle: Some(Text::plain(channel.description.clone())),
        updated: fixed(channel.updated),
        authors: vec![Person {
            name: channel.site_name(),
            uri: Some(site_root(&channel.page_url)),
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
            .zip(distinct_updated(entries))
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

/// Atom readers (and the W3C validator) expect each entry's `updated` to differ; items
/// that share a time (a date-only page date, say) are told apart by whole seconds,
/// earlier for later entries, deterministically so unchanged feeds stay byte-identical.
fn distinct_updated(entries: &[Entry]) -> Vec<chrono::DateTime<chrono::Utc>> {
    let mut used = std::collections::HashSet::new();
    entries
        .iter()
        .map(|e| {
            let mut t = e.updated;
            while !used.insert(t) {
                t -= chrono::Duration::seconds(1);
            }
            t
        })
        .collect()
}

fn entry(channel: &Channel, entry: &Entry, updated: chrono::DateTime<chrono::Utc>) -> AtomEntry {
    let item = &entry.item;
    let mut links = vec![link(item.link.as_str(), "alternate", Some("text/html"))];
    if let Some(image) = &item.image {
        links.push(link(image.as_str(), "enclosure", image_type(image)));
    }
    AtomEntry {
        id: entry_id(channel, &item.id),
        title: Text::plain(item.title.clone()),
        updated: fixed(updated),
        published: Some(fixed(entry.published.min(updated))),
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
        // Readers (and the validator) want some text for every entry: the title when
        // the page gave no summary or image.
        summary: Some(
            html::body(entry).map_or_else(|| Text::plain(item.title.clone()), Text::html),
        ),
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

fn site_root(page: &Url) -> String {
    let mut root = page.clone();
    root.set_path("/");
    root.set_query(None);
    root.set_fragment(None);
    root.to_string()
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

fn fixed(time: chrono::DateTime<chrono::Utc>) -> FixedDateTime {
    time.fixed_offset()
}
