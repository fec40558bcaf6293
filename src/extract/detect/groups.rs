//! Finding repeated card groups.
//!
//! A card is the largest element around one story link. Starting from every
//! headline-like link, we climb the ancestors while the subtree still holds only
//! that story; each element on the way is a possible card. From these elements
//! we derive readable selectors (the element's own compound, qualified by its
//! parent or by a named ancestor) and count how many stories share each. A
//! selector shared by several stories describes a group: either same-shaped
//! siblings (`ul.list_txt > li`) or the same card shape across several parents
//! (`article` in three columns, `li.tout__list-item` in several carousels).
//! Running each selector on the document gives the group's exact membership, so
//! every group comes with a selector that is verified by construction.
//! Siblings that no readable selector isolates are grouped directly and get a
//! positional selector as a last resort.

use std::collections::{BTreeMap, BTreeSet};

use scraper::Html;

use super::dom::Dom;
use super::headline::headline_score;
use super::links::{Link, Links};
use super::selector::{anchor_forms, run, simple_forms, stable_classes, tag_cost};
use crate::extract::budget::{Budget, Exhausted};

/// A candidate set of cards with the selector that matches exactly them.
pub(crate) struct Group {
    pub selector: String,
    pub cost: f64,
    pub members: Vec<usize>,
}

/// Most candidate selectors evaluated per page.
const MAX_SELECTORS: usize = 400;
/// Deepest climb from a link to its card.
const MAX_LEVELS: usize = 7;
/// More links than this under one element, and it is no single card.
const MAX_CARD_LINKS: usize = 64;

/// Story links to climb from: every headline-like link, plus the link that
/// owns an unlinked headline (`<h2>Title</h2> … <a>Read more</a>` cards).
fn seeds(dom: &Dom<'_>, links: &Links) -> Vec<usize> {
    let mut out: BTreeSet<usize> = BTreeSet::new();
    for (k, l) in links.all.iter().enumerate() {
        if l.is_headline() {
            out.insert(k);
        }
    }
    for (h, n) in dom.nodes.iter().enumerate() {
        if !matches!(n.tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6") {
            continue;
        }
        if !links.in_range(h, n.end).is_empty() || n.link_at.is_some() {
            continue;
        }
        let text = dom.short_text(h, 2048).unwrap_or_default();
        if headline_score(&text, dom.is_short_date(&text)) < 0.5 {
            continue;
        }
        // The one story link of the nearest ancestor holding any (a second
        // distinct story, or more links than a card holds, means the heading's
        // card has been left behind).
        let mut cur = n.parent;
        for _ in 0..3 {
            let Some(x) = cur else { break };
            if matches!(dom.nodes[x].tag, "body" | "html") {
                break;
            }
            let mut stories = links
                .in_range(x, dom.nodes[x].end)
                .iter()
                .filter(|l| l.urlq >= 0.5)
                .take(MAX_CARD_LINKS);
            if let Some(first) = stories.next() {
                let rest: Vec<&Link> = stories.collect();
                if rest.len() + 1 < MAX_CARD_LINKS
                    && rest.iter().all(|l| l.key == first.key)
                    && let Ok(k) = links.all.binary_search_by_key(&first.node, |x| x.node)
                {
                    out.insert(k);
                }
                break;
            }
            cur = dom.nodes[x].parent;
        }
    }
    out.into_iter().collect()
}

/// For every story link, the chain of elements from the `<a>` up to the
/// largest ancestor that holds no other story.
pub(crate) fn seed_chains(dom: &Dom<'_>, links: &Links) -> Vec<Vec<usize>> {
    let mut chains = Vec::new();
    for k in seeds(dom, links) {
        let l = &links.all[k];
        let mut chain = vec![l.node];
        let mut cur = l.node;
        while chain.len() < MAX_LEVELS {
            let Some(p) = dom.nodes[cur].parent else {
                break;
            };
            if matches!(dom.nodes[p].tag, "body" | "html") {
                break;
            }
            if links.other_story(p, dom.nodes[p].end, &l.key) {
                break;
            }
            chain.push(p);
            cur = p;
        }
        chains.push(chain);
    }
    chains
}

