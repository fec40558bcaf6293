//! Automatic card detection: from a section page to feed selectors.
//!
//! Given a parsed page and its URL, find the repeated "article cards" and
//! express them as CSS selectors (plus field selectors in scrapefeed's field
//! grammar), so a feed can be added from a URL alone. Structured data that the
//! page declares (JSON-LD, microdata, `__NEXT_DATA__`) is preferred when it
//! really describes the page's list; otherwise the page structure decides.
//!
//! Pipeline: `dom` indexes the tree (with its visible text and dates), `links`
//! rates every link and `headline` every text, `groups` proposes card groups
//! with verified selectors, `score` ranks them, `fields` finds each field's
//! element in the winners' cards and `rules` turns those into field rules,
//! checked with extraction's own readers; `structured` reads declared lists and
//! `selector` holds the rules for robust selectors. Detection never extracts
//! items itself: its result is configuration, run by extraction like a
//! hand-written feed. Output is deterministic: no hash-map iteration order
//! reaches the results.

mod dom;
mod fields;
mod groups;
mod headline;
mod kinds;
mod links;
mod refine;
mod rules;
mod score;
mod selector;
mod structured;

use std::collections::BTreeSet;

use scraper::Html;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::extract::budget::{Budget, Exhausted};
use crate::extract::date::DateContext;
use dom::Dom;
use links::Links;

/// Field selectors inside a card, in scrapefeed's field grammar
/// (`"h3"`, `"a@href"`, `"@href"`, `":scope"`, `"+ span.age"`, …).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DetectedFields {
    pub title: Option<String>,
    /// Inside the title, the elements left out of it (a kicker before the
    /// headline): the title rule's `skip`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_skip: Option<String>,
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

/// A list of articles the page declares itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Declared {
    /// `"json-ld"`, `"microdata"` or `"next-data"`.
    pub source: &'static str,
    pub items: Vec<StructuredItem>,
}

/// What `detect` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    /// The page's declared list, when it describes the page's articles better
    /// than any visible card group: a one-line feed then reads it.
    pub declared: Option<Declared>,
    /// Card candidates from the page's structure, best first (may be empty).
    pub candidates: Vec<Candidate>,
}

/// Below this confidence, a detected card group is only a guess: a one-line feed
/// does not publish it (it fails with "no article list found", keeping its last
/// good files) and `suggest` and `preview` mark it unsure. Article lists on real
/// pages score 0.7 and more; a footer or a menu picked for lack of anything
/// better scores near 0.
pub const CONFIDENCE_FLOOR: f64 = 0.4;

/// Most candidates kept.
const MAX_CANDIDATES: usize = 8;
/// Groups that get the slower full scoring.
const RICH_POOL: usize = 40;

/// Detects the page's article list: structured data when it is present and
/// describes the page's links, else structural card candidates. `dates` is how
/// the feed reads dates (its time zone and format): a card's date counts only
/// when extraction will understand it. Stops when `budget` runs out (checked
/// per selector run and per group scored).
pub fn detect(
    doc: &Html,
    page_url: &Url,
    dates: DateContext<'_>,
    budget: &Budget,
) -> Result<Detection, Exhausted> {
    let (dom, links) = prepare(doc, page_url, dates);
    budget.check()?;
    let ranked = rank(doc, &dom, &links, budget)?;
    let declared = structured::find(&dom, &links).filter(|found| {
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
        !thin
    });
    Ok(Detection {
        declared: declared.map(|found| Declared {
            source: found.source,
            items: found.items,
        }),
        candidates: ranked.into_iter().map(|r| r.candidate).collect(),
    })
}

/// Indexes the document and its links, then settles page regions.
fn prepare<'a>(doc: &'a Html, page_url: &Url, dates: DateContext<'a>) -> (Dom<'a>, Links) {
    let mut dom = Dom::new(doc, page_url, dates);
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

fn rank(
    doc: &Html,
    dom: &Dom<'_>,
    links: &Links,
    budget: &Budget,
) -> Result<Vec<Ranked>, Exhausted> {
    let titles = fields::Titles::new(dom);
    let kinds = kinds::Kinds::new(dom);
    let mut groups = groups::candidate_groups(doc, dom, links, budget)?;

    // Quick pass over every group; the best few are split by card kind (the
    // pieces join the pool); then the full pass on the best few. Every group
    // scored is one check of the budget.
    let quick_score = |groups: &[groups::Group],
                       from: usize|
     -> Result<Vec<(f64, usize)>, Exhausted> {
        let mut out = Vec::new();
        for (k, g) in groups.iter().enumerate().skip(from) {
            budget.check()?;
            if let Some(s) = score::score_group(dom, links, &titles, &kinds, &g.members, false) {
                out.push((s.score, k));
            }
        }
        Ok(out)
    };
    let best_first = |quick: &mut Vec<(f64, usize)>, groups: &[groups::Group]| {
        quick.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(cmp_groups(&groups[a.1], &groups[b.1]))
        });
        quick.truncate(RICH_POOL);
    };
    let mut quick = quick_score(&groups, 0)?;
    best_first(&mut quick, &groups);
    let best: Vec<&groups::Group> = quick.iter().map(|&(_, k)| &groups[k]).collect();
    let mut carved = kinds::pure_groups(doc, dom, links, &titles, &kinds, &best, budget)?;
    let known: BTreeSet<&[usize]> = groups.iter().map(|g| g.members.as_slice()).collect();
    carved.retain(|g| !known.contains(g.members.as_slice()));
    let from = groups.len();
    groups.extend(carved);
    quick.extend(quick_score(&groups, from)?);
    best_first(&mut quick, &groups);

    let mut full: Vec<(usize, score::GroupScore)> = Vec::new();
    for &(_, k) in &quick {
        budget.check()?;
        if let Some(s) = score::score_group(dom, links, &titles, &kinds, &groups[k].members, true) {
            full.push((k, s));
        }
    }
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
            budget.check()?;
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
            Ok(Ranked {
                candidate: Candidate {
                    items: g.selector.clone(),
                    fields: rules::detect_fields(dom, links, &titles, &g.members),
                    score: round4(s.score),
                    confidence: round4(confidence(s, rival)),
                    cards: g.members.len(),
                    reasons: s.reasons.clone(),
                },
                keys: set.clone(),
            })
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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod confidence_tests {
    use super::*;

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
