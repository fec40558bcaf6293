//! Extraction: the article cards on a page become items.
//!
//! A feed's `items` selector finds the cards (or, without one, detection does); each
//! field rule is evaluated inside its card (`card`), dates are parsed (`date`), images
//! chosen (`image`), summaries cleaned (`summary`) and links made canonical
//! (`canonical`). A card without a title or link is skipped and counted, never fatal;
//! the same article twice on a page is one item. The page is parsed once, within the
//! bounds of `parse` and the time of a `budget`, and never serialised again.

pub mod auto;
pub mod budget;
pub mod canonical;
pub mod card;
pub mod date;
pub mod detect;
pub mod image;
pub mod page_feeds;
pub mod parse;
pub mod summary;
pub mod text;

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Selector};
use url::Url;

use crate::config::{CardSelector, Feed, Fields, FilterField, Read};
use crate::item::Item;
use auto::{Choice, Found};
use budget::{Budget, Exhausted};
use card::CardValues;
use date::DateContext;
use detect::StructuredItem;
use parse::Stop;

/// Why extraction produced nothing usable.
#[derive(Debug, thiserror::Error)]
pub enum ExtractError {
    #[error("feed `{feed}`: no cards match `{selector}` on {url} (did the page change?)")]
    NoCards {
        feed: String,
        url: String,
        selector: String,
    },
    #[error(
        "feed `{feed}`: no article list found on {url}; try `scrapefeed suggest {url}` and set `items`"
    )]
    NothingDetected { feed: String, url: String },
    /// Detection's best guess is below the confidence floor; `guess` is what it
    /// would give (`preview` shows it, a feed does not publish it).
    #[error(
        "feed `{feed}`: no article list found on {url} (the best guess, {} card(s) of `{selector}`, has confidence {confidence:.2}); try `scrapefeed suggest {url}` and set `items`",
        guess.cards
    )]
    Unsure {
        feed: String,
        url: String,
        selector: String,
        confidence: f64,
        guess: Box<Extraction>,
    },
    #[error(
        "feed `{feed}`: {cards} cards matched on {url} but none had both a title and a link ({why})"
    )]
    NoItems {
        feed: String,
        url: String,
        cards: usize,
        why: String,
    },
    #[error(
        "feed `{feed}`: page too complex: {why} on {url} (scrapefeed's bounds for one page; the page is broken or hostile)"
    )]
    TooComplex {
        feed: String,
        url: String,
        why: Stop,
    },
    #[error("feed `{feed}`: abandoned reading {url}: scrapefeed is shutting down")]
    Abandoned { feed: String, url: String },
}

impl ExtractError {
    /// The error for work on `feed`'s page that stopped early.
    pub fn stopped(feed: &Feed, url: &Url, why: Stop) -> ExtractError {
        let (feed, url) = (feed.slug.clone(), url.to_string());
        match why {
            Stop::Budget(Exhausted::Cancelled) => ExtractError::Abandoned { feed, url },
            why => ExtractError::TooComplex { feed, url, why },
        }
    }
}

/// What one page gave.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    pub items: Vec<Item>,
    /// How many cards the card selector matched.
    pub cards: usize,
    /// Cards skipped for lacking a title or a link.
    pub skipped: usize,
    /// Items left out by `include`/`exclude`/`min_title_length`.
    pub filtered: usize,
    /// Cards that repeated an article already found on the page.
    pub duplicates: usize,
    /// Date texts that could not be parsed (the item falls back to first-seen).
    pub unparsed_dates: Vec<String>,
    /// The page's own title, for a feed without a configured title.
    pub page_title: Option<String>,
    /// The page's language (`<html lang>`), for the feed's.
    pub language: Option<String>,
    /// How the cards were found: the selector, or the detection used.
    pub card_source: String,
    /// For a feed without `items`: what detection chose, to remember.
    pub choice: Option<Choice>,
    /// Elements the page nests deeper than `parse::MAX_DEPTH`, left out.
    pub too_deep: usize,
    /// The feeds the page declares itself (`<link rel="alternate">`).
    pub page_feeds: Vec<page_feeds::PageFeed>,
    /// The cards are detection's guess below its confidence floor: shown by
    /// `preview`, never published.
    pub unsure: bool,
}