fn add(keys: &mut BTreeMap<String, f64>, sel: String, cost: f64) {
    // Only bare tags (`ul > li`): fragile, prefer any named step.
    let named = sel.contains(['.', '#', '[']) || sel == "article";
    let cost = if named { cost } else { cost.max(1.0) + 1.5 };
    let e = keys.entry(sel).or_insert(cost);
    if cost < *e {
        *e = cost;
    }
}

/// Candidate selectors describing element `e` as a card.
fn selectors_for(dom: &Dom<'_>, e: usize, keys: &mut BTreeMap<String, f64>) {
    let own = simple_forms(dom, e, 3);
    for (f, c) in &own {
        add(keys, f.clone(), *c);
    }
    let Some(p) = dom.nodes[e].parent else { return };
    if matches!(dom.nodes[p].tag, "html") {
        return;
    }
    let mut parent_forms = anchor_forms(dom, p, 1)
        .into_iter()
        .filter(|(f, _)| f.starts_with('#'))
        .collect::<Vec<_>>();
    parent_forms.extend(simple_forms(dom, p, 2));
    for (pf, pc) in &parent_forms {
        for (f, c) in own.iter().take(4) {
            add(keys, format!("{pf} > {f}"), pc + c + 0.2);
        }
    }
    // Named ancestors above the parent.
    let mut got = 0;
    let mut steps = 0;
    let mut a = dom.nodes[p].parent;
    while let Some(x) = a {
        if got >= 2 || steps >= 8 || matches!(dom.nodes[x].tag, "body" | "html") {
            break;
        }
        if let Some((af, ac)) = anchor_forms(dom, x, 1).into_iter().next() {
            for (f, c) in own.iter().take(3) {
                add(keys, format!("{af} {f}"), ac + c + 0.3);
            }
            got += 1;
        }
        steps += 1;
        a = dom.nodes[x].parent;
    }
}

/// All candidate groups of the page, deduplicated by membership; each selector
/// run (a walk of the document) is one check of `budget`.
pub(crate) fn candidate_groups(
    doc: &Html,
    dom: &Dom<'_>,
    links: &Links,
    budget: &Budget,
) -> Result<Vec<Group>, Exhausted> {
    let chains = seed_chains(dom, links);
    let mut support: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for chain in &chains {
        let mut keys = BTreeMap::new();
        for &e in chain {
            selectors_for(dom, e, &mut keys);
        }
        for (k, c) in keys {
            let e = support.entry(k).or_insert((0, c));
            e.0 += 1;
            e.1 = e.1.min(c);
        }
    }
    let mut ranked: Vec<(String, usize, f64)> = support
        .into_iter()
        .filter(|(_, (n, _))| *n >= 2)
        .map(|(s, (n, c))| (s, n, c))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.total_cmp(&b.2)).then(a.0.cmp(&b.0)));
    ranked.truncate(MAX_SELECTORS);

    let mut by_members: BTreeMap<Vec<usize>, (f64, String)> = BTreeMap::new();
    for (sel, _, cost) in ranked {
        budget.check()?;
        let Some(members) = run(doc, dom, &sel) else {
            continue;
        };
        if members.len() < 3 {
            continue;
        }
        offer(&mut by_members, members, sel, cost);
    }
    for (members, sel, cost) in sibling_groups(doc, dom, &chains, budget)? {
        offer(&mut by_members, members, sel, cost);
    }
    let found: Vec<Vec<usize>> = by_members.keys().cloned().collect();
    for members in found {
        for (lifted, sel, cost) in lifted_groups(doc, dom, &members, &by_members, budget)? {
            offer(&mut by_members, lifted, sel, cost);
        }
    }
    Ok(by_members
        .into_iter()
        .map(|(members, (cost, selector))| Group {
            selector,
            cost,
            members,
        })
        .collect())
}

