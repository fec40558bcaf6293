//! Feeds a page declares itself: `<link rel="alternate" type="application/rss+xml">`
//! (or Atom, or JSON Feed) in its head.
//!
//! A page that has its own feed may not need scrapefeed at all, so `suggest` and
//! `preview` name these first. The links are read as a browser or feed reader
//! discovers them: `rel` holds `alternate`, the type is one of the three feed
//! types, `href` resolves against the page's base to an http(s) URL.

use std::sync::LazyLock;

use scraper::{Html, Selector};
use url::Url;

use super::text;

/// One feed the page links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageFeed {
    /// `RSS`, `Atom` or `JSON Feed`.
    pub format: &'static str,
    pub url: Url,
    /// The link's `title`, when it has one.
    pub title: Option<String>,
}

/// Most declared feeds listed (a page linking hundreds is not listing its feed).
const MAX_FEEDS: usize = 8;
/// Longest title kept for a declared feed, in characters.
const TITLE_MAX: usize = 120;

static ALTERNATE: LazyLock<Selector> = LazyLock::new(|| {
    Selector::parse(r#"link[rel~="alternate" i][type][href]"#).expect("valid selector")
});

/// The feeds `doc` declares, in page order, without repeats; links resolve
/// against `base` (the page's `<base href>` or URL).
pub fn declared(doc: &Html, base: &Url) -> Vec<PageFeed> {
    let mut out: Vec<PageFeed> = Vec::new();
    for link in doc.select(&ALTERNATE) {
        let el = link.value();
        let kind = el.attr("type").unwrap_or_default();
        let Some(format) = format_of(kind) else {
            continue;
        };
        let Some(url) = el
            .attr("href")
            .and_then(|href| base.join(href.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https"))
        else {
            continue;
        };
        if out.iter().any(|f| f.url == url) {
            continue;
        }
        let title = el
            .attr("title")
            .map(|t| text::truncate(&text::clean(t), TITLE_MAX))
            .filter(|t| !t.is_empty());
        out.push(PageFeed { format, url, title });
        if out.len() == MAX_FEEDS {
            break;
        }
    }
    out
}

/// The feed format a `type` attribute names (parameters such as `charset` and
/// case ignored).
fn format_of(kind: &str) -> Option<&'static str> {
    let essence = kind.split(';').next()?.trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/rss+xml" => Some("RSS"),
        "application/atom+xml" => Some("Atom"),
        "application/feed+json" | "application/json+feed" => Some("JSON Feed"),
        _ => None,
    }
}

/// One line per feed, for `suggest` and `preview`: "RSS: URL (title)".
pub fn describe(feeds: &[PageFeed]) -> String {
    let mut out =
        String::from("The page declares its own feed(s); you may not need scrapefeed for it:\n");
    for feed in feeds {
        out.push_str(&format!("  {}: {}", feed.format, feed.url));
        if let Some(title) = &feed.title {
            out.push_str(&format!(" ({title})"));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feeds(head: &str) -> Vec<PageFeed> {
        let doc = Html::parse_document(&format!("<html><head>{head}</head><body></body></html>"));
        declared(
            &doc,
            &Url::parse("https://news.example.com/section/").unwrap(),
        )
    }

    #[test]
    fn rss_atom_and_json_feed_links_are_found_and_resolved() {
        let found = feeds(
            r#"<link rel="alternate" type="application/rss+xml" title="Latest  news" href="/feed.xml">
               <link rel="alternate" type="application/atom+xml; charset=utf-8" href="atom.xml">
               <link rel="ALTERNATE" type="Application/Feed+JSON" href="https://cdn.example.com/feed.json">"#,
        );
        let got: Vec<(&str, &str, Option<&str>)> = found
            .iter()
            .map(|f| (f.format, f.url.as_str(), f.title.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "RSS",
                    "https://news.example.com/feed.xml",
                    Some("Latest news")
                ),
                ("Atom", "https://news.example.com/section/atom.xml", None),
                ("JSON Feed", "https://cdn.example.com/feed.json", None),
            ]
        );
    }

    #[test]
    fn other_links_are_not_feeds() {
        let found = feeds(
            r#"<link rel="alternate" hreflang="de" type="text/html" href="/de/">
               <link rel="stylesheet" type="application/rss+xml" href="/not-alternate.xml">
               <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
               <link rel="alternate" type="application/rss+xml" href="/same.xml">
               <link rel="alternate" type="application/rss+xml" href="/same.xml">"#,
        );
        let urls: Vec<&str> = found.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["https://news.example.com/same.xml"]);
    }
}
