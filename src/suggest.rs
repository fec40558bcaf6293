//! `suggest`: detection shown to the user, as a feeds.yaml entry ready to paste.
//!
//! It prints the best card candidate with explicit selectors (so the user can pin
//! them, or edit them), a preview of the items they give, and the next candidates with
//! their scores, so a wrong guess is easy to see and to correct.

use std::fmt::Write;

use chrono::{DateTime, Utc};
use scraper::Html;
use url::Url;

use crate::config::Feed;
use crate::extract::budget::Budget;
use crate::extract::date::DateContext;
use crate::extract::detect::{self, Candidate, Declared, DetectedFields};
use crate::extract::{self, PageInfo, page_feeds};

/// How many items the preview shows.
const PREVIEW: usize = 5;

/// The whole `suggest` report for a parsed page.
pub fn report(doc: &Html, page_url: &Url, fetched_at: DateTime<Utc>, budget: &Budget) -> String {
    let mut out = String::new();
    let own_feeds = page_feeds::declared(doc, &extract::base_url(doc, page_url));
    if !own_feeds.is_empty() {
        let _ = writeln!(out, "{}", page_feeds::describe(&own_feeds));
    }
    let detection = match detect::detect(doc, page_url, dates(fetched_at), budget) {
        Ok(detection) => detection,
        Err(e) => {
            let _ = writeln!(
                out,
                "Detection stopped on {page_url}: page too complex: {e} (scrapefeed's bounds for one page)."
            );
            return out;
        }
    };
    if let Some(Declared { source, items }) = &detection.declared {
        let _ = writeln!(
            out,
            "The page declares its article list in {source} data ({} items); a one-line entry uses it:\n\n  {}: {page_url}\n",
            items.len(),
            slug_for(page_url)
        );
        if !detection.candidates.is_empty() {
            let _ = writeln!(
                out,
                "To use the page's cards instead, with explicit selectors:\n"
            );
        }
    }
    let Some(best) = detection.candidates.first() else {
        let _ = writeln!(out, "No repeated article cards found on {page_url}.");
        let _ = writeln!(
            out,
            "Look at the page's HTML and set `items` (the card) and `fields` by hand."
        );
        return out;
    };
    let _ = writeln!(
        out,
        "Best candidate: {} card(s), score {:.1}, confidence {:.2}{}",
        best.cards,
        best.score,
        best.confidence,
        if best.confidence < detect::CONFIDENCE_FLOOR {
            " — unsure: a one-line feed does not publish this guess; check the preview and the other candidates, and paste the entry only if it is right"
        } else {
            ""
        }
    );
    if !best.reasons.is_empty() {
        let _ = writeln!(out, "  why: {}", best.reasons.join("; "));
    }
    let entry = entry_yaml(page_url, best);
    let _ = writeln!(out, "\n{entry}");
    let _ = writeln!(out, "Preview:");
    out.push_str(&preview(doc, &entry, page_url, fetched_at, budget));
    let others: Vec<&Candidate> = detection.candidates.iter().skip(1).take(2).collect();
    if !others.is_empty() {
        let _ = writeln!(out, "\nOther candidates:");
        for (rank, other) in others.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. items: {:?} — {} card(s), score {:.1}, confidence {:.2}{}",
                rank + 2,
                other.items,
                other.cards,
                other.score,
                other.confidence,
                other
                    .reasons
                    .first()
                    .map_or_else(String::new, |r| format!(" ({r})"))
            );
        }
    }
    out
}

/// The entry `suggest` proposes for the page's best card candidate, with its
/// selectors spelled out (`None` when no cards were found, or `budget` ran out).
pub fn best_entry(
    doc: &Html,
    page_url: &Url,
    fetched_at: DateTime<Utc>,
    budget: &Budget,
) -> Option<String> {
    let detection = detect::detect(doc, page_url, dates(fetched_at), budget).ok()?;
    detection
        .candidates
        .first()
        .map(|best| entry_yaml(page_url, best))
}

/// The feed an entry printed by `suggest` describes, read as feeds.yaml reads it.
pub fn entry_feed(entry: &str) -> Result<Feed, String> {
    let config = crate::config::parse(
        &format!("feeds:\n{entry}"),
        std::path::Path::new("<suggested entry>"),
    )
    .map_err(|e| e.to_string())?;
    config
        .feeds
        .into_iter()
        .next()
        .ok_or_else(|| "the entry holds no feed".to_owned())
}

/// How `suggest` reads dates: as a new feed would, in UTC and without a format.
fn dates(fetched_at: DateTime<Utc>) -> DateContext<'static> {
    DateContext {
        now: fetched_at,
        tz: chrono_tz::Tz::UTC,
        format: None,
    }
}