fn offer(
    by_members: &mut BTreeMap<Vec<usize>, (f64, String)>,
    members: Vec<usize>,
    sel: String,
    cost: f64,
) {
    match by_members.get_mut(&members) {
        Some(cur) => {
            let better = cost < cur.0 - 1e-9
                || ((cost - cur.0).abs() < 1e-9 && (sel.len(), &sel) < (cur.1.len(), &cur.1));
            if better {
                *cur = (cost, sel);
            }
        }
        None => {
            by_members.insert(members, (cost, sel));
        }
    }
}

/// Cards whose story link sits in a header while the body holds more links
/// (full-post indexes) are found one level too low by the climb. Lifting a
/// group to ancestors that are distinct per member recovers the whole card
/// (`article.post` instead of `header.entry-header`).
fn lifted_groups(
    doc: &Html,
    dom: &Dom<'_>,
    members: &[usize],
    known: &BTreeMap<Vec<usize>, (f64, String)>,
    budget: &Budget,
) -> Result<Vec<(Vec<usize>, String, f64)>, Exhausted> {
    let mut out = Vec::new();
    let mut level: Vec<usize> = members.to_vec();
    for _ in 0..3 {
        let mut up = Vec::with_capacity(level.len());
        for &m in &level {
            match dom.nodes[m].parent {
                Some(p) if !matches!(dom.nodes[p].tag, "body" | "html") => up.push(p),
                _ => return Ok(out),
            }
        }
        let mut sorted = up.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() != up.len() || sorted.windows(2).any(|w| dom.contains(w[0], w[1])) {
            return Ok(out);
        }
        if known.contains_key(&sorted) {
            level = sorted; // this level already has a verified selector
            continue;
        }
        let mut support: BTreeMap<String, (usize, f64)> = BTreeMap::new();
        for &e in &sorted {
            let mut keys = BTreeMap::new();
            selectors_for(dom, e, &mut keys);
            for (k, c) in keys {
                let en = support.entry(k).or_insert((0, c));
                en.0 += 1;
            }
        }
        let need = (sorted.len() * 3).div_ceil(5);
        let mut ranked: Vec<(String, usize, f64)> = support
            .into_iter()
            .filter(|(_, (n, _))| *n >= need)
            .map(|(s, (n, c))| (s, n, c))
            .collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.total_cmp(&b.2)).then(a.0.cmp(&b.0)));
        for (sel, _, cost) in ranked.into_iter().take(6) {
            budget.check()?;
            if let Some(found) = run(doc, dom, &sel)
                && found.len() >= 3
            {
                out.push((found, sel, cost));
            }
        }
        level = sorted;
    }
    Ok(out)
}

/// Same-tag siblings holding stories under one parent, for pages where no class
/// or attribute names them. Their selector is a path from the nearest named
/// ancestor, with `:nth-of-type` only where a step is otherwise ambiguous.
fn sibling_groups(
    doc: &Html,
    dom: &Dom<'_>,
    chains: &[Vec<usize>],
    budget: &Budget,
) -> Result<Vec<(Vec<usize>, String, f64)>, Exhausted> {
    // parent -> tag -> children that are seed-chain elements
    let mut by_parent: BTreeMap<usize, BTreeMap<&str, BTreeSet<usize>>> = BTreeMap::new();
    for chain in chains {
        for &e in chain {
            if let Some(p) = dom.nodes[e].parent {
                by_parent
                    .entry(p)
                    .or_default()
                    .entry(dom.nodes[e].tag)
                    .or_default()
                    .insert(e);
            }
        }
    }
    let mut out = Vec::new();
    for (p, tags) in by_parent {
        for (tag, kids) in tags {
            if kids.len() < 3 {
                continue;
            }
            let members: Vec<usize> = kids.into_iter().collect();
            let Some(path) = path_to(doc, dom, p) else {
                continue;
            };
            let sel = format!("{path} > {tag}");
            budget.check()?;
            let Some(found) = run(doc, dom, &sel) else {
                continue;
            };
            // Accept when the path selects exactly the story-holding siblings
            // plus, at most, a few story-less siblings of the same tag.
            let all_kids: Vec<usize> = dom.nodes[p]
                .children
                .iter()
                .copied()
                .filter(|&k| dom.nodes[k].tag == tag)
                .collect();
            if found == all_kids && members.len() * 2 >= all_kids.len() {
                let cost = 3.0 + path.matches(' ').count() as f64 * 0.5 + tag_cost(tag);
                out.push((found, sel, cost));
            }
        }
    }
    Ok(out)
}

