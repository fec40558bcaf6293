//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>) rendering.
//!
//! Typed structs serialised with serde_json, never hand-built strings. Every field is
//! taken from the same entry as RSS and Atom: `id` is the item's id (RSS's guid),
//! `date_published`/`date_modified` are its published and updated times in the feed's
//! time zone, `image` and `authors` the same image and author, `content_html` the
//! same HTML body the other formats carry.

use chrono::SecondsFormat;
use serde::Serialize;

use super::{Channel, PublishError, html};
use crate::config::Format;
use crate::item::{Entry, Summary};

/// The version URL the spec requires as `version`.
pub const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    description: &'a str,
    user_comment: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    hubs: Vec<Hub<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Author {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct Hub<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    url: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    /// The spec wants `content_html` or `content_text`: an item the page gave
    /// neither summary nor image links to the article, as in Atom.
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
}

pub fn render(channel: &Channel, entries: &[Entry]) -> Result<Vec<u8>, PublishError> {
    let date = |t| channel.local(t).to_rfc3339_opts(SecondsFormat::Secs, true);
    let feed = Feed {
        version: VERSION,
        title: &channel.title,
        home_page_url: channel.page_url.as_str(),
        feed_url: channel.self_url(Format::Json).map(String::from),
        description: &channel.description,
        user_comment: format!(
            "Made by scrapefeed from {}. Subscribe to this URL in a feed reader.",
            channel.page_url
        ),
        language: channel.language.as_deref(),
        authors: vec![Author {
            name: channel.site_name(),
            url: channel.site_url().map(String::from),
        }],
        hubs: channel
            .hub
            .iter()
            .map(|url| Hub {
                kind: "WebSub",
                url: url.as_str(),
            })
            .collect(),
        items: entries
            .iter()
            .map(|entry| {
                let item = &entry.item;
                Item {
                    id: &item.id,
                    url: item.link.as_str(),
                    title: &item.title,
                    content_html: html::body(entry).unwrap_or_else(|| html::link_body(entry)),
                    summary: match &item.summary {
                        Some(Summary::Text(text)) => Some(text),
                        _ => None,
                    },
                    image: item.image.as_ref().map(url::Url::as_str),
                    date_published: date(entry.published),
                    date_modified: date(entry.updated),
                    authors: item
                        .author
                        .iter()
                        .map(|name| Author {
                            name: name.clone(),
                            url: None,
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&feed).map_err(|e| PublishError::Render {
        format: "JSON Feed",
        message: e.to_string(),
    })?;
    out.push(b'\n');
    Ok(out)
}
