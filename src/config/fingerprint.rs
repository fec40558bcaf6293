//! A feed's fingerprint: a digest of the configured values that decide what is read
//! from its page. The store keeps it with the feed's HTTP validators; when it changes,
//! the validators are dropped, so a changed selector is never answered by a
//! `304 Not Modified` that would keep the files from the old selectors.
//!
//! The values go into [`crate::digest`] by name (`url`, `items`, `fields.title.select`,
//! …), each as written in feeds.yaml once checked, so the fingerprint changes exactly
//! when one of them does — not when the program's types or their `Debug` output do.

use url::Url;

use super::raw::{RawField, RawFields};
use crate::digest::Digest;

/// The values of one feed that the fingerprint covers.
pub(super) struct Covered<'a> {
    pub url: &'a Url,
    pub items: Option<&'a str>,
    pub fields: &'a RawFields,
    pub date_format: Option<&'a str>,
}

pub(super) fn of(feed: &Covered) -> String {
    let mut digest = Digest::new()
        .field("url", feed.url.as_str())
        .field("items", feed.items.unwrap_or(""))
        .field("date_format", feed.date_format.unwrap_or(""));
    let f = feed.fields;
    for (name, field) in [
        ("id", &f.id),
        ("title", &f.title),
        ("link", &f.link),
        ("date", &f.date),
        ("summary", &f.summary),
        ("author", &f.author),
        ("image", &f.image),
    ] {
        if let Some(field) = field {
            digest = rule(digest, name, &field.value);
        }
    }
    digest.hex()
}

/// One field rule, part by part.
fn rule(digest: Digest, name: &str, field: &RawField) -> Digest {
    let digest = digest.text("fields").text(name);
    match field {
        RawField::Short(text) => digest.field("short", text),
        RawField::Full(full) => {
            fn text(t: &Option<super::raw::Text>) -> &str {
                t.as_ref().map_or("", |t| t.value.as_str())
            }
            let html = full.html.as_ref().is_some_and(|h| h.value);
            let (pattern, with) = full.replace.as_ref().map_or(("", ""), |r| {
                (
                    r.value.pattern.value.0.as_str(),
                    r.value.with.as_ref().map_or("", |w| w.value.as_str()),
                )
            });
            digest
                .field("select", text(&full.select))
                .field("from", text(&full.from))
                .field("attr", text(&full.attr))
                .field("html", if html { "true" } else { "false" })
                .field(
                    "regex",
                    full.regex.as_ref().map_or("", |r| r.value.0.as_str()),
                )
                .field("replace.pattern", pattern)
                .field("replace.with", with)
                .field("template", text(&full.template))
        }
    }
}
