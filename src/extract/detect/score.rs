//! Scoring a group of cards: is this the page's list of articles?
//!
//! Every repeated structure on a page (menus, footers, tag clouds, "most read"
//! rails, the real article list) is a candidate; this module decides between
//! them. The score multiplies independent signals: how many distinct stories the
//! group links to, whether the link texts read like headlines, whether the URLs
//! look like articles and agree in shape, whether each card holds exactly one
//! story, where the group sits on the page (main content vs navigation/rails),
//! and richness (dates, images, teasers). The numbers are tuned to rank, not to
//! mean anything absolute; `reasons` explains the result to humans.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::dom::Dom;
use super::fields::{Titles, find_date, find_image, find_summary, meta_sibling};
use super::headline::word_count;
use super::kinds::{self, Kinds};
use super::links::{Links, path_shape, site_of};

/// Links of one card looked at for "other stories in the card" (a card with more
/// links than this is no card, and shows it anyway).
const MAX_CARD_LINKS: usize = 64;

/// What one card contributes to its group's score.
pub(crate) struct CardFacts {
    pub primary: Option<usize>,
    pub title: String,
    pub head: f64,
    pub urlq: f64,
    pub headline_urls: BTreeSet<String>,
    pub ctx: f64,
    pub maximal: bool,
}

/// Story links placed alike in the same-tag children of one parent: for
/// `(parent, child tag, path from the child)`, the first story key found and
/// whether a second, different one exists. Shared by all cards under the
/// parent, so telling whether a card is maximal costs each parent one scan.
type SiblingStories<'a> = HashMap<(usize, &'a str, String), (Option<String>, bool)>;

fn sibling_stories<'a, 'c>(
    dom: &Dom<'a>,
    links: &Links,
    cache: &'c mut SiblingStories<'a>,
    parent: usize,
    tag: &'a str,
    path: &str,
) -> &'c (Option<String>, bool) {
    cache
        .entry((parent, tag, path.to_owned()))
        .or_insert_with(|| {
            let mut first: Option<String> = None;
            for &s in &dom.nodes[parent].children {
                if dom.nodes[s].tag != tag {
                    continue;
                }
                let placed = links
                    .in_range(s, dom.nodes[s].end)
                    .iter()
                    .take(MAX_CARD_LINKS)
                    .find(|l| l.is_headline() && dom.tag_path(s, l.node).as_deref() == Some(path));
                if let Some(l) = placed {
                    match &first {
                        None => first = Some(l.key.clone()),
                        Some(k) if *k != l.key => return (first, true),
                        Some(_) => {}
                    }
                }
            }
            (first, false)
        })
}

pub(crate) fn card_facts<'a>(
    dom: &Dom<'a>,
    links: &Links,
    titles: &Titles,
    card: usize,
    siblings: &mut SiblingStories<'a>,
) -> CardFacts {
    let ti = titles.get(dom, links, card);
    let end = dom.nodes[card].end;
    let (urlq, key, path) = match ti.primary {
        Some(p) => (
            links.all[p].urlq,
            Some(links.all[p].key.as_str()),
            dom.tag_path(card, links.all[p].node),
        ),
        None => (0.0, None, None),
    };
    // Other stories in the card: headline links placed like the story link
    // (a second `li>a` in a `ul` card), not links inside a teaser or body text.
    let headline_urls: BTreeSet<String> = match (key, &path) {
        (Some(_), Some(path)) => links
            .in_range(card, end)
            .iter()
            .take(MAX_CARD_LINKS)
            .filter(|l| l.is_headline() && dom.tag_path(card, l.node).as_ref() == Some(path))
            .map(|l| l.key.clone())
            .collect(),
        _ => BTreeSet::new(),
    };
    // The card is the largest unit around its story when a sibling of its kind
    // holds another story placed the same way.
    let maximal = match (dom.nodes[card].parent, key, &path) {
        (Some(p), Some(k), Some(path)) => {
            let (first, second) =
                sibling_stories(dom, links, siblings, p, dom.nodes[card].tag, path);
            *second || first.as_deref().is_some_and(|f| f != k)
        }
        _ => false,
    };
    CardFacts {
        primary: ti.primary,
        head: ti.head,
        title: ti.text.clone(),
        urlq,
        headline_urls,
        ctx: dom.context_factor(card),
        maximal,
    }
}

