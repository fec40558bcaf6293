//! Building robust, readable CSS selectors.
//!
//! A detected feed is stored as selectors, and a site redeploy must not break
//! it. So selectors are built only from parts that survive a rebuild: tag
//! names, human-written classes (`summary-item__hed`, `post-list`), word-valued
//! attributes (`[data-testid="BylineName"]`, `[itemprop="headline"]`) and ids
//! without digits. Generated names (`css-1x2y3z`, `sc-bdVaJa`,
//! `SummaryItemWrapper-iwvBff`, `post-1234`) are refused. Every selector offered
//! for cards is verified by running it on the document; field selectors are
//! verified card by card (first match must be the intended element).

use std::collections::{BTreeMap, BTreeSet};

use scraper::{Html, Selector};

use super::dom::Dom;

/// Tags that read well on their own in a selector.
fn semantic_tag(tag: &str) -> bool {
    matches!(
        tag,
        "article"
            | "li"
            | "tr"
            | "section"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "table"
            | "ul"
            | "ol"
            | "main"
            | "time"
            | "img"
            | "picture"
            | "p"
            | "header"
            | "address"
    )
}

/// Readability cost of a bare tag compound.
pub(crate) fn tag_cost(tag: &str) -> f64 {
    if semantic_tag(tag) { 1.0 } else { 1.5 }
}

fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        Some('-') => match chars.next() {
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
            _ => return false,
        },
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn vowel_ratio(s: &str) -> f64 {
    let letters: Vec<char> = s.chars().filter(|c| c.is_ascii_alphabetic()).collect();
    if letters.is_empty() {
        return 0.0;
    }
    let v = letters
        .iter()
        .filter(|c| matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
        .count();
    v as f64 / letters.len() as f64
}

/// Does a name part look machine-generated (hash, random suffix)?
fn random_part(part: &str) -> bool {
    let digits = part.chars().filter(|c| c.is_ascii_digit()).count();
    let letters = part.chars().filter(|c| c.is_ascii_alphabetic()).count();
    if digits > 0 && letters > 0 {
        // `mt1`, `h2`, `col4` are fine; `x2y3z`, `k99zVL`, `3kd9X` are not.
        let trailing_only = part
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .chars()
            .all(|c| c.is_ascii_alphabetic());
        if !(trailing_only && digits <= 2) {
            return true;
        }
    }
    if letters == part.len() && part.len() >= 4 {
        let uppers = part.chars().filter(|c| c.is_ascii_uppercase()).count();
        let inner_upper = part.chars().skip(1).any(|c| c.is_ascii_uppercase());
        let all_upper = uppers == part.len();
        // `FyrdD`, `hYsZi`, `cPpCwE`: irregular casing in a short token.
        if part.len() <= 8
            && inner_upper
            && !all_upper
            && (uppers >= 2 || part.ends_with(|c: char| c.is_ascii_uppercase()))
        {
            return true;
        }
        let starts_lower = part.starts_with(|c: char| c.is_ascii_lowercase());
        if part.len() >= 5 && inner_upper && starts_lower && vowel_ratio(part) < 0.3 {
            return true;
        }
        if part.len() >= 5 && part.len() <= 10 && vowel_ratio(part) < 0.12 {
            return true;
        }
    }
    false
}

/// styled-components / CSS-modules shape: `PascalName-hashy` or
/// `Name_part__hash` with a short mixed-case suffix.
fn component_hash(c: &str) -> bool {
    let (prefix, suffix) = match c.rsplit_once("__").or_else(|| c.rsplit_once('-')) {
        Some(x) => x,
        None => return false,
    };
    let pascal = prefix.starts_with(|ch: char| ch.is_ascii_uppercase())
        && prefix.chars().skip(1).any(|ch| ch.is_ascii_uppercase());
    let mixed = suffix.chars().any(|ch| ch.is_ascii_uppercase())
        && suffix.chars().any(|ch| ch.is_ascii_lowercase());
    pascal
        && (5..=8).contains(&suffix.len())
        && (mixed || suffix.chars().any(|ch| ch.is_ascii_digit()))
}

/// A class worth putting into a selector.
pub(crate) fn stable_class(c: &str) -> bool {
    if c.len() > 40 || !is_ident(c) {
        return false;
    }
    let lower = c.to_ascii_lowercase();
    for p in [
        "css-", "sc-", "jsx-", "emotion-", "svelte-", "ng-tns-", "ember",
    ] {
        if lower.starts_with(p) {
            return false;
        }
    }
    if c.starts_with('_') {
        return false;
    }
    // WordPress per-post taxonomy classes differ from card to card.
    for p in [
        "category-",
        "tag-",
        "status-",
        "format-",
        "type-",
        "author-",
    ] {
        if lower.starts_with(p) {
            return false;
        }
    }
    let digits = c.chars().filter(|ch| ch.is_ascii_digit()).count();
    if digits >= 3 {
        return false;
    }
    if component_hash(c) || c.split(['-', '_']).any(random_part) {
        return false;
    }
    // State / utility classes that differ between otherwise identical cards.
    !matches!(
        lower.as_str(),
        "active"
            | "first"
            | "last"
            | "odd"
            | "even"
            | "selected"
            | "current"
            | "clearfix"
            | "cf"
            | "fl"
            | "fr"
            | "hidden"
            | "show"
            | "visible"
            | "lazy"
            | "lazyloaded"
            | "loaded"
            | "undefined"
            | "null"
            | "false"
            | "true"
            | "nan"
    )
}

/// An id worth putting into a selector: no digits, not generated.
pub(crate) fn stable_id(id: &str) -> bool {
    id.len() <= 40
        && is_ident(id)
        && !id.chars().any(|c| c.is_ascii_digit())
        && !id.split(['-', '_']).any(random_part)
}

/// Stable attribute `name="value"` pairs of an element (data-*, itemprop, role).
pub(crate) fn stable_attrs<'a>(dom: &Dom<'a>, i: usize) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for (name, value) in dom.nodes[i].el.value().attrs() {
        let keep_name = name == "itemprop" || name == "role" || name.starts_with("data-");
        if !keep_name || !is_ident(name) {
            continue;
        }
        let v = value.trim();
        let wordlike = !v.is_empty()
            && v.len() <= 30
            && v.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && v.chars()
                .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_' || c == ' ')
            && !v.split(['-', '_', ' ']).any(random_part);
        if wordlike {
            out.push((name, v));
        }
    }
    out.sort();
    out
}

