//! A flat, pre-order index over the parsed document.
//!
//! Card detection asks the same structural questions thousands of times: "is X
//! inside Y?", "which links sit in this subtree?", "is this element inside a
//! `<nav>` or a 'most popular' rail?". `scraper`'s tree answers them by walking;
//! this index answers them with array look-ups. Every element gets a pre-order
//! number, so a subtree is the contiguous range `i..end`, and the page-region
//! context (navigation, sidebars, main content) is computed once per element.

use std::collections::{BTreeMap, HashMap};

use scraper::{ElementRef, Html};
use url::Url;

/// One element of the document.
pub(crate) struct Node<'a> {
    pub el: ElementRef<'a>,
    pub tag: &'a str,
    pub parent: Option<usize>,
    /// Exclusive end of this element's subtree in pre-order numbering.
    pub end: usize,
    pub children: Vec<usize>,
    /// Nearest ancestor-or-self that marks a boilerplate region (nav, footer, rail…).
    pub neg_at: Option<usize>,
    /// Nearest ancestor-or-self that marks the main content region.
    pub pos_at: Option<usize>,
    /// Region this element marks by itself, whether it is marked only by a
    /// name (class/id/heading text: weaker than a `<nav>` tag or a role), and
    /// a label for reasons.
    mark: Option<(Region, bool, String)>,
}

/// The index itself, plus the URL that relative links resolve against.
pub(crate) struct Dom<'a> {
    pub nodes: Vec<Node<'a>>,
    by_ptr: HashMap<usize, usize>,
    /// Elements by tag name, in document order.
    by_tag: BTreeMap<&'a str, Vec<usize>>,
    /// `<base href>` resolved against the page URL, else the page URL.
    pub base: Url,
    pub page: Url,
}

/// Region polarity of an element on its own (not inherited).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Region {
    Boilerplate,
    Main,
}

/// Elements whose text is never visible content.
pub(crate) fn is_textless(tag: &str) -> bool {
    matches!(
        tag,
        "script" | "style" | "noscript" | "template" | "svg" | "head" | "title" | "iframe"
    )
}

/// Splits class names / ids into lower-case word tokens: `mostRead-list_2` →
/// `most`, `read`, `list`, `2`.
pub(crate) fn tokens(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for ch in s.chars() {
        if ch.is_alphanumeric() {
            if ch.is_uppercase() && prev_lower && !cur.is_empty() {
                out.push(std::mem::take(&mut cur).to_lowercase());
            }
            prev_lower = ch.is_lowercase() || ch.is_ascii_digit();
            cur.push(ch);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur).to_lowercase());
            }
            prev_lower = false;
        }
    }
    if !cur.is_empty() {
        out.push(cur.to_lowercase());
    }
    out
}

const NEG_TOKENS: &[&str] = &[
    "nav",
    "navbar",
    "navigation",
    "menu",
    "menus",
    "submenu",
    "megamenu",
    "footer",
    "sidebar",
    "widget",
    "widgets",
    "popular",
    "trending",
    "mostread",
    "mostpopular",
    "breadcrumb",
    "breadcrumbs",
    "share",
    "sharing",
    "social",
    "comment",
    "comments",
    "related",
    "recommended",
    "recommendations",
    "promo",
    "advert",
    "advertisement",
    "ads",
    "sponsor",
    "sponsored",
    "newsletter",
    "cookie",
    "cookies",
    "masthead",
    "topbar",
    "toolbar",
    "pagination",
    "pager",
    "tagcloud",
    "login",
    "signup",
    "subscribe",
    "dropdown",
    "drawer",
    "offcanvas",
    "modal",
    "popup",
    "hot",
    "ranking",
    "rail",
    "aside",
];

const POS_TOKENS: &[&str] = &[
    "main", "content", "primary", "river", "feed", "stream", "posts", "articles", "latest",
    "results", "listing", "archive", "timeline",
];

