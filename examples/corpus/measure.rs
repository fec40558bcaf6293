//! The figures for one page: links found against links wanted, and how the fields
//! of the items found agree with the expected items of the same links.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use url::Url;

use scrapefeed::extract::auto::Choice;
use scrapefeed::extract::{Extraction, image};
use scrapefeed::item::Item;

use crate::set::{self, ExpectedItem, SetPage};

/// The figures for one page.
pub struct Score {
    pub id: String,
    pub items: usize,
    pub precision: f64,
    pub recall: f64,
    pub titles: Option<f64>,
    pub dates: Option<f64>,
    pub authors: Option<f64>,
    pub images: Option<f64>,
    pub gold: Option<(f64, f64)>,
    /// How the cards were found (or why nothing was extracted).
    pub note: String,
    /// Detection only: whether `suggest`'s entry gives exactly the one-line
    /// feed's items (`None` when detection read declared data: the entry is then
    /// the one-line form itself).
    pub entry_matches: Option<Result<(), String>>,
}

impl Score {
    fn failed(id: &str, note: String) -> Score {
        Score {
            id: id.to_owned(),
            items: 0,
            precision: 0.0,
            recall: 0.0,
            titles: None,
            dates: None,
            authors: None,
            images: None,
            gold: None,
            note,
            entry_matches: None,
        }
    }
}

/// Reference mode: the page's reference selectors against its expected items.
pub fn reference(dir: &Path, page: &SetPage) -> Score {
    let run = || -> Result<Score, String> {
        let loaded = page.load(dir)?;
        let extraction = set::extract(&page.reference_feed(&loaded.url)?, &loaded)?;
        let expected = page.expected(dir, &loaded)?;
        Ok(score(
            page,
            &extraction,
            &expected,
            page.gold_links(dir),
            true,
        ))
    };
    run().unwrap_or_else(|e| Score::failed(&page.id, e))
}

/// Detection mode: the page URL only, as a one-line feed; links against the gold
/// list (else the expected items), fields against the expected items. Then the
/// entry `suggest` prints is read back and run, and must give the same items.
pub fn detection(dir: &Path, page: &SetPage) -> Score {
    let run = || -> Result<Score, String> {
        let loaded = page.load(dir)?;
        let expected = page.expected(dir, &loaded)?;
        let extraction = set::extract(&page.one_line_feed(&loaded.url), &loaded)
            .map_err(|e| format!("one-line feed: {e}"))?;
        let mut out = score(page, &extraction, &expected, page.gold_links(dir), false);
        out.entry_matches = match extraction.choice {
            Some(Choice::Cards { .. }) => Some(entry_matches(&loaded, &extraction.items)),
            _ => None,
        };
        Ok(out)
    };
    run().unwrap_or_else(|e| Score::failed(&page.id, e))
}

/// Whether the entry `suggest` prints for the page gives exactly `one_line`.
fn entry_matches(page: &set::Page, one_line: &[Item]) -> Result<(), String> {
    let doc = scrapefeed::extract::parse_document(&page.html);
    let budget = scrapefeed::extract::budget::Budget::page();
    let entry = scrapefeed::suggest::best_entry(&doc, &page.url, set::reading_time(), &budget)
        .ok_or("suggest found no cards")?;
    let feed = scrapefeed::suggest::entry_feed(&entry)?;
    let pasted = set::extract(&feed, page).map_err(|e| format!("the entry fails: {e}"))?;
    if pasted.items == one_line {
        return Ok(());
    }
    let first_difference = pasted
        .items
        .iter()
        .zip(one_line)
        .position(|(a, b)| a != b)
        .unwrap_or(pasted.items.len().min(one_line.len()));
    Err(format!(
        "the entry gives {} items, the one-line feed {}; first difference at item {}",
        pasted.items.len(),
        one_line.len(),
        first_difference + 1
    ))
}

/// Links compared without fragment, trailing slash or host case.
fn normal(link: &str) -> String {
    match Url::parse(link.trim()) {
        Ok(mut url) => {
            url.set_fragment(None);
            url.to_string().trim_end_matches('/').to_owned()
        }
        Err(_) => link.trim().trim_end_matches('/').to_owned(),
    }
}

fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Equal after whitespace normalisation. Some reference items were made by decoding
/// UTF-8 pages without a declared charset as windows-1252 (mojibake such as `â€™`);
/// a title equal to ours read that same wrong way counts as equal, since our UTF-8
/// reading is the right one.
fn same_text(want: &str, got: &str) -> bool {
    let (want, got) = (clean(want), clean(got));
    if want == got {
        return true;
    }
    let (misread, _, _) = encoding_rs::WINDOWS_1252.decode(got.as_bytes());
    // Bytes windows-1252 leaves undefined read as U+FFFD there and as C1 controls here.
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '\u{80}'..='\u{9f}' | '\u{fffd}'))
            .collect::<String>()
    };
    strip(&clean(&misread)) == strip(&want)
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn precision_recall(found: &HashSet<String>, wanted: &HashSet<String>) -> (f64, f64) {
    let hits = found.intersection(wanted).count();
    (ratio(hits, found.len()), ratio(hits, wanted.len()))
}

fn verbose() -> bool {
    std::env::var_os("CORPUS_VERBOSE").is_some()
}

fn score(
    page: &SetPage,
    extraction: &Extraction,
    expected: &[ExpectedItem],
    gold: Option<Vec<String>>,
    reference: bool,
) -> Score {
    let found: HashSet<String> = extraction
        .items
        .iter()
        .map(|i| normal(i.link.as_str()))
        .collect();
    let wanted: HashSet<String> = expected
        .iter()
        .filter_map(|i| i.link.as_deref())
        .map(normal)
        .collect();
    let gold_set: Option<HashSet<String>> = gold.map(|g| g.iter().map(|l| normal(l)).collect());
    let target = gold_set.as_ref().filter(|_| !reference).unwrap_or(&wanted);
    if verbose() {
        for missed in target.difference(&found) {
            eprintln!("{}: missed {missed}", page.id);
        }
        for extra in found.difference(target) {
            eprintln!("{}: extra {extra}", page.id);
        }
    }
    let (precision, recall) = precision_recall(&found, target);
    // One link can stand twice on a page with two titles; either counts.
    let mut by_link: BTreeMap<String, Vec<&ExpectedItem>> = BTreeMap::new();
    for want in expected {
        if let Some(link) = want.link.as_deref() {
            by_link.entry(normal(link)).or_default().push(want);
        }
    }
    let matched: Vec<(&Item, &Vec<&ExpectedItem>)> = extraction
        .items
        .iter()
        .filter_map(|i| by_link.get(&normal(i.link.as_str())).map(|w| (i, w)))
        .collect();
    // Titles: of the items found that the reference also has.
    let mut compared = 0;
    let mut same_titles = 0;
    for (item, wants) in &matched {
        let titles: Vec<&str> = wants.iter().filter_map(|w| w.title.as_deref()).collect();
        if let Some(want) = titles.first() {
            compared += 1;
            let same = titles.iter().any(|want| same_text(want, &item.title));
            same_titles += usize::from(same);
            if !same && verbose() {
                eprintln!("{}: title {:?} expected {:?}", page.id, item.title, want);
            }
        }
    }
    // Dates, authors, images: of the items found whose reference item shows one,
    // the share that has one (a usable image, for images).
    let coverage = |shows: fn(&ExpectedItem) -> bool, has: &dyn Fn(&Item) -> bool| {
        let relevant: Vec<&&Item> = matched
            .iter()
            .filter(|(_, w)| w.iter().any(|w| shows(w)))
            .map(|(i, _)| i)
            .collect();
        let any = expected.iter().any(shows);
        any.then(|| ratio(relevant.iter().filter(|i| has(i)).count(), relevant.len()))
    };
    let usable =
        |u: &Url| matches!(u.scheme(), "http" | "https") && !image::is_placeholder(u.as_str());
    let dates = if reference {
        // The reference selectors' own date coverage, over all items.
        let dated = extraction.items.iter().filter(|i| i.date.is_some()).count();
        expected
            .iter()
            .any(|i| i.date.is_some())
            .then(|| ratio(dated, extraction.items.len()))
    } else {
        coverage(|w| w.date.is_some(), &|i| i.date.is_some())
    };
    Score {
        id: page.id.clone(),
        items: extraction.items.len(),
        precision,
        recall,
        titles: (compared > 0).then(|| ratio(same_titles, compared)),
        dates,
        authors: coverage(|w| w.author.is_some(), &|i| i.author.is_some()),
        images: coverage(|w| w.image.is_some(), &|i| {
            i.image.as_ref().is_some_and(usable)
        }),
        gold: gold_set.map(|g| precision_recall(&found, &g)),
        note: extraction.card_source.clone(),
        entry_matches: None,
    }
}