const LAYOUT_TOKENS: &[&str] = &[
    "col",
    "cols",
    "grid",
    "flex",
    "xs",
    "sm",
    "md",
    "lg",
    "xl",
    "xxl",
    "offset",
    "push",
    "pull",
    "span",
    "align",
    "left",
    "right",
    "center",
    "text",
    "size",
    "small",
    "large",
    "big",
    "bold",
    "dark",
    "light",
    "theme",
    "color",
    "bg",
    "pad",
    "padding",
    "margin",
    "mt",
    "mb",
    "ml",
    "mr",
    "pt",
    "pb",
    "pl",
    "pr",
    "w",
    "h",
    "u",
    "util",
    "js",
    "tracking",
    "track",
    "analytics",
    "gtm",
    "border",
    "grey",
    "gray",
    "muted",
    "red",
    "blue",
    "green",
    "black",
    "white",
];

/// Extra readability cost of a class: layout utilities (`col-md-4`,
/// `h-c-grid__col`), BEM modifiers (`card--large`) and digits read worse than
/// a plain block/element name.
pub(crate) fn class_cost(c: &str) -> f64 {
    let mut cost = 0.0;
    if c.contains("--") {
        cost += 0.3;
    }
    // Split `pb20` into `pb` + `20` as well as on separators and camelCase.
    let parts: Vec<String> = super::dom::tokens(c)
        .iter()
        .flat_map(|t| {
            let alpha: String = t.chars().take_while(|ch| !ch.is_ascii_digit()).collect();
            let rest: String = t.chars().skip(alpha.len()).collect();
            [alpha, rest]
        })
        .filter(|t| !t.is_empty())
        .collect();
    if parts
        .iter()
        .any(|t| LAYOUT_TOKENS.contains(&t.as_str()) || t.chars().all(|ch| ch.is_ascii_digit()))
    {
        cost += 0.3;
    }
    if c.chars().any(|ch| ch.is_ascii_digit()) {
        cost += 0.2;
    }
    cost
}