/// Everything extraction needs to know about the page besides its HTML.
pub struct PageInfo<'a> {
    /// The final URL of the page (after redirects).
    pub url: &'a Url,
    pub fetched_at: DateTime<Utc>,
}

static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("valid selector"));
static TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("valid selector"));

/// Parses the page and extracts the feed's items, within `budget`.
pub fn extract(
    feed: &Feed,
    html: &str,
    page: &PageInfo,
    remembered: Option<&Choice>,
    budget: &Budget,
) -> Result<Extraction, ExtractError> {
    let parsed = parse::parse_document(html, budget)
        .map_err(|why| ExtractError::stopped(feed, page.url, why))?;
    let mut extraction = extract_document(feed, &parsed.html, page, remembered, budget)?;
    extraction.too_deep = parsed.too_deep;
    Ok(extraction)
}

/// Parses a page within the depth and element bounds but without a deadline, for
/// tools and tests that hold a page in hand; a page past the element limit is cut
/// there. A refresh uses [`extract`], which also fails a page that is too complex.
pub fn parse_document(html: &str) -> Html {
    parse::parse_unlimited(html)
}

/// Extracts from an already parsed document. `remembered` is the detection chosen on
/// an earlier run, for feeds without `items`.
pub fn extract_document(
    feed: &Feed,
    doc: &Html,
    page: &PageInfo,
    remembered: Option<&Choice>,
    budget: &Budget,
) -> Result<Extraction, ExtractError> {
    let base = base_url(doc, page.url);
    let dates = DateContext {
        now: page.fetched_at,
        tz: feed.timezone,
        format: feed.date_format.as_deref(),
    };
    let check = || {
        budget
            .check()
            .map_err(|e| ExtractError::stopped(feed, page.url, e.into()))
    };
    let no_cards = |selector: String| ExtractError::NoCards {
        feed: feed.slug.clone(),
        url: page.url.to_string(),
        selector,
    };
    let (values, fields, card_source, choice) = match &feed.items {
        Some(items) => {
            let cards: Vec<_> = doc.select(&items.selector).collect();
            if cards.is_empty() {
                return Err(no_cards(items.source.clone()));
            }
            let values = read_cards(cards, &feed.fields, &base, &check)?;
            (values, feed.fields.clone(), items.source.clone(), None)
        }
        None => match auto::find(doc, page.url, dates, remembered, budget)
            .map_err(|e| ExtractError::stopped(feed, page.url, e.into()))?
        {
            None => {
                return Err(ExtractError::NothingDetected {
                    feed: feed.slug.clone(),
                    url: page.url.to_string(),
                });
            }
            Some(Found::Cards {
                cards,
                fields,
                choice,
                ..
            }) => {
                check()?;
                let fields = merge_fields(&feed.fields, *fields);
                let values = read_cards(cards, &fields, &base, &check)?;
                (values, fields, choice.describe(), Some(choice))
            }
            Some(Found::Structured { items, choice }) => {
                let values = items.iter().map(|i| declared_values(i, &base)).collect();
                (values, feed.fields.clone(), choice.describe(), Some(choice))
            }
        },
    };
    let values: Vec<CardValues> = values;
    let mut out = Extraction {
        cards: values.len(),
        page_title: page_title(doc),
        language: page_language(doc),
        card_source,
        choice,
        page_feeds: page_feeds::declared(doc, &base),
        ..Extraction::default()
    };
    let ctx = dates;
    let mut seen = HashSet::new();
    let mut missing_title = 0;
    for values in values {
        check()?;
        let (Some(title), Some(link)) = (values.title.as_deref(), values.link.as_ref()) else {
            out.skipped += 1;
            missing_title += usize::from(values.title.is_none());
            continue;
        };
        let date = values.date.as_deref().and_then(|text| {
            let parsed = date::parse_date(text, &ctx);
            if parsed.is_none() {
                out.unparsed_dates.push(text.to_owned());
            }
            parsed
        });
        let id = values.id.as_deref().map_or_else(
            || canonical::canonical_link(link).to_string(),
            |id| id.chars().take(text::ID_MAX).collect(),
        );
        if !seen.insert(id.clone()) {
            out.duplicates += 1;
            continue;
        }
        let item = Item {
            id,
            title: text::truncate(title, text::TITLE_MAX),
            link: canonical::published_link(link),
            date,
            summary: values.summary.as_deref().and_then(|s| {
                summary::summary(s, fields.summary.as_ref(), &base, feed.summary_length)
            }),
            author: values
                .author
                .as_deref()
                .map(|a| text::truncate(text::byline_name(a), text::AUTHOR_MAX)),
            image: values.image.clone(),
        };
        if keeps(feed, &item) {
            out.items.push(item);
        } else {
            out.filtered += 1;
        }
    }
    if let Some(Choice::Cards {
        items, confidence, ..
    }) = out.choice.clone().filter(Choice::unsure)
    {
        out.unsure = true;
        return Err(ExtractError::Unsure {
            feed: feed.slug.clone(),
            url: page.url.to_string(),
            selector: items,
            confidence,
            guess: Box::new(out),
        });
    }
    if out.items.is_empty() && out.filtered == 0 {
        let why = if missing_title == out.skipped {
            "no title found"
        } else {
            "no link found"
        };
        return Err(ExtractError::NoItems {
            feed: feed.slug.clone(),
            url: page.url.to_string(),
            cards: out.cards,
            why: why.into(),
        });
    }
    Ok(out)
}