/// Headings that announce a rail rather than the page's own list.
const RAIL_PHRASES: &[&str] = &[
    "most read",
    "most popular",
    "most viewed",
    "most shared",
    "popular",
    "trending",
    "related",
    "recommended",
    "you may also like",
    "you might also like",
    "more from",
    "editor's picks",
    "editors' picks",
    "meistgelesen",
    "am meisten gelesen",
    "beliebt",
    "empfehlungen",
    "热门",
    "推荐",
    "相关",
    "排行",
];

const TAXONOMY_PREFIXES: &[&str] = &[
    "tag-",
    "category-",
    "categories-",
    "topic-",
    "format-",
    "post-",
    "type-",
    "status-",
    "author-",
    "section-",
];

const MOST_FOLLOWERS: &[&str] = &[
    "read",
    "viewed",
    "popular",
    "commented",
    "shared",
    "watched",
];

/// Region that this element marks by itself, with a short label for reasons.
pub(crate) fn classify(el: &ElementRef<'_>) -> Option<(Region, String)> {
    let v = el.value();
    let tag = v.name();
    match tag {
        "nav" | "footer" | "aside" | "menu" | "header" => {
            return Some((Region::Boilerplate, format!("<{tag}>")));
        }
        "main" => return Some((Region::Main, "<main>".to_string())),
        _ => {}
    }
    if let Some(role) = v.attr("role") {
        match role.trim().to_ascii_lowercase().as_str() {
            "navigation" | "banner" | "contentinfo" | "complementary" | "menu" | "menubar" => {
                return Some((Region::Boilerplate, format!("[role={}]", role.trim())));
            }
            "main" => return Some((Region::Main, "[role=main]".to_string())),
            _ => {}
        }
    }
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return Some((Region::Boilerplate, "hidden element".to_string()));
    }
    let mut names: Vec<(char, &str)> = Vec::new();
    if let Some(id) = v.id() {
        names.push(('#', id));
    }
    for c in v.classes() {
        // WordPress-style per-post taxonomy classes (`tag-social-media`,
        // `category-comments`) describe the post, not the page region.
        if !TAXONOMY_PREFIXES.iter().any(|p| c.starts_with(p)) {
            names.push(('.', c));
        }
    }
    let mut pos = None;
    for (sigil, name) in names {
        let toks = tokens(name);
        let mut neg = toks.iter().any(|t| NEG_TOKENS.contains(&t.as_str()));
        if !neg {
            neg = toks
                .windows(2)
                .any(|w| w[0] == "most" && MOST_FOLLOWERS.contains(&w[1].as_str()));
        }
        if neg {
            return Some((Region::Boilerplate, format!("{sigil}{name}")));
        }
        if pos.is_none() && toks.iter().any(|t| POS_TOKENS.contains(&t.as_str())) {
            pos = Some(format!("{sigil}{name}"));
        }
    }
    pos.map(|p| (Region::Main, p))
}

fn ptr_of(el: &ElementRef<'_>) -> usize {
    std::ptr::from_ref(el.value()) as usize
}

