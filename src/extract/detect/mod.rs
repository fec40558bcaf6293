//! Automatic card detection: from a section page to feed selectors.
//!
//! Given a parsed page and its URL, find the repeated "article cards" and
//! express them as CSS selectors (plus field selectors in scrapefeed's field
//! grammar), so a feed can be added from a URL alone. Structured data that the
//! page declares (JSON-LD, microdata, `__NEXT_DATA__`) is preferred when it
//! really describes the page's list; otherwise the page structure decides.
//!
//! Pipeline: `dom` indexes the tree, `links` rates every link, `groups`
//! proposes card groups with verified selectors, `score` ranks them, `fields`
//! finds field selectors for the winners, and `structured` reads declared
//! lists; `selector` holds the rules for robust selectors. Output is deterministic: no hash-map
//! iteration order reaches the results.

mod dom;
mod fields;
mod groups;
mod links;
mod score;
mod selector;
mod structured;

use std::collections::BTreeSet;

use scraper::{ElementRef, Html, Selector};
use serde::{Deserialize, Serialize};
use url::Url;

use dom::Dom;
use links::Links;

/// Field selectors inside a card, in scrapefeed's field grammar
/// (`"h3"`, `"a@href"`, `"@href"`, `":scope"`, `"+ span.age"`, …).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DetectedFields {
    pub title: Option<String>,
    pub link: Option<String>,
    pub date: Option<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub image: Option<String>,
}

/// One proposed card selector with its fields and the evidence for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Card CSS selector, evaluated on the whole document.
    pub items: String,
    pub fields: DetectedFields,
    /// Higher is better; only meaningful relative to other candidates of the
    /// same page.
    pub score: f64,
    /// 0..1: margin over the runner-up, card count, link uniqueness, headline
    /// quality.
    pub confidence: f64,
    /// How many elements `items` matches.
    pub cards: usize,
    /// Short human-readable signals behind the score.
    pub reasons: Vec<String>,
}

/// An article read from structured data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StructuredItem {
    pub title: String,
    /// Absolute URL.
    pub link: String,
    pub date: Option<String>,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub author: Option<String>,
}

/// What `detect` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Detection {
    /// The page declares its list: `source` is `"json-ld"`, `"microdata"` or
    /// `"next-data"`.
    Structured {
        source: &'static str,
        items: Vec<StructuredItem>,
    },
    /// Card candidates from page structure, best first (may be empty).
    Cards(Vec<Candidate>),
}

/// Most candidates returned by [`card_candidates`].
const MAX_CANDIDATES: usize = 8;
/// Groups that get the slower full scoring.
const RICH_POOL: usize = 40;

/// Detects the page's article list: structured data when it is present and
/// describes the page's links, else structural card candidates.
pub fn detect(doc: &Html, page_url: &Url) -> Detection {
    let (dom, links) = prepare(doc, page_url);
    let ranked = rank(doc, &dom, &links);
    if let Some(found) = structured::find(&dom, &links) {
        // Declared data wins unless a confident visible list is clearly
        // larger, the declared items are mostly not linked from the page, or
        // the two lists are about different stories.
        let n = found.items.len() as f64;
        let thin = ranked.first().is_some_and(|best| {
            let overlap = found
                .items
                .iter()
                .filter_map(|i| Url::parse(&i.link).ok())
                .filter(|u| best.keys.contains(&links::link_key(u)))
                .count() as f64;
            let c = best.candidate.confidence;
            (c >= 0.4 && (best.keys.len() as f64 >= 1.5 * n || (found.linked as f64) < 0.7 * n))
                || (c >= 0.6 && overlap < 0.5 * n)
        });
        if !thin {
            return Detection::Structured {
                source: found.source,
                items: found.items,
            };
        }
    }
    Detection::Cards(ranked.into_iter().map(|r| r.candidate).collect())
}

