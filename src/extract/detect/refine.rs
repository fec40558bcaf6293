//! Narrowing a card selector to a subset of what it matches.
//!
//! When a group's selector matches cards of several kinds, or rows that are not
//! articles, the wanted cards need a selector of their own. It is the group's
//! selector with one more condition on the card, the most readable that works:
//! a class every wanted card has and no other does (`li.story`), something every
//! wanted card holds and no other does (`article:has(h3)`, `li:has(> time)`), or the
//! classes that mark the others (`li.item:not(.item--ad)`). Every proposal is run on
//! the document and kept only when it matches exactly the wanted cards.

use std::collections::BTreeSet;

use scraper::Html;

use super::dom::Dom;
use super::selector::{run, stable_classes};

/// Elements of a card looked at for what it holds (a card is small; this keeps a
/// huge "card" cheap).
const MAX_LOOK: usize = 200;
/// Most `:not(.class)` conditions in one selector.
const MAX_NOT: usize = 2;

/// A selector for exactly `wanted` (sorted dom indices), a subset of `matched`,
/// which `base` matches; with its extra readability cost.
pub(crate) fn subset(
    doc: &Html,
    dom: &Dom<'_>,
    base: &str,
    matched: &[usize],
    wanted: &[usize],
) -> Option<(String, f64)> {
    if base.contains(',') || wanted.is_empty() {
        return None;
    }
    let others: Vec<usize> = matched
        .iter()
        .copied()
        .filter(|m| wanted.binary_search(m).is_err())
        .collect();
    let mut proposals: Vec<(String, f64)> = Vec::new();

    // A class all wanted cards have and none of the others.
    let common = common_classes(dom, wanted);
    for c in &common {
        if !others.iter().any(|&o| has_class(dom, o, c)) {
            proposals.push((format!("{base}.{c}"), 0.3));
        }
    }
    // Something all wanted cards hold and none of the others: a child, or any
    // element by tag (and class).
    let holds = |cards: &[usize], child: bool| -> BTreeSet<String> {
        let mut sets = cards.iter().map(|&c| held(dom, c, child));
        let first = sets.next().unwrap_or_default();
        sets.fold(first, |acc, s| acc.intersection(&s).cloned().collect())
    };
    for (child, cost) in [(true, 0.5), (false, 0.6)] {
        let all_wanted = holds(wanted, child);
        let others_hold: Vec<BTreeSet<String>> =
            others.iter().map(|&o| held(dom, o, child)).collect();
        for form in all_wanted {
            if !others_hold.iter().any(|h| h.contains(&form)) {
                let inner = if child { format!("> {form}") } else { form };
                proposals.push((format!("{base}:has({inner})"), cost));
            }
        }
    }
    // The classes that mark the others.
    let wanted_classes: BTreeSet<&str> = wanted
        .iter()
        .flat_map(|&w| stable_classes(dom, w))
        .collect();
    let mut uncovered = others.clone();
    let mut nots: Vec<&str> = Vec::new();
    while !uncovered.is_empty() && nots.len() < MAX_NOT {
        let mut best: Option<(&str, usize)> = None;
        for &o in &uncovered {
            for c in stable_classes(dom, o) {
                if wanted_classes.contains(c) || nots.contains(&c) {
                    continue;
                }
                let n = uncovered.iter().filter(|&&u| has_class(dom, u, c)).count();
                if best.is_none_or(|(b, bn)| n > bn || (n == bn && c < b)) {
                    best = Some((c, n));
                }
            }
        }
        let Some((c, _)) = best else { break };
        nots.push(c);
        uncovered.retain(|&u| !has_class(dom, u, c));
    }
    if uncovered.is_empty() && !nots.is_empty() {
        let conditions: String = nots.iter().map(|c| format!(":not(.{c})")).collect();
        proposals.push((format!("{base}{conditions}"), 0.4 * nots.len() as f64));
    }

    proposals.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(a.0.len().cmp(&b.0.len()))
            .then(a.0.cmp(&b.0))
    });
    proposals
        .into_iter()
        .find(|(sel, _)| run(doc, dom, sel).as_deref() == Some(wanted))
}

fn has_class(dom: &Dom<'_>, i: usize, class: &str) -> bool {
    dom.nodes[i].el.value().classes().any(|c| c == class)
}

/// Stable classes every card of `cards` has.
fn common_classes<'a>(dom: &Dom<'a>, cards: &[usize]) -> Vec<&'a str> {
    let Some((&first, rest)) = cards.split_first() else {
        return Vec::new();
    };
    stable_classes(dom, first)
        .into_iter()
        .filter(|c| rest.iter().all(|&r| has_class(dom, r, c)))
        .collect()
}

/// What a card holds, as selector compounds: its children (`child`), or any of
/// its elements, by tag and by tag with each stable class.
fn held(dom: &Dom<'_>, card: usize, child: bool) -> BTreeSet<String> {
    let inside: Vec<usize> = if child {
        dom.nodes[card].children.clone()
    } else {
        (card + 1..dom.nodes[card].end).take(MAX_LOOK).collect()
    };
    let mut out = BTreeSet::new();
    for i in inside {
        let tag = dom.nodes[i].tag;
        if !tag.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        out.insert(tag.to_owned());
        for c in stable_classes(dom, i).into_iter().take(2) {
            out.insert(format!("{tag}.{c}"));
        }
    }
    out
}