impl<'a> Dom<'a> {
    pub fn new(doc: &'a Html, page_url: &Url) -> Dom<'a> {
        let mut dom = Dom {
            nodes: Vec::new(),
            by_ptr: HashMap::new(),
            by_tag: BTreeMap::new(),
            base: page_url.clone(),
            page: page_url.clone(),
        };
        dom.add(doc.root_element(), None);
        dom.mark_labelled_rails();
        dom.inherit();
        for (i, n) in dom.nodes.iter().enumerate() {
            dom.by_tag.entry(n.tag).or_default().push(i);
        }
        let base_href = dom
            .nodes
            .iter()
            .find(|n| n.tag == "base" && n.el.attr("href").is_some())
            .and_then(|n| n.el.attr("href"));
        if let Some(href) = base_href
            && let Ok(u) = page_url.join(href.trim())
        {
            dom.base = u;
        }
        dom
    }

    fn add(&mut self, root: ElementRef<'a>, root_parent: Option<usize>) {
        // Iterative pre-order walk; a stack of (element, parent index, child cursor).
        let mut stack: Vec<(usize, Vec<ElementRef<'a>>, usize)> = Vec::new();
        let first = self.push(root, root_parent);
        stack.push((first, root.child_elements().collect(), 0));
        while let Some(top) = stack.last_mut() {
            let (idx, kids, cursor) = (top.0, &top.1, top.2);
            if cursor < kids.len() {
                let kid = kids[cursor];
                top.2 += 1;
                let k = self.push(kid, Some(idx));
                self.nodes[idx].children.push(k);
                stack.push((k, kid.child_elements().collect(), 0));
            } else {
                self.nodes[idx].end = self.nodes.len();
                stack.pop();
            }
        }
    }

    fn push(&mut self, el: ElementRef<'a>, parent: Option<usize>) -> usize {
        let idx = self.nodes.len();
        let mark = classify(&el).map(|(r, label)| {
            let by_name = label.starts_with('.') || label.starts_with('#');
            (r, by_name, label)
        });
        self.nodes.push(Node {
            el,
            tag: el.value().name(),
            parent,
            end: idx + 1,
            children: Vec::new(),
            neg_at: None,
            pos_at: None,
            mark,
        });
        self.by_ptr.insert(ptr_of(&el), idx);
        idx
    }

    /// A rail announced only by its heading (`<h2>Most read</h2><ol>…`):
    /// the heading's parent becomes a boilerplate region. Such a mark is as
    /// explicit as a tag, so `relax_wrappers` leaves it alone.
    fn mark_labelled_rails(&mut self) {
        for i in 0..self.nodes.len() {
            let n = &self.nodes[i];
            if !matches!(n.tag, "h2" | "h3" | "h4" | "h5" | "h6") {
                continue;
            }
            let Some(p) = n.parent else { continue };
            if self.nodes[p].mark.is_some() || matches!(self.nodes[p].tag, "body" | "html") {
                continue;
            }
            let text = self.text(i).to_lowercase();
            if text.chars().count() <= 40 && RAIL_PHRASES.iter().any(|ph| text.contains(ph)) {
                let label = format!("section headed \"{}\"", self.text(i));
                self.nodes[p].mark = Some((Region::Boilerplate, false, label));
            }
        }
    }

    /// Propagates region marks down the tree (parents precede children).
    fn inherit(&mut self) {
        for i in 0..self.nodes.len() {
            let (mut neg_at, mut pos_at) = match self.nodes[i].parent {
                Some(p) => (self.nodes[p].neg_at, self.nodes[p].pos_at),
                None => (None, None),
            };
            match self.nodes[i].mark {
                Some((Region::Boilerplate, _, _)) => neg_at = Some(i),
                Some((Region::Main, _, _)) => pos_at = Some(i),
                None => {}
            }
            self.nodes[i].neg_at = neg_at;
            self.nodes[i].pos_at = pos_at;
        }
    }

    /// Class names such as `with-sidebar` or `…-nav-variation` on a page-wide
    /// wrapper describe the layout, not a boilerplate region. A name-marked
    /// region that holds more than half of the page's story links (`stories`,
    /// dom indices) and more than a third of its elements is therefore
    /// unmarked, and region inheritance recomputed.
    pub fn relax_wrappers(&mut self, stories: &[usize]) {
        if stories.is_empty() {
            return;
        }
        let total = self.nodes.len();
        for i in 0..total {
            if let Some((Region::Boilerplate, true, _)) = self.nodes[i].mark {
                let end = self.nodes[i].end;
                let lo = stories.partition_point(|&s| s < i);
                let hi = stories.partition_point(|&s| s < end);
                // A wrapper also spans a large part of the page; a big menu
                // may hold many story-like links but not a third of the page.
                if (hi - lo) * 2 > stories.len() && (end - i) * 3 > total {
                    self.nodes[i].mark = None;
                }
            }
        }
        self.inherit();
    }

    /// Elements with the given tag name, in document order.
    pub fn with_tag(&self, tag: &str) -> &[usize] {
        self.by_tag.get(tag).map_or(&[], Vec::as_slice)
    }

    /// Index of an element that came from a `select` on the same document.
    pub fn index_of(&self, el: &ElementRef<'_>) -> Option<usize> {
        self.by_ptr.get(&ptr_of(el)).copied()
    }

    /// True when `inner` is `outer` or lies inside it.
    pub fn contains(&self, outer: usize, inner: usize) -> bool {
        inner >= outer && inner < self.nodes[outer].end
    }

    /// Whitespace-normalised visible text of an element.
    pub fn text(&self, i: usize) -> String {
        let mut raw = String::new();
        collect_text(self.nodes[i].el, &mut raw);
        normalize_ws(&raw)
    }

    /// Next element sibling.
    pub fn next_sibling(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent?;
        let kids = &self.nodes[p].children;
        let pos = kids.iter().position(|&k| k == i)?;
        kids.get(pos + 1).copied()
    }

    /// Context multiplier of an element: boilerplate regions pull it down, the
    /// main region lifts it slightly.
    pub fn context_factor(&self, i: usize) -> f64 {
        let n = &self.nodes[i];
        let mut f = 1.0;
        if n.neg_at.is_some() {
            f *= 0.35;
        }
        if n.pos_at.is_some() {
            f *= 1.15;
        }
        f
    }

    /// Short label such as `<nav>` or `.sidebar` for a region-marking element.
    pub fn region_label(&self, i: usize) -> String {
        self.nodes[i]
            .mark
            .as_ref()
            .map(|(_, _, l)| l.clone())
            .unwrap_or_default()
    }
}

pub(crate) fn collect_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            scraper::Node::Text(t) => out.push_str(t),
            scraper::Node::Element(e) => {
                if is_textless(e.name()) {
                    continue;
                }
                if e.name() == "br" {
                    out.push(' ');
                }
                if let Some(ce) = ElementRef::wrap(child) {
                    collect_text(ce, out);
                }
            }
            _ => {}
        }
    }
}