/// Best-first card candidates from page structure only (used by `suggest`,
/// and when structured data is absent or too thin).
pub fn card_candidates(doc: &Html, page_url: &Url) -> Vec<Candidate> {
    let (dom, links) = prepare(doc, page_url);
    rank(doc, &dom, &links)
        .into_iter()
        .map(|r| r.candidate)
        .collect()
}

/// Indexes the document and its links, then settles page regions.
fn prepare<'a>(doc: &'a Html, page_url: &Url) -> (Dom<'a>, Links) {
    let mut dom = Dom::new(doc, page_url);
    let links = Links::new(&dom);
    let stories: Vec<usize> = links
        .all
        .iter()
        .filter(|l| l.is_headline())
        .map(|l| l.node)
        .collect();
    dom.relax_wrappers(&stories);
    (dom, links)
}

struct Ranked {
    candidate: Candidate,
    /// Distinct story-link keys of the candidate.
    keys: BTreeSet<String>,
}

fn rank(doc: &Html, dom: &Dom<'_>, links: &Links) -> Vec<Ranked> {
    let groups = groups::candidate_groups(doc, dom, links);

    // Quick pass over every group, then the full pass on the best few.
    let mut quick: Vec<(f64, usize)> = groups
        .iter()
        .enumerate()
        .filter_map(|(k, g)| {
            score::score_group(dom, links, &g.members, false).map(|s| (s.score, k))
        })
        .collect();
    quick.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(cmp_groups(&groups[a.1], &groups[b.1]))
    });
    quick.truncate(RICH_POOL);

    let mut full: Vec<(usize, score::GroupScore)> = quick
        .iter()
        .filter_map(|&(_, k)| {
            score::score_group(dom, links, &groups[k].members, true).map(|s| (k, s))
        })
        .collect();
    full.sort_by(|a, b| {
        b.1.score
            .total_cmp(&a.1.score)
            .then(cmp_groups(&groups[a.0], &groups[b.0]))
    });

    // Keep one candidate per distinct story-link set.
    let mut kept: Vec<(usize, score::GroupScore, BTreeSet<String>)> = Vec::new();
    for (k, s) in full {
        let set: BTreeSet<String> = s.keys.iter().cloned().collect();
        let dup = kept.iter().any(|(_, _, other)| jaccard(&set, other) >= 0.8);
        if !dup {
            kept.push((k, s, set));
        }
        if kept.len() >= MAX_CANDIDATES {
            break;
        }
    }

    kept.iter()
        .map(|(k, s, set)| {
            let g = &groups[*k];
            // A rival is a candidate about other stories: subsets of this
            // candidate (one column of the same list) do not compete with it.
            // A better-scored candidate is always a rival.
            let rival = kept
                .iter()
                .filter(|(k2, o, other)| {
                    k2 != k
                        && (o.score > s.score
                            || (other.intersection(set).count() as f64) < 0.5 * other.len() as f64)
                })
                .map(|(_, o, _)| o.score)
                .fold(0.0_f64, f64::max);
            Ranked {
                candidate: Candidate {
                    items: g.selector.clone(),
                    fields: fields::detect_fields(dom, links, &g.members),
                    score: round4(s.score),
                    confidence: round4(confidence(s, rival)),
                    cards: g.members.len(),
                    reasons: s.reasons.clone(),
                },
                keys: set.clone(),
            }
        })
        .collect()
}

fn cmp_groups(a: &groups::Group, b: &groups::Group) -> std::cmp::Ordering {
    a.cost
        .total_cmp(&b.cost)
        .then(a.selector.len().cmp(&b.selector.len()))
        .then(a.selector.cmp(&b.selector))
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let inter = a.intersection(b).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        0.0
    } else {
        inter as f64 / union as f64
    }
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// Confidence 0..1. The candidate's own strength (absolute score: a footer
/// of legal links can be the best of a bad lot) gates everything; then the
/// margin over the strongest rival, the number of distinct stories, link
/// uniqueness and headline quality.
fn confidence(s: &score::GroupScore, rival: f64) -> f64 {
    let strength = ((s.score - 0.5) / 2.0).clamp(0.0, 1.0).sqrt();
    let ratio = if s.score > 0.0 { rival / s.score } else { 1.0 };
    let margin = ((1.0 - ratio) / 0.6).clamp(0.0, 1.0);
    let count = ((s.keys.len() as f64 - 2.0) / 8.0).clamp(0.0, 1.0);
    let c = strength
        * (0.25 + 0.45 * margin + 0.1 * count + 0.1 * s.unique * s.link_share + 0.1 * s.head);
    c.clamp(0.0, 1.0)
}