/// The verdict on one group.
pub(crate) struct GroupScore {
    pub score: f64,
    pub reasons: Vec<String>,
    /// Distinct story link keys, in card order.
    pub keys: Vec<String>,
    pub unique: f64,
    pub head: f64,
    pub link_share: f64,
}

/// Scores `cards` (sorted dom indices). `rich` adds the slower richness
/// signals (dates, images, teasers) and the human-readable reasons.
pub(crate) fn score_group(
    dom: &Dom<'_>,
    links: &Links,
    titles: &Titles,
    kinds: &Kinds,
    cards: &[usize],
    rich: bool,
) -> Option<GroupScore> {
    let n = cards.len();
    if n < 3 {
        return None;
    }
    if cards.windows(2).any(|w| dom.contains(w[0], w[1])) {
        return None; // nested cards would yield duplicate items
    }
    let mut siblings = SiblingStories::new();
    let facts: Vec<CardFacts> = cards
        .iter()
        .map(|&c| card_facts(dom, links, titles, c, &mut siblings))
        .collect();
    let linked: Vec<&CardFacts> = facts
        .iter()
        .filter(|f| f.primary.is_some() && f.urlq > 0.0)
        .collect();
    let with_link = linked.len();
    if with_link < 3 {
        return None;
    }
    let link_share = with_link as f64 / n as f64;
    let mut keys: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &linked {
        let k = &links.all[f.primary.unwrap_or(0)].key;
        if seen.insert(k.clone()) {
            keys.push(k.clone());
        }
    }
    let distinct = keys.len();
    let unique = distinct as f64 / with_link as f64;
    let head = linked.iter().map(|f| f.head).sum::<f64>() / with_link as f64;
    let urlq = linked.iter().map(|f| f.urlq).sum::<f64>() / with_link as f64;
    let all_headline: BTreeSet<&String> =
        facts.iter().flat_map(|f| f.headline_urls.iter()).collect();
    let coverage = if all_headline.is_empty() {
        1.0
    } else {
        (distinct as f64 / all_headline.len() as f64).min(1.0)
    };
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    for f in &linked {
        let u = &links.all[f.primary.unwrap_or(0)].url;
        *shapes.entry(path_shape(u, &dom.page)).or_default() += 1;
    }
    let (top_shape, top_count) = shapes
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(s, c)| (s.clone(), *c))
        .unwrap_or_default();
    let consistency = top_count as f64 / with_link as f64;
    let ctx = facts.iter().map(|f| f.ctx).sum::<f64>() / n as f64;
    let maximal = facts.iter().filter(|f| f.maximal).count() as f64 / n as f64;
    let article_like = cards
        .iter()
        .filter(|&&c| {
            dom.nodes[c].tag == "article"
                || dom.nodes[c]
                    .el
                    .attr("itemtype")
                    .is_some_and(|t| t.ends_with("Article") || t.ends_with("BlogPosting"))
        })
        .count()
        * 2
        > n;
    let article_bonus = if article_like { 1.1 } else { 1.0 };
    // Cards of several shapes (lead stories, grid teasers, a compact list) are
    // several lists; each kind is a candidate of its own.
    let purity = kinds::purity(dom, links, titles, kinds, cards);

    let mut score = (1.0 + distinct as f64).ln()
        * link_share.powf(1.5)
        * unique.powf(2.0 - unique)
        * (0.25 + 0.75 * head)
        * (0.2 + 0.8 * urlq)
        * coverage.powf(0.7)
        * (0.8 + 0.2 * consistency)
        * ctx
        * article_bonus
        * (0.85 + 0.15 * maximal)
        * purity;

    let mut reasons = Vec::new();
    if rich {
        let mut dated = 0usize;
        let mut imaged = 0usize;
        let mut summarised = 0usize;
        for (k, &c) in cards.iter().enumerate() {
            let has_date = find_date(dom, c).is_some()
                || meta_sibling(dom, links, c, cards).is_some_and(|s| find_date(dom, s).is_some());
            if has_date {
                dated += 1;
            }
            if find_image(dom, c).is_some() {
                imaged += 1;
            }
            let heading = titles.get(dom, links, c).heading;
            if find_summary(dom, c, heading, &facts[k].title).is_some() {
                summarised += 1;
            }
        }
        let (ds, is, ss) = (
            dated as f64 / n as f64,
            imaged as f64 / n as f64,
            summarised as f64 / n as f64,
        );
        score *= 1.0 + 0.25 * ds + 0.15 * is + 0.1 * ss;

        // Reasons, most telling first.
        let mut tags: BTreeMap<&str, usize> = BTreeMap::new();
        for &c in cards {
            *tags.entry(dom.nodes[c].tag).or_default() += 1;
        }
        let tag = tags
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(t, _)| *t)
            .unwrap_or("div");
        reasons.push(format!("{n} <{tag}> cards"));
        if unique >= 0.999 {
            reasons.push(format!("{distinct} distinct story links"));
        } else {
            reasons.push(format!(
                "{distinct} distinct links over {with_link} cards (repeats)"
            ));
        }
        if link_share < 0.9 {
            reasons.push(format!("only {with_link}/{n} cards have a link"));
        }
        reasons.push(path_reason(links, &linked, dom, &top_shape, consistency));
        let words = linked.iter().map(|f| word_count(&f.title)).sum::<f64>() / with_link as f64;
        reasons.push(format!("headlines average {words:.1} words"));
        if coverage < 0.9 {
            reasons.push(format!(
                "cards hold {} story links but yield {distinct}",
                all_headline.len()
            ));
        }
        if purity < 0.9 {
            reasons.push(format!(
                "cards of mixed shapes ({:.0}% of one kind)",
                purity * 100.0
            ));
        }
        if let Some(r) = region_reason(dom, cards) {
            reasons.push(r);
        }
        if ds >= 0.5 {
            reasons.push(format!("{dated}/{n} cards have a date"));
        }
        if is >= 0.5 {
            reasons.push(format!("{imaged}/{n} cards have an image"));
        }
        if ss >= 0.5 {
            reasons.push(format!("{summarised}/{n} cards have a teaser"));
        }
    }
    if !score.is_finite() {
        score = 0.0;
    }
    Some(GroupScore {
        score,
        reasons,
        keys,
        unique,
        head,
        link_share,
    })
}

