//! Corpus evaluation: how well extraction and detection do on real saved pages.
//!
//! ```text
//! cargo run --release --example corpus -- ../shared/corpus [--mode reference|detect|all] [--check]
//! ```
//!
//! For every page in `corpus.yaml`, *reference* mode builds a feed from the page's
//! reference selectors and compares the items with `expected/<id>.json` (and the link
//! lists in `gold/`): link recall and precision, title agreement, the share of items
//! with a parsed date (on pages whose cards show one) and with a usable image (on pages
//! that have them). *detect* mode gives the page URL only, as a one-line feed would,
//! and measures automatic detection's links against `gold/` (else `expected/`).
//! With `--check` the exit status is 1 when a target is missed.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use serde::Deserialize;
use url::Url;

use scrapefeed::config::{Feed, FieldRule, Fields};
use scrapefeed::extract::{self, Extraction, PageInfo};
use scrapefeed::fetch::charset;

#[derive(Deserialize)]
struct Corpus {
    pages: Vec<CorpusPage>,
}

#[derive(Deserialize)]
struct CorpusPage {
    id: String,
    file: String,
    page_url: String,
    cards: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Expected {
    items: Vec<ExpectedItem>,
}

#[derive(Deserialize)]
struct ExpectedItem {
    title: Option<String>,
    link: Option<String>,
    date: Option<String>,
    image: Option<String>,
}

/// The figures for one page.
struct Score {
    id: String,
    items: usize,
    precision: f64,
    recall: f64,
    titles: Option<f64>,
    dates: Option<f64>,
    images: Option<f64>,
    gold: Option<(f64, f64)>,
    note: String,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(
        args.iter()
            .find(|a| !a.starts_with("--") && !matches!(a.as_str(), "reference" | "detect" | "all"))
            .map_or("../shared/corpus", String::as_str),
    );
    let mode = args
        .iter()
        .position(|a| a == "--mode")
        .and_then(|i| args.get(i + 1))
        .map_or("all", String::as_str);
    let check = args.iter().any(|a| a == "--check");
    let corpus: Corpus = match std::fs::read_to_string(dir.join("corpus.yaml"))
        .map_err(|e| e.to_string())
        .and_then(|t| serde_saphyr::from_str(&t).map_err(|e| e.to_string()))
    {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("cannot read {}: {e}", dir.join("corpus.yaml").display());
            return ExitCode::from(2);
        }
    };
    let mut ok = true;
    if matches!(mode, "reference" | "all") {
        let scores: Vec<Score> = corpus
            .pages
            .iter()
            .map(|p| evaluate(&dir, p, true))
            .collect();
        print_reference(&scores);
        ok &= reference_targets_met(&scores);
    }
    if matches!(mode, "detect" | "all") {
        let scores: Vec<Score> = corpus
            .pages
            .iter()
            .map(|p| evaluate(&dir, p, false))
            .collect();
        ok &= print_detection(&scores);
    }
    if check && !ok {
        eprintln!("corpus evaluation: a target was missed");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn evaluate(dir: &Path, page: &CorpusPage, reference: bool) -> Score {
    let fail = |note: String| Score {
        id: page.id.clone(),
        items: 0,
        precision: 0.0,
        recall: 0.0,
        titles: None,
        dates: None,
        images: None,
        gold: None,
        note,
    };
    let bytes = match std::fs::read(dir.join(&page.file)) {
        Ok(bytes) => bytes,
        Err(e) => return fail(format!("cannot read page: {e}")),
    };
    let html = charset::decode_page(&bytes, None).text;
    let url = Url::parse(&page.page_url).expect("corpus page_url is a URL");
    let mut feed = Feed::adhoc(url.clone());
    feed.slug = page.id.to_ascii_lowercase().replace('.', "-");
    if reference {
        match reference_rules(&page.cards) {
            Ok((items, fields)) => {
                feed.items = Some(items);
                feed.fields = fields;
            }
            Err(e) => return fail(e),
        }
    }
    let extraction = match extract::extract(
        &feed,
        &html,
        &PageInfo {
            url: &url,
            fetched_at: Utc::now(),
        },
        None,
    ) {
        Ok(extraction) => extraction,
        Err(e) => return fail(e.to_string()),
    };
    let expected: Expected =
        match std::fs::read_to_string(dir.join("expected").join(format!("{}.json", page.id))) {
            Ok(text) => serde_json::from_str(&text).expect("expected/*.json parses"),
            Err(e) => return fail(format!("no expected items: {e}")),
        };
    let gold = read_gold_links(dir, &page.id);
    score(page, &extraction, &expected, gold, reference)
}

/// The corpus's reference selectors as scrapefeed rules (`@self` is `:scope`; `+tr X`
/// is the next-sibling form `+ X`; `date_attr`/`image_attr` become `@attr`).
fn reference_rules(
    cards: &BTreeMap<String, String>,
) -> Result<(scrapefeed::config::CardSelector, Fields), String> {
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
        lenient: false,
    };
    Ok((items, fields))
}

fn read_gold_links(dir: &Path, id: &str) -> Option<Vec<String>> {
    let text =
        std::fs::read_to_string(dir.join("gold").join(format!("{id}.expected-links.json"))).ok()?;
    serde_json::from_str(&text).ok()
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
fn same_title(want: &str, got: &str) -> bool {
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

fn score(
    page: &CorpusPage,
    extraction: &Extraction,
    expected: &Expected,
    gold: Option<Vec<String>>,
    reference: bool,
) -> Score {
    let found: HashSet<String> = extraction
        .items
        .iter()
        .map(|i| normal(i.link.as_str()))
        .collect();
    let wanted: HashSet<String> = expected
        .items
        .iter()
        .filter_map(|i| i.link.as_deref())
        .map(normal)
        .collect();
    let gold_set: Option<HashSet<String>> = gold.map(|g| g.iter().map(|l| normal(l)).collect());
    if std::env::var_os("CORPUS_VERBOSE").is_some() {
        let target = gold_set.as_ref().filter(|_| !reference).unwrap_or(&wanted);
        for missed in target.difference(&found) {
            eprintln!("{}: missed {missed}", page.id);
        }
        for extra in found.difference(target) {
            eprintln!("{}: extra {extra}", page.id);
        }
    }
    let (precision, recall) = match (&gold_set, reference) {
        (Some(gold), false) => precision_recall(&found, gold),
        _ => precision_recall(&found, &wanted),
    };
    // One link can stand twice on a page with two titles; either counts.
    let mut by_link: BTreeMap<String, Vec<&ExpectedItem>> = BTreeMap::new();
    for want in &expected.items {
        if let Some(link) = want.link.as_deref() {
            by_link.entry(normal(link)).or_default().push(want);
        }
    }
    let mut compared = 0;
    let mut same_titles = 0;
    for item in &extraction.items {
        let titles: Vec<&str> = by_link
            .get(&normal(item.link.as_str()))
            .into_iter()
            .flatten()
            .filter_map(|w| w.title.as_deref())
            .collect();
        if let Some(want) = titles.first() {
            compared += 1;
            let same = titles.iter().any(|want| same_title(want, &item.title));
            same_titles += usize::from(same);
            if !same && std::env::var_os("CORPUS_VERBOSE").is_some() {
                eprintln!("{}: title {:?} expected {:?}", page.id, item.title, want);
            }
        }
    }
    let has_dates = expected.items.iter().any(|i| i.date.is_some());
    let has_images = expected.items.iter().any(|i| i.image.is_some());
    let dated = extraction.items.iter().filter(|i| i.date.is_some()).count();
    // Of our items whose reference item has an image: how many got a usable one.
    let usable = |u: &Url| {
        matches!(u.scheme(), "http" | "https")
            && !scrapefeed::extract::image::is_placeholder(u.as_str())
    };
    let with_image: Vec<_> = extraction
        .items
        .iter()
        .filter(|i| {
            by_link
                .get(&normal(i.link.as_str()))
                .is_some_and(|w| w.iter().any(|w| w.image.is_some()))
        })
        .collect();
    let imaged = with_image
        .iter()
        .filter(|i| i.image.as_ref().is_some_and(usable))
        .count();
    Score {
        id: page.id.clone(),
        items: extraction.items.len(),
        precision,
        recall,
        titles: (compared > 0).then(|| ratio(same_titles, compared)),
        dates: has_dates.then(|| ratio(dated, extraction.items.len())),
        images: has_images.then(|| ratio(imaged, with_image.len())),
        gold: gold_set.map(|g| precision_recall(&found, &g)),
        note: extraction.card_source.clone(),
    }
}

fn pct(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| format!("{:.0}%", v * 100.0))
}

fn print_reference(scores: &[Score]) {
    println!(
        "Extraction with reference selectors (against expected/; gold/ links where published)"
    );
    println!(
        "{:<40} {:>5} {:>6} {:>6} {:>7} {:>6} {:>7} {:>13}",
        "page", "items", "prec", "recall", "titles", "dates", "images", "gold P/R"
    );
    for s in scores {
        let gold = s
            .gold
            .map_or_else(|| "-".to_owned(), |(p, r)| format!("{p:.2}/{r:.2}"));
        println!(
            "{:<40} {:>5} {:>6.2} {:>6.2} {:>7} {:>6} {:>7} {:>13}{}",
            s.id,
            s.items,
            s.precision,
            s.recall,
            pct(s.titles),
            pct(s.dates),
            pct(s.images),
            gold,
            if s.items == 0 {
                format!("  ({})", s.note)
            } else {
                String::new()
            }
        );
    }
}

fn reference_targets_met(scores: &[Score]) -> bool {
    let mut ok = true;
    for s in scores {
        let misses: Vec<&str> = [
            (s.precision < 1.0, "precision"),
            (s.recall < 1.0, "recall"),
            (s.titles.is_some_and(|t| t < 1.0), "titles"),
            (s.dates.is_some_and(|d| d < 0.95), "dates"),
            (s.images.is_some_and(|i| i < 1.0), "images"),
        ]
        .iter()
        .filter_map(|(missed, what)| missed.then_some(*what))
        .collect();
        if !misses.is_empty() {
            println!("  below target on {}: {}", s.id, misses.join(", "));
            ok = false;
        }
    }
    ok
}

fn print_detection(scores: &[Score]) -> bool {
    println!();
    println!("Automatic detection, page URL only (against gold/ links, else expected/)");
    println!(
        "{:<40} {:>5} {:>6} {:>6}  chosen",
        "page", "items", "prec", "recall"
    );
    for s in scores {
        println!(
            "{:<40} {:>5} {:>6.2} {:>6.2}  {}",
            s.id, s.items, s.precision, s.recall, s.note
        );
    }
    let n = scores.len().max(1) as f64;
    let mean_p = scores.iter().map(|s| s.precision).sum::<f64>() / n;
    let mean_r = scores.iter().map(|s| s.recall).sum::<f64>() / n;
    let worst = scores
        .iter()
        .map(|s| s.precision.min(s.recall))
        .fold(1.0, f64::min);
    println!(
        "mean precision {mean_p:.3}, mean recall {mean_r:.3}, lowest page score {worst:.2} (targets: ≥ 0.95, ≥ 0.90, ≥ 0.60)"
    );
    mean_p >= 0.95 && mean_r >= 0.90 && worst >= 0.6
}