/// Configured fields win over detected ones.
fn merge_fields(configured: &Fields, detected: Fields) -> Fields {
    Fields {
        id: configured.id.clone().or(detected.id),
        title: configured.title.clone().or(detected.title),
        link: configured.link.clone().or(detected.link),
        date: configured.date.clone().or(detected.date),
        summary: configured.summary.clone().or(detected.summary),
        author: configured.author.clone().or(detected.author),
        image: configured.image.clone().or(detected.image),
    }
}

/// Reads every card, checking the budget between cards.
fn read_cards(
    cards: Vec<ElementRef<'_>>,
    fields: &Fields,
    base: &Url,
    check: &dyn Fn() -> Result<(), ExtractError>,
) -> Result<Vec<CardValues>, ExtractError> {
    cards
        .into_iter()
        .map(|card| {
            check()?;
            Ok(read_card(card, fields, base))
        })
        .collect()
}

fn read_card(card_el: ElementRef<'_>, fields: &Fields, base: &Url) -> CardValues {
    let mut values = CardValues {
        id: fields
            .id
            .as_ref()
            .and_then(|rule| card::read_string(card_el, rule)),
        title: card::title(card_el, fields.title.as_ref()),
        link: card::link(card_el, fields.link.as_ref(), base),
        date: card::date_text(card_el, fields.date.as_ref()),
        summary: fields
            .summary
            .as_ref()
            .and_then(|rule| card::read_summary(card_el, rule)),
        author: fields
            .author
            .as_ref()
            .and_then(|rule| card::read_string(card_el, rule)),
        image: card::image(card_el, fields.image.as_ref(), base),
    };
    apply_templates(&mut values, fields);
    values
}

/// An article the page declares in structured data, as card values. Declared texts
/// often carry entities or markup: their text is taken.
fn declared_values(item: &StructuredItem, base: &Url) -> CardValues {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(text::text_of_html)
            .filter(|s| !s.is_empty())
    };
    CardValues {
        id: None,
        title: Some(text::text_of_html(&item.title)).filter(|s| !s.is_empty()),
        link: card::resolve_link(&item.link, base),
        date: clean(&item.date),
        summary: clean(&item.summary),
        author: clean(&item.author),
        image: item
            .image
            .as_deref()
            .and_then(|i| image::image_from_value(i, base)),
    }
}

