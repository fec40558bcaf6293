//! A feed's fingerprint: a digest of every configured value that decides what the
//! feed's files show from a given page. The store keeps it with the feed's HTTP
//! validators; when it changes, the validators are dropped, so a changed selector,
//! filter or title is never answered by a `304 Not Modified` that would keep the files
//! made with the old configuration. (A remembered detection depends on the page only,
//! and is dropped when the URL changes.)
//!
//! The values go into [`crate::digest`] by name (`url`, `items`, `fields.title.select`,
//! …) as checked from feeds.yaml, so the fingerprint changes exactly when one of them
//! does — not when the program's types or their `Debug` output do. The schedule,
//! `keep`-style store settings and request settings are not covered: they change when
//! or how a page is fetched, not what its files show.

use url::Url;

use super::raw::{RawField, RawFields, Text};
use super::{Feed, FilterField};
use crate::digest::Digest;

/// The fingerprint of `feed`, whose field rules were written as `fields`, published
/// at `base_url`.
pub(super) fn of(feed: &Feed, fields: &RawFields, base_url: Option<&Url>) -> String {
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let mut digest = Digest::new()
        .field("url", feed.url.as_str())
        .field(
            "items",
            feed.items.as_ref().map_or("", |i| i.source.as_str()),
        )
        .field("date_format", feed.date_format.as_deref().unwrap_or(""))
        .field("timezone", feed.timezone.name())
        .field("title", feed.title.as_deref().unwrap_or(""))
        .field("description", feed.description.as_deref().unwrap_or(""))
        .field("base_url", base_url.map_or("", Url::as_str))
        .text("max_items")
        .number(count(feed.max_items))
        .text("summary_length")
        .number(count(feed.summary_length))
        .text("min_title_length")
        .number(count(feed.min_title_length))
        .text("formats");
    for format in &feed.formats {
        digest = digest.text(format.extension());
    }
    for (list, filters) in [("include", &feed.include), ("exclude", &feed.exclude)] {
        for filter in filters {
            let field = match filter.field {
                FilterField::Title => "title",
                FilterField::Link => "link",
                FilterField::Summary => "summary",
                FilterField::Author => "author",
            };
            digest = digest.text(list).field(field, filter.regex.as_str());
        }
    }
    for (name, field) in [
        ("id", &fields.id),
        ("title", &fields.title),
        ("link", &fields.link),
        ("date", &fields.date),
        ("summary", &fields.summary),
        ("author", &fields.author),
        ("image", &fields.image),
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
            fn text(t: &Option<Text>) -> &str {
                t.as_ref().map_or("", |t| t.value.as_str())
            }
            let html = full.html.as_ref().is_some_and(|h| h.value);
            let (pattern, with) = full.replace.as_ref().map_or(("", ""), |r| {
                (
                    r.value.pattern.value.0.as_str(),
                    r.value.with.as_ref().map_or("", |w| w.value.as_str()),
                )
            });
            let digest = digest
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
                .field("template", text(&full.template));
            // Only when given, so fingerprints from before `skip` existed hold.
            match &full.skip {
                Some(skip) => digest.field("skip", &skip.value),
                None => digest,
            }
        }
    }
}
