//! RSS 2.0 rendering, valid for the W3C Feed Validation Service.
//!
//! Choices the validator cares about: an `atom:link rel="self"` when `base_url` is
//! known (and `rel="hub"` with `websub_hub`); a guid per item, `isPermaLink` only when it is the link; RFC 822 dates;
//! authors as `dc:creator` (RSS `author` must be an e-mail address); images as Media
//! RSS `media:content`/`media:thumbnail`.

use std::collections::BTreeMap;

use ::rss::extension::Extension;
use ::rss::extension::atom::{AtomExtension, Link};
use ::rss::extension::dublincore::DublinCoreExtension;
use ::rss::{Channel as RssChannel, Guid, Item as RssItem};

use super::{Channel, PublishError, html};
use crate::config::Format;
use crate::item::Entry;

const MEDIA_NS: &str = "http://search.yahoo.com/mrss/";

pub fn render(channel: &Channel, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let mut rss = RssChannel {
        title: channel.title.clone(),
        link: channel.page_url.to_string(),
        description: channel.description.clone(),
        last_build_date: Some(channel.local(channel.updated).to_rfc2822()),
        language: channel.language.clone(),
        generator: Some(format!("scrapefeed {}", env!("CARGO_PKG_VERSION"))),
        docs: Some("https://www.rssboard.org/rss-specification".into()),
        items: entries.iter().map(|e| item(channel, e)).collect(),
        ..RssChannel::default()
    };
    let mut links = Vec::new();
    if let Some(self_url) = channel.self_url(Format::Rss) {
        links.push(Link {
            href: self_url.to_string(),
            rel: "self".into(),
            mime_type: Some(Format::Rss.media_type().into()),
            ..Link::default()
        });
    }
    if let Some(hub) = &channel.hub {
        links.push(Link {
            href: hub.to_string(),
            rel: "hub".into(),
            ..Link::default()
        });
    }
    if !links.is_empty() {
        rss.atom_ext = Some(AtomExtension { links });
    }
    if entries.iter().any(|e| e.item.image.is_some()) {
        rss.namespaces.insert("media".into(), MEDIA_NS.into());
    }
    let mut out = rss
        .pretty_write_to(Vec::new(), b' ', 2)
        .map_err(|e| PublishError::Render {
            format: "RSS",
            message: e.to_string(),
        })?;
    out.push(b'\n');
    Ok(out)
}

fn item(channel: &Channel, entry: &Entry) -> RssItem {
    let item = &entry.item;
    let link = item.link.to_string();
    let mut rss_item = RssItem {
        title: Some(item.title.clone()),
        link: Some(link.clone()),
        guid: Some(Guid {
            permalink: item.id == link,
            value: item.id.clone(),
        }),
        pub_date: Some(channel.local(entry.published).to_rfc2822()),
        description: html::body(entry),
        ..RssItem::default()
    };
    if let Some(author) = &item.author {
        rss_item.dublin_core_ext = Some(DublinCoreExtension {
            creators: vec![author.clone()],
            ..Default::default()
        });
    }
    if let Some(image) = &item.image {
        let url = image.to_string();
        let element = |name: &str, attrs: &[(&str, &str)]| Extension {
            name: format!("media:{name}"),
            attrs: attrs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            ..Extension::default()
        };
        let mut media = BTreeMap::new();
        media.insert(
            "content".to_owned(),
            vec![element("content", &[("url", &url), ("medium", "image")])],
        );
        media.insert(
            "thumbnail".to_owned(),
            vec![element("thumbnail", &[("url", &url)])],
        );
        rss_item.extensions.insert("media".to_owned(), media);
    }
    rss_item
}
