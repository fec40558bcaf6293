//! Card kinds: which cards are "the same", and candidate groups made of one kind.
//!
//! A selector such as `article.teaser` often matches several kinds of card on a
//! front page — lead stories, the teaser grid, a compact "more news" list — or a
//! list's article rows together with ad and "show all" rows of the same markup.
//! Cards are of one kind when they have the same shape: the same tag, the story link
//! and the headline at the same place inside. A card *fits* its group when its story
//! link looks like the group's: on the page's site when the group's links are, and
//! article-shaped when the group's are. From every group that mixes kinds or holds
//! rows that do not fit, the fitting cards of each kind become a group of their own,
//! with a selector that matches exactly them (`refine`); scoring then weighs a mixed
//! group by its purity, so the page's real list wins.

use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};

use scraper::Html;

use super::dom::Dom;
use super::fields::{Titles, find_image};
use super::groups::Group;
use super::links::{Links, site_of};
use super::refine;
use crate::extract::budget::{Budget, Exhausted};

/// A card's shape: its tag, the tag paths to its story link and its headline (any
/// heading level), and whether it shows a picture. Featured items of one list (an
/// `h2` among `h3`s) and items with or without a teaser are of its kind; a
/// title-only list beside a grid of picture teasers is not. Interned: the number
/// of the shape among the page's shapes, in the order they were first met.
pub(crate) type Kind = u32;

/// Each card's kind, worked out once.
pub(crate) struct Kinds {
    cells: Vec<OnceCell<Option<Kind>>>,
    shapes: RefCell<HashMap<String, Kind>>,
}

impl Kinds {
    pub fn new(dom: &Dom<'_>) -> Kinds {
        Kinds {
            cells: (0..dom.nodes.len()).map(|_| OnceCell::new()).collect(),
            shapes: RefCell::new(HashMap::new()),
        }
    }

    /// The shape of `card`; `None` without a story link.
    pub fn get(&self, dom: &Dom<'_>, links: &Links, titles: &Titles, card: usize) -> Option<Kind> {
        *self.cells[card].get_or_init(|| {
            let shape = shape_of(dom, links, titles, card)?;
            let mut shapes = self.shapes.borrow_mut();
            let next = Kind::try_from(shapes.len()).unwrap_or(Kind::MAX);
            Some(*shapes.entry(shape).or_insert(next))
        })
    }
}

fn shape_of(dom: &Dom<'_>, links: &Links, titles: &Titles, card: usize) -> Option<String> {
    let info = titles.get(dom, links, card);
    let link = links.all[info.primary?].node;
    let heading_level = |path: String| {
        path.split('>')
            .map(|t| {
                if matches!(t, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
                    "h"
                } else {
                    t
                }
            })
            .collect::<Vec<_>>()
            .join(">")
    };
    let to_link = heading_level(dom.tag_path(card, link)?);
    let to_head = match info.heading {
        Some(h) => heading_level(dom.tag_path(card, h)?),
        None => String::new(),
    };
    let picture = find_image(dom, card).is_some();
    Some(format!(
        "{}|{to_link}|{to_head}|{}",
        dom.nodes[card].tag,
        if picture { "picture" } else { "" }
    ))
}

/// The kind of list each card is in: the most common kind among the group's
/// cards under the same parent. Cards of other shapes interleaved with a list's
/// (a blog's link posts among its articles, a featured teaser) are variants of
/// that list; a kind that fills a block of its own (a lead-story stage, a compact
/// "more news" box) is a list of its own. `None` for a card without a story link.
fn list_kinds(
    dom: &Dom<'_>,
    links: &Links,
    titles: &Titles,
    kinds: &Kinds,
    cards: &[usize],
) -> Vec<Option<Kind>> {
    let own: Vec<Option<Kind>> = cards
        .iter()
        .map(|&c| kinds.get(dom, links, titles, c))
        .collect();
    let mut by_parent: HashMap<Option<usize>, BTreeMap<Kind, usize>> = HashMap::new();
    for (&c, k) in cards.iter().zip(&own) {
        if let Some(k) = *k {
            *by_parent
                .entry(dom.nodes[c].parent)
                .or_default()
                .entry(k)
                .or_default() += 1;
        }
    }
    let dominant: HashMap<Option<usize>, Kind> = by_parent
        .into_iter()
        .filter_map(|(p, counts)| {
            // The most common kind; of equals, the first in kind order.
            let top = counts.values().copied().max()?;
            counts
                .into_iter()
                .find(|&(_, n)| n == top)
                .map(|(k, _)| (p, k))
        })
        .collect();
    cards
        .iter()
        .zip(own)
        .map(|(&c, k)| k.and(dominant.get(&dom.nodes[c].parent).copied()))
        .collect()
}