/// Collapses runs of whitespace (including non-breaking spaces) to one space.
pub(crate) fn normalize_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split(|c: char| c.is_whitespace() || c == '\u{a0}') {
        if w.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(html: &str) -> Html {
        Html::parse_document(html)
    }

    #[test]
    fn tokens_split_camel_and_separators() {
        assert_eq!(tokens("mostRead-list_2"), vec!["most", "read", "list", "2"]);
        assert_eq!(tokens("site-nav"), vec!["site", "nav"]);
        assert_eq!(tokens("photo"), vec!["photo"]);
    }

    #[test]
    fn subtree_ranges_and_context() {
        let doc = parse(
            "<html><body><nav><ul><li><a href='/x'>X</a></li></ul></nav>\
             <main><div class='river'><p>Hello <b>big</b>\n world</p></div></main>\
             <div class='popular-rail'><span>t</span></div></body></html>",
        );
        let url = Url::parse("https://example.com/").unwrap();
        let dom = Dom::new(&doc, &url);
        let li = dom.nodes.iter().position(|n| n.tag == "li").unwrap();
        let nav = dom.nodes.iter().position(|n| n.tag == "nav").unwrap();
        assert!(dom.contains(nav, li));
        assert!(dom.context_factor(li) < 0.5);
        let p = dom.nodes.iter().position(|n| n.tag == "p").unwrap();
        assert_eq!(dom.text(p), "Hello big world");
        assert!(dom.context_factor(p) > 1.0);
        let span = dom.nodes.iter().position(|n| n.tag == "span").unwrap();
        assert!(dom.nodes[span].neg_at.is_some());
        assert_eq!(
            dom.region_label(dom.nodes[span].neg_at.unwrap()),
            ".popular-rail"
        );
    }

    #[test]
    fn base_href_is_resolved_against_page() {
        let doc = parse("<html><head><base href='/blog/'></head><body></body></html>");
        let url = Url::parse("https://example.com/blog").unwrap();
        let dom = Dom::new(&doc, &url);
        assert_eq!(dom.base.as_str(), "https://example.com/blog/");
    }

    #[test]
    fn photo_is_not_hot() {
        let doc = parse("<html><body><div class='photo-grid'><p>x</p></div></body></html>");
        let url = Url::parse("https://example.com/").unwrap();
        let dom = Dom::new(&doc, &url);
        let p = dom.nodes.iter().position(|n| n.tag == "p").unwrap();
        assert!(dom.nodes[p].neg_at.is_none());
    }
}