fn path_reason(
    links: &Links,
    linked: &[&CardFacts],
    dom: &Dom<'_>,
    top_shape: &str,
    consistency: f64,
) -> String {
    let urls: Vec<&url::Url> = linked
        .iter()
        .map(|f| &links.all[f.primary.unwrap_or(0)].url)
        .collect();
    let page_site = site_of(&dom.page);
    let external = urls.iter().filter(|u| site_of(u) != page_site).count();
    if external * 2 > urls.len() {
        return format!("{external}/{} links point off-site", urls.len());
    }
    let dated = urls
        .iter()
        .filter(|u| {
            top_shape.contains("/Y")
                || u.path().split('/').any(|s| {
                    s.len() == 4
                        && (s.starts_with("19") || s.starts_with("20"))
                        && s.chars().all(|c| c.is_ascii_digit())
                })
        })
        .count();
    if dated * 2 > urls.len() {
        return "links carry a year in the path".to_string();
    }
    if consistency >= 0.5 {
        let first = top_shape
            .trim_start_matches("ext:")
            .split('/')
            .nth(1)
            .unwrap_or("");
        if !first.is_empty() && first != "S" && first != "N" && first != "Y" {
            return format!(
                "links share /{first}/ path shape ({:.0}%)",
                consistency * 100.0
            );
        }
        return format!(
            "links share path shape {top_shape} ({:.0}%)",
            consistency * 100.0
        );
    }
    format!(
        "links vary in shape (top {top_shape} {:.0}%)",
        consistency * 100.0
    )
}