/// How much a group is one list: 1 when its cards are (nearly) all in lists of
/// one kind; less when another kind of list holds a good share of them (two
/// lists in one selector).
pub(crate) fn purity(
    dom: &Dom<'_>,
    links: &Links,
    titles: &Titles,
    kinds: &Kinds,
    cards: &[usize],
) -> f64 {
    let mut counts: BTreeMap<Kind, usize> = BTreeMap::new();
    for k in list_kinds(dom, links, titles, kinds, cards)
        .into_iter()
        .flatten()
    {
        *counts.entry(k).or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let top = counts.values().copied().max().unwrap_or(0);
    if total == 0 {
        return 1.0;
    }
    // Variants within one list (a few featured or picture-less items) are
    // tolerated; beyond that, each share of another kind costs as much.
    let others = 1.0 - top as f64 / total as f64;
    (1.0 - (others - VARIANTS).max(0.0)).clamp(0.0, 1.0)
}

/// Share of a list's cards that may be of other kinds (featured items, items
/// without a picture) before the list counts as mixed.
const VARIANTS: f64 = 0.2;

/// Share of a group's story links that must agree before a card that disagrees is
/// taken for a row that does not belong (an ad, a "show all" link).
const CLEAR_MAJORITY: f64 = 0.75;

/// Which of `cards` have a story link like the group's: a link exists; it is on the
/// page's site when a clear majority of the group's are; it is article-shaped
/// when a clear majority of the group's are.
fn fitting(dom: &Dom<'_>, links: &Links, titles: &Titles, cards: &[usize]) -> Vec<bool> {
    let page_site = site_of(&dom.page);
    let story: Vec<Option<usize>> = cards
        .iter()
        .map(|&c| titles.get(dom, links, c).primary)
        .collect();
    let linked: Vec<usize> = story.iter().flatten().copied().collect();
    if linked.is_empty() {
        return vec![false; cards.len()];
    }
    let share = |f: &dyn Fn(usize) -> bool| {
        linked.iter().filter(|&&l| f(l)).count() as f64 / linked.len() as f64
    };
    let on_site = |l: usize| site_of(&links.all[l].url) == page_site;
    let article = |l: usize| links.all[l].urlq >= 0.9;
    let want_site = share(&on_site) >= CLEAR_MAJORITY;
    let want_article = share(&article) >= CLEAR_MAJORITY;
    story
        .iter()
        .map(|s| {
            s.is_some_and(|l| {
                (!want_site || on_site(l))
                    && (!want_article || links.all[l].urlq >= 0.6)
                    && links.all[l].head >= 0.5
            })
        })
        .collect()
}

/// Groups of one kind of fitting card, carved out of `groups` (the best-scored
/// candidates: carving every group of a large page would cost more than all the
/// rest of detection); each with a selector matching exactly its cards.
pub(crate) fn pure_groups(
    doc: &Html,
    dom: &Dom<'_>,
    links: &Links,
    titles: &Titles,
    kinds: &Kinds,
    groups: &[&Group],
    budget: &Budget,
) -> Result<Vec<Group>, Exhausted> {
    let mut out: Vec<Group> = Vec::new();
    for group in groups {
        budget.check()?;
        let members = &group.members;
        let fits = fitting(dom, links, titles, members);
        let lists = list_kinds(dom, links, titles, kinds, members);
        let mut by_kind: BTreeMap<Kind, Vec<usize>> = BTreeMap::new();
        for ((&m, fit), k) in members.iter().zip(fits).zip(lists) {
            if fit && let Some(k) = k {
                by_kind.entry(k).or_default().push(m);
            }
        }
        for wanted in by_kind.into_values() {
            if wanted.len() < 3
                || wanted.len() == members.len()
                || groups.iter().any(|g| g.members == wanted)
                || out.iter().any(|g| g.members == wanted)
            {
                continue;
            }
            if let Some((selector, extra)) =
                refine::subset(doc, dom, &group.selector, members, &wanted)
            {
                out.push(Group {
                    selector,
                    cost: group.cost + extra,
                    members: wanted,
                });
            }
        }
    }
    Ok(out)
}
