//! `preview`: what a feed would get from its page right now, written nowhere — as a
//! table (date, title, link), in `--long` form (author, image and summary too), or as
//! JSON for scripts (every item, every field).

use std::fmt::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::extract::Extraction;
use crate::extract::detect::CONFIDENCE_FLOOR;
use crate::extract::page_feeds;
use crate::item::{Item, Summary};

/// How `preview` shows the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// One line per item: date, title, link.
    Table,
    /// A block per item: also author, image and summary.
    Long,
}

/// The items as text, at most `limit` of them.
pub fn text(extraction: &Extraction, form: Form, limit: usize) -> String {
    let mut out = String::new();
    if !extraction.page_feeds.is_empty() {
        let _ = writeln!(out, "{}", page_feeds::describe(&extraction.page_feeds));
    }
    if extraction.unsure {
        let _ = writeln!(
            out,
            "unsure: detection found no article list it trusts (confidence below {:.2}); this is its best guess, which a one-line feed does not publish. Check it, then set `items` (`scrapefeed suggest URL` prints an entry).\n",
            CONFIDENCE_FLOOR
        );
    }
    let _ = writeln!(
        out,
        "{} item(s) from {} card(s) — cards: {}{}",
        extraction.items.len(),
        extraction.cards,
        extraction.card_source,
        if extraction.skipped > 0 {
            format!(", {} skipped (no title or link)", extraction.skipped)
        } else {
            String::new()
        }
    );
    match form {
        Form::Table => {
            let _ = writeln!(out, "{:<17}  {:<60}  LINK", "DATE", "TITLE");
            for item in extraction.items.iter().take(limit) {
                let _ = writeln!(
                    out,
                    "{:<17}  {:<60}  {}",
                    date(item),
                    clip(&item.title, 60),
                    item.link
                );
            }
        }
        Form::Long => {
            for item in extraction.items.iter().take(limit) {
                long_item(&mut out, item);
            }
        }
    }
    if extraction.items.len() > limit {
        let _ = writeln!(
            out,
            "… and {} more (--limit N shows more)",
            extraction.items.len() - limit
        );
    }
    if !extraction.unparsed_dates.is_empty() {
        let _ = writeln!(
            out,
            "note: {} date(s) not understood, e.g. {:?} (set `date_format`, or the first-seen time is used)",
            extraction.unparsed_dates.len(),
            extraction.unparsed_dates[0]
        );
    }
    if form == Form::Table && !extraction.items.is_empty() {
        let _ = writeln!(
            out,
            "(--long shows authors, images and summaries; --json everything)"
        );
    }
    out
}

/// One item as a block: its title line, then each field it has on a line of its own.
fn long_item(out: &mut String, item: &Item) {
    let _ = writeln!(out, "\n{}  {}", date(item), item.title);
    let _ = writeln!(out, "  link     {}", item.link);
    if let Some(author) = &item.author {
        let _ = writeln!(out, "  author   {author}");
    }
    if let Some(image) = &item.image {
        let _ = writeln!(out, "  image    {image}");
    }
    match &item.summary {
        Some(Summary::Text(text)) => wrap(out, "summary", text),
        Some(Summary::Html(html)) => wrap(out, "summary", &format!("(HTML) {html}")),
        None => {}
    }
}

/// Writes `text` after a `label`, wrapped on spaces at 88 columns, indented under it.
fn wrap(out: &mut String, label: &str, text: &str) {
    const WIDTH: usize = 88;
    let indent = 11;
    let mut line = format!("  {label:<8} ");
    let mut empty = true;
    for word in text.split_whitespace() {
        if !empty && line.chars().count() + 1 + word.chars().count() > WIDTH {
            let _ = writeln!(out, "{line}");
            line = " ".repeat(indent);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(word);
        empty = false;
    }
    let _ = writeln!(out, "{line}");
}

/// The whole preview for scripts (`--json`): every item, with every field.
#[derive(Debug, Serialize)]
pub struct Report<'a> {
    /// The URL the page's links were resolved against.
    pub url: &'a str,
    /// The feeds the page declares itself (it may not need scrapefeed).
    pub page_feeds: Vec<PageFeedReport<'a>>,
    /// The cards are detection's unsure guess: a one-line feed does not publish them.
    pub unsure: bool,
    pub cards: usize,
    pub cards_from: &'a str,
    pub skipped: usize,
    pub filtered: usize,
    pub duplicates: usize,
    pub unparsed_dates: &'a [String],
    pub items: Vec<ItemReport<'a>>,
}

/// One feed the page declares, in `--json`.
#[derive(Debug, Serialize)]
pub struct PageFeedReport<'a> {
    pub format: &'a str,
    pub url: &'a str,
    pub title: Option<&'a str>,
}

/// One item in `--json`.
#[derive(Debug, Serialize)]
pub struct ItemReport<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub link: &'a str,
    /// The page's date; `null` when the page shows none (the feed uses first-seen).
    pub date: Option<DateTime<Utc>>,
    pub author: Option<&'a str>,
    pub image: Option<&'a str>,
    pub summary: Option<&'a str>,
    /// Whether `summary` is (sanitized) HTML rather than text.
    pub summary_html: bool,
}

/// The `--json` form of an extraction from the page at `url`.
pub fn report<'a>(extraction: &'a Extraction, url: &'a str) -> Report<'a> {
    Report {
        url,
        page_feeds: extraction
            .page_feeds
            .iter()
            .map(|f| PageFeedReport {
                format: f.format,
                url: f.url.as_str(),
                title: f.title.as_deref(),
            })
            .collect(),
        unsure: extraction.unsure,
        cards: extraction.cards,
        cards_from: &extraction.card_source,
        skipped: extraction.skipped,
        filtered: extraction.filtered,
        duplicates: extraction.duplicates,
        unparsed_dates: &extraction.unparsed_dates,
        items: extraction
            .items
            .iter()
            .map(|item| ItemReport {
                id: &item.id,
                title: &item.title,
                link: item.link.as_str(),
                date: item.date,
                author: item.author.as_deref(),
                image: item.image.as_ref().map(url::Url::as_str),
                summary: item.summary.as_ref().map(Summary::as_str),
                summary_html: matches!(item.summary, Some(Summary::Html(_))),
            })
            .collect(),
    }
}

fn date(item: &Item) -> String {
    item.date.map_or_else(
        || "(first seen)".to_owned(),
        |d| d.format("%Y-%m-%d %H:%M").to_string(),
    )
}

/// `text` cut to `width` characters, with `…` when it was longer.
pub fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_summaries_wrap_under_their_label() {
        let mut out = String::new();
        wrap(&mut out, "summary", &"word ".repeat(40));
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 1, "{out}");
        assert!(lines[0].starts_with("  summary  word"));
        assert!(lines[1..].iter().all(|l| l.starts_with("           word")));
        assert!(lines.iter().all(|l| l.chars().count() <= 88), "{out}");
    }
}