fn region_reason(dom: &Dom<'_>, cards: &[usize]) -> Option<String> {
    let mut neg: BTreeMap<usize, usize> = BTreeMap::new();
    let mut pos: BTreeMap<usize, usize> = BTreeMap::new();
    for &c in cards {
        if let Some(r) = dom.nodes[c].neg_at {
            *neg.entry(r).or_default() += 1;
        }
        if let Some(r) = dom.nodes[c].pos_at {
            *pos.entry(r).or_default() += 1;
        }
    }
    let top = |m: &BTreeMap<usize, usize>| {
        m.iter()
            .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
            .map(|(r, c)| (*r, *c))
    };
    let n = cards.len();
    if let Some((r, _)) = top(&neg) {
        let total: usize = neg.values().sum();
        if total * 5 >= n {
            return Some(format!(
                "{total}/{n} cards inside {} (penalised)",
                dom.region_label(r)
            ));
        }
    }
    if let Some((r, _)) = top(&pos) {
        let total: usize = pos.values().sum();
        if total * 2 > n {
            return Some(format!("inside {}", dom.region_label(r)));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;
    use url::Url;

    fn cards_of(dom: &Dom<'_>, tag: &str, class: &str) -> Vec<usize> {
        (0..dom.nodes.len())
            .filter(|&i| {
                dom.nodes[i].tag == tag
                    && dom.nodes[i]
                        .el
                        .value()
                        .has_class(class, scraper::CaseSensitivity::CaseSensitive)
            })
            .collect()
    }

    #[test]
    fn article_list_beats_navigation() {
        let mut html = String::from("<html><body><nav><ul>");
        for s in [
            "World", "Politics", "Business", "Tech", "Science", "Health", "Sports",
        ] {
            html.push_str(&format!(
                "<li class='it'><a href='/{}'>{s}</a></li>",
                s.to_lowercase()
            ));
        }
        html.push_str("</ul></nav><main><ul>");
        for k in 0..5 {
            html.push_str(&format!(
                "<li class='story'><a href='/2024/05/story-number-{k}-here'>Story number {k} makes the headline today</a></li>"
            ));
        }
        html.push_str("</ul></main></body></html>");
        let doc = Html::parse_document(&html);
        let url = Url::parse("https://e.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        let nav = score_group(
            &dom,
            &links,
            &Titles::new(&dom),
            &Kinds::new(&dom),
            &cards_of(&dom, "li", "it"),
            true,
        )
        .unwrap();
        let main = score_group(
            &dom,
            &links,
            &Titles::new(&dom),
            &Kinds::new(&dom),
            &cards_of(&dom, "li", "story"),
            true,
        )
        .unwrap();
        assert!(
            main.score > 2.0 * nav.score,
            "{} vs {}",
            main.score,
            nav.score
        );
        assert!(main.reasons.iter().any(|r| r.contains("inside <main>")));
        assert!(nav.reasons.iter().any(|r| r.contains("penalised")));
    }

    #[test]
    fn nested_cards_are_rejected() {
        let doc = Html::parse_document(
            "<div class='c'><a href='/a/b-c-d'>one two three</a><div class='c'><a href='/a/e-f-g'>four five six</a>\
             <div class='c'><a href='/a/h-i-j'>seven eight nine</a></div></div></div>",
        );
        let url = Url::parse("https://e.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        assert!(
            score_group(
                &dom,
                &links,
                &Titles::new(&dom),
                &Kinds::new(&dom),
                &cards_of(&dom, "div", "c"),
                false
            )
            .is_none()
        );
    }
}