/// Extracts items with a candidate's selectors, following the field grammar
/// the main program understands. Meant for previews and evaluation; links and
/// images are made absolute against `<base href>`, then `page_url`.
pub fn preview(doc: &Html, page_url: &Url, candidate: &Candidate) -> Vec<StructuredItem> {
    let base = base_url(doc, page_url);
    let Ok(items) = Selector::parse(&candidate.items) else {
        return Vec::new();
    };
    let f = &candidate.fields;
    let mut out = Vec::new();
    for card in doc.select(&items) {
        let title = match &f.title {
            Some(spec) => apply_field(card, spec),
            None => default_title(card),
        }
        .unwrap_or_default();
        let link = match &f.link {
            Some(spec) => apply_field(card, spec),
            None => default_link(card),
        }
        .and_then(|h| links::resolve(&base, &h))
        .map(|u| u.to_string());
        let Some(link) = link else { continue };
        let date = match &f.date {
            Some(spec) => apply_field(card, spec),
            None => apply_field(card, "time@datetime").or_else(|| apply_field(card, "time")),
        };
        let image = match &f.image {
            Some(spec) if spec.contains('@') => apply_field(card, spec),
            Some(spec) => find_target(card, spec).and_then(best_image),
            None => find_target(card, "img").and_then(best_image),
        }
        .and_then(|i| base.join(&i).ok())
        .map(|u| u.to_string());
        out.push(StructuredItem {
            title,
            link,
            date,
            summary: f.summary.as_deref().and_then(|s| apply_field(card, s)),
            image,
            author: f.author.as_deref().and_then(|s| apply_field(card, s)),
        });
    }
    out
}

fn base_url(doc: &Html, page_url: &Url) -> Url {
    let Ok(sel) = Selector::parse("base[href]") else {
        return page_url.clone();
    };
    doc.select(&sel)
        .next()
        .and_then(|b| b.attr("href"))
        .and_then(|h| page_url.join(h.trim()).ok())
        .unwrap_or_else(|| page_url.clone())
}

fn element_text(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    dom::collect_text(el, &mut raw);
    dom::normalize_ws(&raw)
}

/// Splits `"sel@attr"` into selector and attribute.
fn split_attr(spec: &str) -> (&str, Option<&str>) {
    match spec.rsplit_once('@') {
        Some((sel, attr))
            if !attr.is_empty()
                && attr
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == ':') =>
        {
            (sel.trim(), Some(attr))
        }
        _ => (spec.trim(), None),
    }
}

/// The element a field selector points at (no attribute part).
fn find_target<'a>(card: ElementRef<'a>, spec: &str) -> Option<ElementRef<'a>> {
    let spec = spec.trim();
    if let Some(rest) = spec.strip_prefix('+') {
        let sib = card.next_siblings().find_map(ElementRef::wrap)?;
        return find_target(sib, rest);
    }
    let (sel, _) = split_attr(spec);
    if sel.is_empty() || sel == ":scope" {
        return Some(card);
    }
    let s = Selector::parse(sel).ok()?;
    card.select(&s).next()
}

/// Applies one field selector of the grammar to a card.
pub fn apply_field(card: ElementRef<'_>, spec: &str) -> Option<String> {
    let el = find_target(card, spec)?;
    let spec = spec.trim().trim_start_matches('+');
    let value = match split_attr(spec).1 {
        Some(attr) => el.attr(attr).map(dom::normalize_ws),
        None => Some(element_text(el)),
    };
    value.filter(|v| !v.is_empty())
}