/// Stable classes of an element, most descriptive first (cheapest, then
/// longer, then by name).
pub(crate) fn stable_classes<'a>(dom: &Dom<'a>, i: usize) -> Vec<&'a str> {
    // styled-components writes `Name-hash shortHash`: the class right after a
    // component hash is generated too, even when it reads like a word.
    let raw: Vec<&'a str> = dom.nodes[i]
        .el
        .attr("class")
        .map(|c| c.split_ascii_whitespace().collect())
        .unwrap_or_default();
    let paired: BTreeSet<&str> = raw
        .windows(2)
        .filter(|w| component_hash(w[0]) && w[1].len() <= 8 && !w[1].contains(['-', '_']))
        .map(|w| w[1])
        .collect();
    let mut cs: Vec<&'a str> = dom.nodes[i]
        .el
        .value()
        .classes()
        .filter(|c| stable_class(c) && !paired.contains(c))
        .collect();
    cs.sort_by(|a, b| {
        let sa = a.contains(['-', '_']);
        let sb = b.contains(['-', '_']);
        class_cost(a)
            .total_cmp(&class_cost(b))
            .then(sb.cmp(&sa))
            .then(a.len().cmp(&b.len()))
            .then(a.cmp(b))
    });
    cs
}

/// Simple selectors (one compound) that describe element `i`, with readability
/// cost, cheapest first.
pub(crate) fn simple_forms(dom: &Dom<'_>, i: usize, max_classes: usize) -> Vec<(String, f64)> {
    let tag = dom.nodes[i].tag;
    let mut out = vec![(tag.to_string(), tag_cost(tag))];
    for c in stable_classes(dom, i).into_iter().take(max_classes) {
        out.push((format!("{tag}.{c}"), 1.2 + class_cost(c)));
    }
    for (name, value) in stable_attrs(dom, i).into_iter().take(3) {
        out.push((format!("{tag}[{name}=\"{value}\"]"), attr_cost(name)));
    }
    out
}

/// Readability/robustness cost of an attribute compound: microdata and test
/// ids are made to be selected, other `data-*` less so.
fn attr_cost(name: &str) -> f64 {
    match name {
        "itemprop" => 1.1,
        "data-testid" | "data-test" | "data-qa" => 1.3,
        _ => 1.6,
    }
}

/// Forms for an element inside a card (field selectors): like
/// [`simple_forms`], but a bare `span`/`a`/`div` is discouraged (it breaks
/// as soon as a card gains another one) and tag-less classes are offered for
/// cards whose title is `h2` in some and `h3` in others.
fn field_forms(dom: &Dom<'_>, i: usize) -> Vec<(String, f64)> {
    let tag = dom.nodes[i].tag;
    let mut out = simple_forms(dom, i, 3);
    if !matches!(
        tag,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "time" | "img" | "picture"
    ) {
        out[0].1 = 1.4;
    }
    for c in stable_classes(dom, i).into_iter().take(2) {
        out.push((format!(".{c}"), 1.25 + class_cost(c)));
    }
    out
}

/// Compound naming a container: `#id`, `tag.class` or a semantic tag.
pub(crate) fn anchor_forms(dom: &Dom<'_>, i: usize, max: usize) -> Vec<(String, f64)> {
    let n = &dom.nodes[i];
    let mut out = Vec::new();
    if let Some(id) = n.el.value().id()
        && stable_id(id)
    {
        out.push((format!("#{id}"), 1.0));
    }
    for c in stable_classes(dom, i).into_iter().take(2) {
        out.push((format!("{}.{c}", n.tag), 1.2 + class_cost(c)));
    }
    for (name, value) in stable_attrs(dom, i).into_iter().take(1) {
        out.push((format!("{}[{name}=\"{value}\"]", n.tag), 1.6));
    }
    out.truncate(max);
    out
}

/// Runs a selector on the document and returns the dom indices it matches,
/// exactly as `Html::select` would. When the selector's subject names a tag
/// (all card selectors built here do), only elements of that tag are tested.
pub(crate) fn run(doc: &Html, dom: &Dom<'_>, sel: &str) -> Option<Vec<usize>> {
    let s = Selector::parse(sel).ok()?;
    let mut v: Vec<usize> = match subject_tag(sel) {
        Some(tag) => dom
            .with_tag(&tag)
            .iter()
            .copied()
            .filter(|&i| s.matches(&dom.nodes[i].el))
            .collect(),
        None => doc.select(&s).filter_map(|e| dom.index_of(&e)).collect(),
    };
    v.sort_unstable();
    v.dedup();
    Some(v)
}

