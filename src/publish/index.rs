//! `index.html`: the page a person opens at `base_url` — every feed with its title,
//! source page, subscribe links per format, item count, last change and health, and
//! `<link rel="alternate">` tags so browsers and readers discover every feed.
//!
//! One self-contained file: the style sheet is inline, there is no script and no
//! external asset, and it reads on a phone (one column, large tap targets). Every
//! value from a page, the store or feeds.yaml is escaped where it is written
//! (`esc`); links to feed files are relative, so the page works wherever the folder is
//! served. Times are absolute (UTC): a relative "3 hours ago" would change the page on
//! every write.

use std::fmt::Write;

use chrono::{DateTime, Utc};

use super::site::{Listing, OPML_FILE, Site};
use crate::extract::text::escape as esc;
use crate::health::{Health, Streak};

const STYLE: &str = include_str!("index.css");

pub fn render(site: &Site) -> Vec<u8> {
    let mut page = String::with_capacity(4096 + site.feeds.len() * 1024);
    let title = match &site.base_url {
        Some(base) => format!("Feeds at {}", base.host_str().unwrap_or("this site")),
        None => "Feeds".to_owned(),
    };
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<meta name=\"generator\" content=\"scrapefeed {}\">",
        env!("CARGO_PKG_VERSION")
    );
    let _ = writeln!(page, "<title>{}</title>", esc(&title));
    for feed in &site.feeds {
        for (format, file) in &feed.files {
            let _ = writeln!(
                page,
                "<link rel=\"alternate\" type=\"{}\" title=\"{} ({})\" href=\"{}\">",
                format.media_type(),
                esc(&feed.title),
                format.label(),
                esc(file)
            );
        }
    }
    let _ = writeln!(page, "<style>\n{STYLE}</style>\n</head>\n<body>");
    header(&mut page, site, &title);
    page.push_str("<main>\n<ul class=\"feeds\">\n");
    for feed in &site.feeds {
        card(&mut page, feed);
    }
    page.push_str("</ul>\n</main>\n");
    let _ = writeln!(
        page,
        "<footer>Made by scrapefeed {} from the pages linked above.</footer>\n</body>\n</html>",
        env!("CARGO_PKG_VERSION")
    );
    page.into_bytes()
}

fn header(page: &mut String, site: &Site, title: &str) {
    let count = |label: &str| {
        site.feeds
            .iter()
            .filter(|f| f.health.label() == label)
            .count()
    };
    let mut parts = vec![plural(site.feeds.len(), "feed")];
    for label in ["ok", "failing", "stale", "new"] {
        let n = count(label);
        if n > 0 {
            parts.push(format!("<span class=\"count {label}\">{n} {label}</span>"));
        }
    }
    let _ = writeln!(
        page,
        "<header>\n<h1>{}</h1>\n<p class=\"tally\">{}</p>",
        esc(title),
        parts.join(" · ")
    );
    if site.has_opml() {
        let _ = writeln!(
            page,
            "<p class=\"all\"><a class=\"button\" href=\"{OPML_FILE}\" type=\"text/x-opml\">All feeds (OPML)</a> <span>import every feed into your reader at once</span></p>"
        );
    }
    page.push_str("</header>\n");
}

fn card(page: &mut String, feed: &Listing) {
    let _ = writeln!(
        page,
        "<li class=\"feed {}\" id=\"feed-{}\">\n<div class=\"heading\"><h2>{}</h2>{}</div>",
        feed.health.label(),
        esc(&feed.slug),
        esc(&feed.title),
        badge(&feed.health)
    );
    let _ = writeln!(
        page,
        "<p class=\"source\"><span class=\"slug\">{}</span> · from <a href=\"{}\">{}</a></p>",
        esc(&feed.slug),
        esc(feed.page_url.as_str()),
        esc(&short_url(&feed.page_url))
    );
    if feed.files.is_empty() {
        page.push_str("<p class=\"subscribe none\">Not published yet.</p>\n");
    } else {
        page.push_str("<p class=\"subscribe\">");
        for (format, file) in &feed.files {
            let _ = write!(
                page,
                "<a class=\"button\" href=\"{}\" type=\"{}\">{}</a> ",
                esc(file),
                format.media_type(),
                format.label()
            );
        }
        page.push_str("</p>\n");
    }
    page.push_str("<dl class=\"facts\">");
    if !feed.files.is_empty() {
        let _ = write!(page, "<div><dt>Items</dt><dd>{}</dd></div>", feed.items);
    }
    if let Some(changed) = feed.last_change {
        let _ = write!(
            page,
            "<div><dt>Last change</dt><dd>{}</dd></div>",
            time(changed)
        );
    }
    page.push_str("</dl>\n");
    if let Some(streak) = feed.health.streak() {
        problem(page, feed, streak);
    }
    page.push_str("</li>\n");
}

fn badge(health: &Health) -> String {
    format!("<span class=\"health {0}\">{0}</span>", health.label())
}

/// What is wrong, since when, and what readers get meanwhile; then the last error.
/// (Not the number of failures: it would rewrite the page on every failed run.)
fn problem(page: &mut String, feed: &Listing, streak: &Streak) {
    let state = match (&feed.health, streak.last_success) {
        (Health::Stale(_), Some(success)) => format!(
            "Stale: no success since {}, failing since {}. Readers are missing new items.",
            time(success),
            time(streak.since)
        ),
        (Health::Stale(_), None) => format!(
            "Stale: failing since {} and never published.",
            time(streak.since)
        ),
        _ if feed.files.is_empty() => format!(
            "Failing since {}; nothing published yet.",
            time(streak.since)
        ),
        _ => format!(
            "Failing since {}; its last good files are still served.",
            time(streak.since)
        ),
    };
    let _ = writeln!(
        page,
        "<div class=\"problem\"><p>{state}</p><p class=\"error\"><code>{}</code></p></div>",
        esc(&streak.error)
    );
}

/// A `<time>` element with the instant in UTC, to the minute.
fn time(at: DateTime<Utc>) -> String {
    format!(
        "<time datetime=\"{}\">{}</time>",
        at.format("%Y-%m-%dT%H:%M:%SZ"),
        at.format("%Y-%m-%d %H:%M UTC")
    )
}

fn plural(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// The page's address as people read it: host and path, no scheme or query.
fn short_url(url: &url::Url) -> String {
    match url.host_str() {
        Some(host) => format!("{}{}", host.trim_start_matches("www."), url.path()),
        None => url.to_string(),
    }
}