/// A feeds.yaml entry with the candidate's selectors spelled out.
pub fn entry_yaml(page_url: &Url, candidate: &Candidate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "  {}:", slug_for(page_url));
    let _ = writeln!(out, "    url: {page_url}");
    let _ = writeln!(out, "    items: {}", quote(&candidate.items));
    let DetectedFields {
        title,
        title_skip,
        link,
        date,
        summary,
        author,
        image,
    } = &candidate.fields;
    let fields = [
        ("title", title),
        ("link", link),
        ("date", date),
        ("summary", summary),
        ("author", author),
        ("image", image),
    ];
    if fields.iter().any(|(_, v)| v.is_some()) {
        let _ = writeln!(out, "    fields:");
        for (name, value) in fields {
            match (value, title_skip) {
                (Some(value), Some(skip)) if name == "title" => {
                    let _ = writeln!(
                        out,
                        "      {name}: {{ select: {}, skip: {} }}",
                        quote(value),
                        quote(skip)
                    );
                }
                (Some(value), _) => {
                    let _ = writeln!(out, "      {name}: {}", quote(value));
                }
                (None, _) => {}
            }
        }
    }
    out
}

/// The items the printed entry gives: the entry is read back as feeds.yaml and
/// run through extraction, so the preview cannot differ from what the pasted
/// entry will publish.
fn preview(
    doc: &Html,
    entry: &str,
    page_url: &Url,
    fetched_at: DateTime<Utc>,
    budget: &Budget,
) -> String {
    let feed = match entry_feed(entry) {
        Ok(feed) => feed,
        Err(e) => return format!("  (the entry does not read back: {e})\n"),
    };
    let page = PageInfo {
        url: page_url,
        fetched_at,
    };
    match extract::extract_document(&feed, doc, &page, None, budget) {
        Ok(extraction) => {
            let mut out = String::new();
            for item in extraction.items.iter().take(PREVIEW) {
                let date = item.date.map_or_else(
                    || "(no date)".to_owned(),
                    |d| d.format("%Y-%m-%d %H:%M").to_string(),
                );
                let _ = writeln!(
                    out,
                    "  {date:<16}  {}\n  {:<16}  {}",
                    item.title, "", item.link
                );
            }
            if extraction.items.len() > PREVIEW {
                let _ = writeln!(out, "  … {} more", extraction.items.len() - PREVIEW);
            }
            out
        }
        Err(e) => format!("  ({e})\n"),
    }
}

static CANONICAL: std::sync::LazyLock<scraper::Selector> = std::sync::LazyLock::new(|| {
    scraper::Selector::parse(r#"link[rel~="canonical"][href], meta[property="og:url"][content]"#)
        .expect("valid selector")
});

/// The URL a saved page declares for itself (`<link rel=canonical>` or `og:url`).
pub fn canonical_url(doc: &Html) -> Option<Url> {
    doc.select(&CANONICAL)
        .filter_map(|el| {
            el.value()
                .attr("href")
                .or_else(|| el.value().attr("content"))
        })
        .find_map(|href| {
            Url::parse(href.trim())
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
        })
}

/// A feed name from the URL: the site's name and the page's last path segment
/// (`https://fortune.com/section/economy/` → `fortune-economy`).
pub fn slug_for(url: &Url) -> String {
    let site = match url.host() {
        Some(url::Host::Domain(host)) => {
            let host = host.trim_start_matches("www.");
            host.split('.').rev().nth(1).unwrap_or(host).to_owned()
        }
        _ => String::new(),
    };
    let last = url
        .path_segments()
        .and_then(|mut s| s.rfind(|s| !s.is_empty()).map(str::to_owned));
    let raw = match last {
        Some(segment) => format!(
            "{site}-{}",
            segment.trim_end_matches(".html").trim_end_matches(".htm")
        ),
        None => site,
    };
    let mut slug = String::new();
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "feed".to_owned()
    } else {
        slug
    }
}

/// A YAML double-quoted scalar.
fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_urls() {
        let slug = |u: &str| slug_for(&Url::parse(u).unwrap());
        assert_eq!(
            slug("https://fortune.com/section/economy/"),
            "fortune-economy"
        );
        assert_eq!(
            slug("https://www.example.co.uk/news/Latest.html"),
            "co-latest"
        );
        assert_eq!(slug("https://blog.example.org/"), "example");
        assert_eq!(
            slug("https://news.ycombinator.com/news"),
            "ycombinator-news"
        );
        assert_eq!(slug("http://127.0.0.1:8080/latest/"), "latest");
        assert_eq!(slug("file:///tmp/saved/page.html"), "page");
    }

    #[test]
    fn entries_quote_selectors() {
        let candidate = Candidate {
            items: r#"li[data-kind="story"]"#.into(),
            fields: DetectedFields {
                title: Some("h3".into()),
                link: Some("a@href".into()),
                ..Default::default()
            },
            score: 1.0,
            confidence: 0.9,
            cards: 3,
            reasons: vec![],
        };
        let yaml = entry_yaml(
            &Url::parse("https://example.org/news/").unwrap(),
            &candidate,
        );
        assert!(
            yaml.contains(r#"items: "li[data-kind=\"story\"]""#),
            "{yaml}"
        );
        let parsed =
            crate::config::parse(&format!("feeds:\n{yaml}"), std::path::Path::new("x.yaml"));
        assert!(parsed.is_ok(), "the entry is valid feeds.yaml: {yaml}");
    }
}