/// Tag name of the subject (last compound) of a single complex selector, if
/// it starts with one: `div.river > article.card` → `article`.
fn subject_tag(sel: &str) -> Option<String> {
    if sel.contains(',') {
        return None;
    }
    let last = sel.rsplit([' ', '>', '+', '~']).next()?.trim();
    let tag: String = last
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!tag.is_empty()).then(|| tag.to_ascii_lowercase())
}

/// Builds the relative selector that, evaluated inside each card, finds the
/// intended element first. `targets[k]` is the element wanted in `cards[k]`
/// (`None` when that card lacks it). Returns the best selector when it hits at
/// least 60 % of the targets.
pub(crate) fn relative_selector(
    dom: &Dom<'_>,
    cards: &[usize],
    targets: &[Option<usize>],
) -> Option<String> {
    let wanted = targets.iter().filter(|t| t.is_some()).count();
    if wanted == 0 {
        return None;
    }
    // Candidate selectors voted by the targets.
    let mut votes: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for (k, t) in targets.iter().enumerate() {
        let Some(t) = *t else { continue };
        let card = cards[k];
        let mut forms = field_forms(dom, t);
        if let Some(p) = dom.nodes[t].parent
            && p != card
            && dom.contains(card, p)
        {
            let base: Vec<(String, f64)> = forms.iter().take(2).cloned().collect();
            for (pf, pc) in simple_forms(dom, p, 2) {
                for (tf, tc) in &base {
                    forms.push((format!("{pf} {tf}"), pc + tc + 0.3));
                }
            }
        }
        for (f, c) in forms {
            let e = votes.entry(f).or_insert((0, c));
            e.0 += 1;
        }
    }
    // Headings of mixed levels across cards: offer the union (`h2, h3`).
    let heading_tags: BTreeSet<&str> = targets
        .iter()
        .flatten()
        .map(|&t| dom.nodes[t].tag)
        .filter(|t| matches!(*t, "h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
        .collect();
    if heading_tags.len() > 1 {
        let n = targets
            .iter()
            .flatten()
            .filter(|&&t| heading_tags.contains(dom.nodes[t].tag))
            .count();
        let union = heading_tags.into_iter().collect::<Vec<_>>().join(", ");
        votes.insert(union, (n, 1.6));
    }
    let best = best_of(dom, cards, targets, votes, 24);
    if best
        .as_ref()
        .is_some_and(|(v, _, _)| *v >= wanted as f64 - 1e-9)
    {
        return best.map(|(_, _, s)| s);
    }
    // Second round: the target is not the first of its kind in the card (a
    // category link before the title link). Try `tag:not(.class-of-the-decoy)`
    // and, as a last resort, `tag:nth-of-type(k)`.
    let mut extra: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for (k, t) in targets.iter().enumerate() {
        let Some(t) = *t else { continue };
        let card = cards[k];
        let tag = dom.nodes[t].tag;
        let decoy = (card + 1..dom.nodes[card].end).find(|&j| dom.nodes[j].tag == tag);
        if let Some(d) = decoy
            && d != t
        {
            for c in stable_classes(dom, d) {
                if !dom.nodes[t].el.value().classes().any(|x| x == c) {
                    let e = extra
                        .entry(format!("{tag}:not(.{c})"))
                        .or_insert((0, tag_cost(tag) + 0.8));
                    e.0 += 1;
                }
            }
        }
        if let Some(p) = dom.nodes[t].parent {
            let pos = dom.nodes[p]
                .children
                .iter()
                .filter(|&&x| dom.nodes[x].tag == tag)
                .position(|&x| x == t);
            if let Some(pos) = pos {
                let e = extra
                    .entry(format!("{tag}:nth-of-type({})", pos + 1))
                    .or_insert((0, tag_cost(tag) + 2.5));
                e.0 += 1;
            }
        }
    }
    let second = best_of(dom, cards, targets, extra, 8);
    let pick = match (best, second) {
        (Some(a), Some(b)) => Some(if b.0 > a.0 + 1e-9 { b } else { a }),
        (a, b) => a.or(b),
    };
    let (value, _, sel) = pick?;
    (value >= 0.6 * wanted as f64).then_some(sel)
}

/// Evaluates the `limit` most-voted selectors; returns (value, cost, selector)
/// of the best, where value = hits − ½·wrong first matches.
fn best_of(
    dom: &Dom<'_>,
    cards: &[usize],
    targets: &[Option<usize>],
    votes: BTreeMap<String, (usize, f64)>,
    limit: usize,
) -> Option<(f64, f64, String)> {
    let mut ranked: Vec<(String, usize, f64)> =
        votes.into_iter().map(|(s, (n, c))| (s, n, c)).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.2.total_cmp(&b.2)).then(a.0.cmp(&b.0)));
    ranked.truncate(limit);
    let mut best: Option<(f64, f64, String)> = None;
    for (sel, _, cost) in ranked {
        let Ok(s) = Selector::parse(&sel) else {
            continue;
        };
        let mut hits = 0usize;
        let mut wrong = 0usize;
        for (k, &card) in cards.iter().enumerate() {
            let first = dom.nodes[card]
                .el
                .select(&s)
                .next()
                .and_then(|e| dom.index_of(&e));
            match (first, targets[k]) {
                (Some(f), Some(t)) if f == t => hits += 1,
                (Some(_), _) => wrong += 1,
                (None, _) => {}
            }
        }
        let value = hits as f64 - 0.5 * wrong as f64;
        let better = match &best {
            None => true,
            Some((bv, bc, _)) => value > *bv + 1e-9 || ((value - *bv).abs() < 1e-9 && cost < *bc),
        };
        if better {
            best = Some((value, cost, sel));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    #[test]
    fn generated_classes_are_refused() {
        for c in [
            "css-1x2y3z",
            "sc-bdVaJa",
            "SummaryItemWrapper-iwvBff",
            "SummaryItemBylineWrapper-boCfbi",
            "FyrdD",
            "hYsZi",
            "cPpCwE",
            "post-1234",
            "Card_title__3kd9X",
            "k99zVL12",
            "_3xYz9",
        ] {
            assert!(!stable_class(c), "{c} should be unstable");
        }
        for c in [
            "summary-item__hed",
            "post-list",
            "mt1",
            "result-row",
            "athing",
            "tout__list-item",
            "entry-title",
            "story",
            "list_txt",
            "iPhone",
            "CTA",
            "isActive",
            "summary-item__hed-link",
        ] {
            assert!(stable_class(c), "{c} should be stable");
        }
    }

    #[test]
    fn subject_tags() {
        assert_eq!(
            subject_tag("div.river > article.card").as_deref(),
            Some("article")
        );
        assert_eq!(subject_tag("#content li").as_deref(), Some("li"));
        assert_eq!(subject_tag("a[data-id=\"x\"]").as_deref(), Some("a"));
        assert_eq!(subject_tag(".card"), None);
        assert_eq!(subject_tag("h2, h3"), None);
    }

    #[test]
    fn ids_with_digits_are_refused() {
        assert!(stable_id("content"));
        assert!(!stable_id("post-123"));
        assert!(!stable_id("20200704A04HVX_1"));
    }

    #[test]
    fn relative_selector_finds_title_class() {
        let doc = Html::parse_document(
            "<div class='c'><span class='kicker'>K</span><span class='t'>One title</span></div>\
             <div class='c'><span class='kicker'>K</span><span class='t'>Two title</span></div>",
        );
        let url = Url::parse("https://e.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let cards: Vec<usize> = (0..dom.nodes.len())
            .filter(|&i| dom.nodes[i].tag == "div")
            .collect();
        let targets: Vec<Option<usize>> = cards
            .iter()
            .map(|&c| {
                (c..dom.nodes[c].end).find(|&j| {
                    dom.nodes[j]
                        .el
                        .value()
                        .has_class("t", scraper::CaseSensitivity::CaseSensitive)
                })
            })
            .collect();
        assert_eq!(
            relative_selector(&dom, &cards, &targets).as_deref(),
            Some("span.t")
        );
    }
}