/// Fills `{title}`, `{link}`, `{date}`, `{summary}`, `{author}` and `{value}` in templates.
/// An HTML summary fills a plain-text field with its text.
fn apply_templates(values: &mut CardValues, fields: &Fields) {
    let snapshot = values.clone();
    let html_summary = fields
        .summary
        .as_ref()
        .is_some_and(|r| r.read == Read::Html);
    let summary_text = snapshot.summary.as_deref().map(|s| {
        if html_summary {
            text::text_of_html(s)
        } else {
            s.to_owned()
        }
    });
    let fill = |template: &str, own: Option<&str>, summary: Option<&str>| -> String {
        let link = snapshot.link.as_ref().map(Url::to_string);
        let mut out = template.to_owned();
        for (name, value) in [
            ("title", snapshot.title.as_deref()),
            ("link", link.as_deref()),
            ("date", snapshot.date.as_deref()),
            ("summary", summary),
            ("author", snapshot.author.as_deref()),
            ("value", own),
        ] {
            out = out.replace(&format!("{{{name}}}"), value.unwrap_or(""));
        }
        text::clean(&out)
    };
    let template_of =
        |rule: &Option<crate::config::FieldRule>| rule.as_ref().and_then(|r| r.template.clone());
    let text = summary_text.as_deref();
    let markup = snapshot.summary.as_deref();
    if let Some(t) = template_of(&fields.title) {
        values.title = Some(fill(&t, snapshot.title.as_deref(), text)).filter(|s| !s.is_empty());
    }
    if let Some(t) = template_of(&fields.summary) {
        values.summary = Some(fill(&t, markup, markup)).filter(|s| !s.is_empty());
    }
    if let Some(t) = template_of(&fields.author) {
        values.author = Some(fill(&t, snapshot.author.as_deref(), text)).filter(|s| !s.is_empty());
    }
    if let Some(t) = template_of(&fields.id) {
        values.id = Some(fill(&t, snapshot.id.as_deref(), text)).filter(|s| !s.is_empty());
    }
}

/// `include`, `exclude` and `min_title_length`.
fn keeps(feed: &Feed, item: &Item) -> bool {
    if item.title.chars().count() < feed.min_title_length {
        return false;
    }
    let field = |f: FilterField| -> String {
        match f {
            FilterField::Title => item.title.clone(),
            FilterField::Link => item.link.to_string(),
            FilterField::Summary => item
                .summary
                .as_ref()
                .map_or_else(String::new, |s| s.as_str().to_owned()),
            FilterField::Author => item.author.clone().unwrap_or_default(),
        }
    };
    let included = feed.include.is_empty()
        || feed
            .include
            .iter()
            .any(|f| f.regex.is_match(&field(f.field)));
    included
        && !feed
            .exclude
            .iter()
            .any(|f| f.regex.is_match(&field(f.field)))
}

/// The page's declared language, when it is a plausible language tag (`en`, `de-DE`).
fn page_language(doc: &Html) -> Option<String> {
    let lang = doc.root_element().value().attr("lang")?.trim();
    let plausible = !lang.is_empty()
        && lang.len() <= 35
        && lang.split('-').all(|part| {
            !part.is_empty() && part.len() <= 8 && part.chars().all(|c| c.is_ascii_alphanumeric())
        });
    plausible.then(|| lang.to_owned())
}

/// Relative links resolve against `<base href>` (itself resolved against the page
/// URL) when it is an http(s) URL; any other base (`file:`, `data:`, `javascript:`)
/// is ignored.
pub fn base_url(doc: &Html, page_url: &Url) -> Url {
    doc.select(&BASE)
        .next()
        .and_then(|base| base.value().attr("href"))
        .and_then(|href| page_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .unwrap_or_else(|| page_url.clone())
}

/// The page's `<title>` as plain text: sites that put markup in it by mistake get
/// its text (it becomes the feed's title and description).
fn page_title(doc: &Html) -> Option<String> {
    let mut raw = String::new();
    text::visible_text(doc.select(&TITLE).next()?, &mut raw, 16 * text::TITLE_MAX);
    Some(text::truncate(&text::text_of_html(&raw), text::TITLE_MAX)).filter(|t| !t.is_empty())
}

/// A card selector compiled from text, for detection results.
pub fn card_selector(source: &str) -> Option<CardSelector> {
    Selector::parse(source).ok().map(|selector| CardSelector {
        source: source.to_owned(),
        selector,
    })
}

#[cfg(test)]
mod tests;