/// A selector that matches exactly element `i`: a named ancestor (id/class)
/// followed by child steps, `:nth-of-type` added only where needed.
fn path_to(doc: &Html, dom: &Dom<'_>, i: usize) -> Option<String> {
    let mut steps: Vec<String> = Vec::new();
    let mut cur = i;
    for _ in 0..8 {
        let n = &dom.nodes[cur];
        let compound = match (n.el.value().id(), stable_classes(dom, cur).first()) {
            (Some(id), _) if super::selector::stable_id(id) => format!("#{id}"),
            (_, Some(c)) => format!("{}.{c}", n.tag),
            _ => n.tag.to_string(),
        };
        steps.push(compound);
        let sel = steps.iter().rev().cloned().collect::<Vec<_>>().join(" > ");
        if let Some(found) = run(doc, dom, &sel)
            && found == vec![i]
        {
            return Some(sel);
        }
        // disambiguate this step by position among same-tag siblings
        if let Some(p) = n.parent {
            let same: Vec<usize> = dom.nodes[p]
                .children
                .iter()
                .copied()
                .filter(|&k| dom.nodes[k].tag == n.tag)
                .collect();
            if same.len() > 1
                && let Some(pos) = same.iter().position(|&k| k == cur)
            {
                let last = steps.len() - 1;
                steps[last] = format!("{}:nth-of-type({})", steps[last], pos + 1);
                let sel = steps.iter().rev().cloned().collect::<Vec<_>>().join(" > ");
                if let Some(found) = run(doc, dom, &sel)
                    && found == vec![i]
                {
                    return Some(sel);
                }
            }
            cur = p;
        } else {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn chain_stops_below_shared_container() {
        let doc = Html::parse_document(
            "<html><body><div class='list'>\
             <div class='card'><h3><a href='/n/one-two-three'>One two three four</a></h3></div>\
             <div class='card'><h3><a href='/n/four-five-six'>Four five six seven</a></h3></div>\
             <div class='card'><h3><a href='/n/seven-eight-nine'>Seven eight nine ten</a></h3></div>\
             </div></body></html>",
        );
        let url = Url::parse("https://e.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        let chains = seed_chains(&dom, &links);
        assert_eq!(chains.len(), 3);
        let top = *chains[0].last().unwrap();
        assert_eq!(dom.nodes[top].tag, "div");
        let groups = candidate_groups(&doc, &dom, &links, &Budget::unlimited()).unwrap();
        assert!(
            groups
                .iter()
                .any(|g| g.selector == "div.card" && g.members.len() == 3)
        );
    }

    #[test]
    fn classless_siblings_get_a_path() {
        let doc = Html::parse_document(
            "<html><body><div><p>x</p></div><div id='posts'><div><div>\
             <a href='/n/one-two-three'>One two three four</a></div><div>\
             <a href='/n/four-five-six'>Four five six seven</a></div><div>\
             <a href='/n/seven-eight-nine'>Seven eight nine ten</a></div></div></div></body></html>",
        );
        let url = Url::parse("https://e.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        let groups = candidate_groups(&doc, &dom, &links, &Budget::unlimited()).unwrap();
        assert!(
            groups
                .iter()
                .any(|g| g.members.len() == 3 && g.selector.starts_with("#posts")),
            "{:?}",
            groups.iter().map(|g| &g.selector).collect::<Vec<_>>()
        );
    }
}
