//! An evaluation set on disk: `corpus.yaml` naming saved pages, their page URLs and
//! reference selectors, with the items those selectors give in `expected/<id>.json`
//! and the source projects' own link lists in `gold/`.
//!
//! `../shared/corpus` is one such set. Others (generated pages in
//! `tests/fixtures/detection/`, saved pages kept outside the repository) may leave
//! `expected/` out: the expected items are then what the reference selectors extract.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use serde::Deserialize;
use url::Url;

use scrapefeed::config::{CardSelector, Feed, FieldRule, Fields};
use scrapefeed::extract::{self, Extraction, PageInfo};
use scrapefeed::fetch::charset;

#[derive(Deserialize)]
pub struct Set {
    pub pages: Vec<SetPage>,
}

#[derive(Deserialize)]
pub struct SetPage {
    pub id: String,
    pub file: String,
    pub page_url: String,
    /// The reference selectors (a set whose items are all in `expected/` may
    /// leave them out; reference mode then has nothing to run).
    #[serde(default)]
    pub cards: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct ExpectedFile {
    items: Vec<ExpectedItem>,
}

/// One item the reference selectors give.
#[derive(Deserialize, Clone)]
pub struct ExpectedItem {
    pub title: Option<String>,
    pub link: Option<String>,
    pub date: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
}

/// A page of the set, decoded and ready to extract from.
pub struct Page {
    pub html: String,
    pub url: Url,
}

/// The moment every page is read at, so relative dates and "no future dates" give
/// the same figures on every run (the newest saved pages are from 2025).
pub fn reading_time() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()
}

impl Set {
    pub fn read(dir: &Path) -> Result<Set, String> {
        let path = dir.join("corpus.yaml");
        std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))
            .and_then(|t| {
                serde_saphyr::from_str(&t).map_err(|e| format!("{}: {e}", path.display()))
            })
    }
}

impl SetPage {
    pub fn load(&self, dir: &Path) -> Result<Page, String> {
        let bytes =
            std::fs::read(dir.join(&self.file)).map_err(|e| format!("cannot read page: {e}"))?;
        Ok(Page {
            html: charset::decode_page(&bytes, None).text,
            url: Url::parse(&self.page_url).map_err(|e| format!("page_url: {e}"))?,
        })
    }

    /// A one-line feed for the page: its URL only.
    pub fn one_line_feed(&self, url: &Url) -> Feed {
        let mut feed = Feed::adhoc(url.clone());
        feed.slug = self.id.to_ascii_lowercase().replace('.', "-");
        feed
    }

    /// The feed the reference selectors describe.
    pub fn reference_feed(&self, url: &Url) -> Result<Feed, String> {
        let (items, fields) = reference_rules(&self.cards)?;
        let mut feed = self.one_line_feed(url);
        feed.items = Some(items);
        feed.fields = fields;
        Ok(feed)
    }

    /// The items the reference selectors give: `expected/<id>.json` when the set
    /// has it, else what scrapefeed extracts with them.
    pub fn expected(&self, dir: &Path, page: &Page) -> Result<Vec<ExpectedItem>, String> {
        let file = dir.join("expected").join(format!("{}.json", self.id));
        if let Ok(text) = std::fs::read_to_string(&file) {
            let parsed: ExpectedFile =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            return Ok(parsed.items);
        }
        let extraction = extract(&self.reference_feed(&page.url)?, page)?;
        Ok(extraction
            .items
            .into_iter()
            .map(|item| ExpectedItem {
                title: Some(item.title),
                link: Some(item.link.to_string()),
                date: item.date.map(|d| d.to_rfc3339()),
                author: item.author,
                image: item.image.map(|u| u.to_string()),
            })
            .collect())
    }

    /// The source project's own ordered link list, where it published one.
    pub fn gold_links(&self, dir: &Path) -> Option<Vec<String>> {
        let file: PathBuf = dir
            .join("gold")
            .join(format!("{}.expected-links.json", self.id));
        serde_json::from_str(&std::fs::read_to_string(file).ok()?).ok()
    }
}

/// Extracts a page with a feed, at [`reading_time`].
pub fn extract(feed: &Feed, page: &Page) -> Result<Extraction, String> {
    extract::extract(
        feed,
        &page.html,
        &PageInfo {
            url: &page.url,
            fetched_at: reading_time(),
        },
        None,
        &extract::budget::Budget::page(),
    )
    .map_err(|e| e.to_string())
}

/// The reference selectors as scrapefeed rules (`@self` is `:scope`; `+tr X` is the
/// next-sibling form `+ X`; `date_attr`/`image_attr` become `@attr`).
fn reference_rules(cards: &BTreeMap<String, String>) -> Result<(CardSelector, Fields), String> {
    let items = cards.get("item").ok_or("no item selector")?;
    let items =
        extract::card_selector(items).ok_or_else(|| format!("invalid item selector {items}"))?;
    let rule = |name: &str, attr: Option<&str>| -> Result<Option<FieldRule>, String> {
        let Some(selector) = cards.get(name) else {
            return Ok(None);
        };
        let selector = selector.trim();
        let selector = match selector.strip_prefix("+tr") {
            Some(rest) => format!("+ {}", rest.trim()),
            None if selector == "@self" => ":scope".to_owned(),
            None => selector.to_owned(),
        };
        let text = match attr.and_then(|a| cards.get(a)) {
            Some(attr) => format!("{selector}@{attr}"),
            None => selector,
        };
        FieldRule::parse(&text).map(Some)
    };
    let fields = Fields {
        title: rule("title", None)?,
        link: rule("link", None)?,
        date: rule("date", Some("date_attr"))?,
        summary: rule("teaser", None)?,
        author: rule("author", None)?,
        image: rule("image", Some("image_attr"))?,
        id: None,
    };
    Ok((items, fields))
}