fn default_title(card: ElementRef<'_>) -> Option<String> {
    let h = Selector::parse("h1, h2, h3, h4, h5, h6").ok()?;
    if let Some(t) = card.select(&h).map(element_text).find(|t| !t.is_empty()) {
        return Some(t);
    }
    if card.value().name() == "a" {
        return Some(element_text(card)).filter(|t| !t.is_empty());
    }
    let a = Selector::parse("a[href]").ok()?;
    card.select(&a)
        .next()
        .map(element_text)
        .filter(|t| !t.is_empty())
}

fn default_link(card: ElementRef<'_>) -> Option<String> {
    if card.value().name() == "a"
        && let Some(h) = card.attr("href")
    {
        return Some(h.to_string());
    }
    let a = Selector::parse("a[href]").ok()?;
    card.select(&a)
        .next()
        .and_then(|e| e.attr("href"))
        .map(str::to_string)
}

/// Best image URL of an element: real `src`, lazy attributes, `srcset`,
/// background image, or a descendant image.
fn best_image(el: ElementRef<'_>) -> Option<String> {
    let first_src = |v: &str| {
        v.split(',')
            .next()
            .and_then(|p| p.split_whitespace().next())
            .map(str::to_string)
    };
    let v = el.value();
    for attr in ["data-src", "data-lazy-src", "data-original"] {
        if let Some(s) = v.attr(attr).filter(|s| !s.trim().is_empty()) {
            return Some(s.trim().to_string());
        }
    }
    if let Some(s) = v
        .attr("src")
        .filter(|s| !s.starts_with("data:") && !s.trim().is_empty())
    {
        return Some(s.trim().to_string());
    }
    for attr in ["data-srcset", "srcset"] {
        if let Some(s) = v.attr(attr).and_then(first_src) {
            return Some(s);
        }
    }
    if let Some(style) = v.attr("style")
        && let Some(pos) = style.find("url(")
    {
        let rest = &style[pos + 4..];
        if let Some(end) = rest.find(')') {
            return Some(rest[..end].trim_matches(['"', '\'', ' ']).to_string());
        }
    }
    let img = Selector::parse("img").ok()?;
    el.select(&img).next().and_then(best_image)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_grammar() {
        let doc = Html::parse_document(
            "<table><tr class='row'><td><a class='t' href='/a'>Title A</a></td></tr>\
             <tr><td><span class='age' title='2024-01-01'><a href='/i'>2 hours ago</a></span></td></tr></table>",
        );
        let sel = Selector::parse("tr.row").unwrap();
        let card = doc.select(&sel).next().unwrap();
        assert_eq!(apply_field(card, "a.t").as_deref(), Some("Title A"));
        assert_eq!(apply_field(card, "a.t@href").as_deref(), Some("/a"));
        assert_eq!(apply_field(card, "@class").as_deref(), Some("row"));
        assert_eq!(apply_field(card, ":scope").as_deref(), Some("Title A"));
        assert_eq!(
            apply_field(card, "+ span.age a").as_deref(),
            Some("2 hours ago")
        );
        assert_eq!(
            apply_field(card, "+ span.age@title").as_deref(),
            Some("2024-01-01")
        );
    }

    #[test]
    fn confidence_grows_with_margin() {
        let s = score::GroupScore {
            score: 10.0,
            reasons: vec![],
            keys: (0..12).map(|k| k.to_string()).collect(),
            unique: 1.0,
            head: 0.9,
            link_share: 1.0,
        };
        assert!(confidence(&s, 1.0) > 0.8);
        assert!(confidence(&s, 9.5) < 0.6);
        let weak = score::GroupScore { score: 0.4, ..s };
        assert!(confidence(&weak, 0.0) < 0.05);
    }
}
