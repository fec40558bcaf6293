//! A flat, pre-order index over the parsed document.
//!
//! Card detection asks the same structural questions thousands of times: "is X
//! inside Y?", "which links sit in this subtree?", "is this element inside a
//! `<nav>` or a 'most popular' rail?". `scraper`'s tree answers them by walking;
//! this index answers them with array look-ups. Every element gets a pre-order
//! number, so a subtree is the contiguous range `i..end`, and the page-region
//! context (navigation, sidebars, main content) is computed once per element.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use ego_tree::iter::Edge;
use scraper::{ElementRef, Html};
use url::Url;

use crate::extract::date::{self, DateContext};
use crate::extract::text;

/// Tag paths longer than this (from a card down to its link) are not compared.
const MAX_PATH: usize = 16;
/// Texts longer than this (in characters) are never taken for a date: a date with
/// its label, "Updated Friday, 12 December 2025 at 10:30 AM", is well under it.
const MAX_DATE_CHARS: usize = 80;

/// One element of the document.
pub(crate) struct Node<'a> {
    pub el: ElementRef<'a>,
    pub tag: &'a str,
    pub parent: Option<usize>,
    /// Exclusive end of this element's subtree in pre-order numbering.
    pub end: usize,
    pub children: Vec<usize>,
    /// Position among the parent's element children.
    pos: usize,
    /// Nearest ancestor-or-self that marks a boilerplate region (nav, footer, rail…).
    pub neg_at: Option<usize>,
    /// Nearest ancestor-or-self that marks the main content region.
    pub pos_at: Option<usize>,
    /// Nearest ancestor-or-self that is a link (`a[href]`).
    pub link_at: Option<usize>,
    /// Region this element marks by itself, whether it is marked only by a
    /// name (class/id/heading text: weaker than a `<nav>` tag or a role), and
    /// a label for reasons.
    mark: Option<(Region, bool, String)>,
    /// The element's visible text: `pieces[texts.0..texts.1]`.
    texts: (usize, usize),
}

/// The index itself, plus the URL that relative links resolve against.
pub(crate) struct Dom<'a> {
    pub nodes: Vec<Node<'a>>,
    by_ptr: HashMap<usize, usize>,
    /// Elements by tag name, in document order.
    by_tag: BTreeMap<&'a str, Vec<usize>>,
    /// Visible text pieces in document order (text outside scripts, styles and
    /// the like; a space for `<br>`): every subtree's text is a contiguous run.
    pieces: Vec<&'a str>,
    /// `piece_ends[k]`: bytes in `pieces[..k]`.
    piece_ends: Vec<usize>,
    /// Links and images resolve against this: `<base href>`, else the page URL
    /// (the rule extraction uses).
    pub base: Url,
    pub page: Url,
    /// How the page's dates are read (the feed's time zone and format).
    dates: DateContext<'a>,
    /// Whether an element shows a date, worked out once per element.
    dated: Vec<OnceCell<bool>>,
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
    pub fn new(doc: &'a Html, page_url: &Url, dates: DateContext<'a>) -> Dom<'a> {
        let mut dom = Dom {
            nodes: Vec::new(),
            by_ptr: HashMap::new(),
            by_tag: BTreeMap::new(),
            pieces: Vec::new(),
            piece_ends: vec![0],
            base: crate::extract::base_url(doc, page_url),
            page: page_url.clone(),
            dates,
            dated: Vec::new(),
        };
        dom.index(doc.root_element());
        dom.mark_labelled_rails();
        dom.inherit();
        for (i, n) in dom.nodes.iter().enumerate() {
            dom.by_tag.entry(n.tag).or_default().push(i);
        }
        dom.dated = (0..dom.nodes.len()).map(|_| OnceCell::new()).collect();
        dom
    }

    /// A page read with dates as of 1 March 2026 in UTC, for unit tests.
    #[cfg(test)]
    pub fn for_tests(doc: &'a Html, page_url: &Url) -> Dom<'a> {
        use chrono::TimeZone;
        let dates = DateContext {
            now: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
            tz: chrono_tz::Tz::UTC,
            format: None,
        };
        Dom::new(doc, page_url, dates)
    }

    /// One pre-order walk (ego-tree's iterative traversal: no recursion, whatever
    /// the nesting) numbering the elements and collecting their visible text.
    fn index(&mut self, root: ElementRef<'a>) {
        let mut open: Vec<usize> = Vec::new();
        // Depth of `open` at which a textless element (script, style…) began.
        let mut textless_from: Option<usize> = None;
        for edge in root.traverse() {
            match edge {
                Edge::Open(node) => {
                    if let Some(el) = ElementRef::wrap(node) {
                        let parent = open.last().copied();
                        let i = self.push(el, parent);
                        if let Some(p) = parent {
                            self.nodes[i].pos = self.nodes[p].children.len();
                            self.nodes[p].children.push(i);
                        }
                        open.push(i);
                        if textless_from.is_none() && is_textless(el.value().name()) {
                            textless_from = Some(open.len());
                        }
                        if textless_from.is_none() && el.value().name() == "br" {
                            self.add_piece(" ");
                        }
                    } else if let scraper::Node::Text(text) = node.value()
                        && textless_from.is_none()
                    {
                        self.add_piece(text);
                    }
                }
                Edge::Close(node) => {
                    if node.value().is_element()
                        && let Some(i) = open.pop()
                    {
                        if textless_from == Some(open.len() + 1) {
                            textless_from = None;
                        }
                        self.nodes[i].end = self.nodes.len();
                        self.nodes[i].texts.1 = self.pieces.len();
                    }
                }
            }
        }
    }

    fn add_piece(&mut self, piece: &'a str) {
        self.pieces.push(piece);
        let total = self.piece_ends.last().copied().unwrap_or(0) + piece.len();
        self.piece_ends.push(total);
    }

    fn push(&mut self, el: ElementRef<'a>, parent: Option<usize>) -> usize {
        let idx = self.nodes.len();
        let mark = classify(&el).map(|(r, label)| {
            let by_name = label.starts_with('.') || label.starts_with('#');
            (r, by_name, label)
        });
        let first_piece = self.pieces.len();
        self.nodes.push(Node {
            el,
            tag: el.value().name(),
            parent,
            end: idx + 1,
            children: Vec::new(),
            pos: 0,
            neg_at: None,
            pos_at: None,
            link_at: None,
            mark,
            texts: (first_piece, first_piece),
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

    /// Propagates region marks (and enclosing links) down the tree: parents
    /// precede children.
    fn inherit(&mut self) {
        for i in 0..self.nodes.len() {
            let (mut neg_at, mut pos_at, mut link_at) = match self.nodes[i].parent {
                Some(p) => (
                    self.nodes[p].neg_at,
                    self.nodes[p].pos_at,
                    self.nodes[p].link_at,
                ),
                None => (None, None, None),
            };
            match self.nodes[i].mark {
                Some((Region::Boilerplate, _, _)) => neg_at = Some(i),
                Some((Region::Main, _, _)) => pos_at = Some(i),
                None => {}
            }
            if self.nodes[i].tag == "a" && self.nodes[i].el.attr("href").is_some() {
                link_at = Some(i);
            }
            let node = &mut self.nodes[i];
            (node.neg_at, node.pos_at, node.link_at) = (neg_at, pos_at, link_at);
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

    /// Whether a link (`a[href]`) lies inside element `i` (or is `i`).
    pub fn holds_link(&self, i: usize) -> bool {
        let end = self.nodes[i].end;
        let anchors = self.with_tag("a");
        anchors[anchors.partition_point(|&a| a < i)..]
            .iter()
            .take_while(|&&a| a < end)
            .any(|&a| self.nodes[a].el.attr("href").is_some())
    }

    /// Whether element `i` lies inside a link that itself lies inside `within`.
    pub fn inside_link(&self, i: usize, within: usize) -> bool {
        self.nodes[i].link_at.is_some_and(|a| a >= within && a != i)
    }

    /// True when `inner` is `outer` or lies inside it.
    pub fn contains(&self, outer: usize, inner: usize) -> bool {
        inner >= outer && inner < self.nodes[outer].end
    }

    /// Visible text of an element, cleaned as extraction cleans text.
    pub fn text(&self, i: usize) -> String {
        let (lo, hi) = self.nodes[i].texts;
        text::clean(&self.pieces[lo..hi].concat())
    }

    /// Bytes of an element's visible text before cleaning: a cheap upper bound
    /// of its length.
    pub fn text_len(&self, i: usize) -> usize {
        let (lo, hi) = self.nodes[i].texts;
        self.piece_ends[hi] - self.piece_ends[lo]
    }

    /// The element's text when it is short (at most `max` bytes before
    /// cleaning): questions about short texts (is it a date, a byline?) then cost
    /// nothing on long ones.
    pub fn short_text(&self, i: usize, max: usize) -> Option<String> {
        (self.text_len(i) <= max).then(|| self.text(i))
    }

    /// Whether extraction would read a date from this element: its `datetime`
    /// attribute, else its text, understood by the date parser.
    pub fn shows_date(&self, i: usize) -> bool {
        *self.dated[i].get_or_init(|| self.date_of(i).is_some())
    }

    /// The date extraction reads from this element: its `datetime` attribute,
    /// else its (short) text, when the date is all of it or a good part (a
    /// byline's "on Dec 12, 2025"); "today" inside a headline is no date.
    pub fn date_of(&self, i: usize) -> Option<DateTime<Utc>> {
        let el = &self.nodes[i].el;
        match el.attr("datetime").filter(|d| !d.trim().is_empty()) {
            Some(value) => self.read_date(value, 3),
            None => self
                .short_text(i, MAX_DATE_CHARS * 8)
                .filter(|t| t.chars().count() <= MAX_DATE_CHARS)
                .and_then(|t| self.read_date(&t, 3)),
        }
    }

    /// A date text as the feed's date parser reads it.
    pub fn parse_date(&self, text: &str) -> Option<DateTime<Utc>> {
        date::parse_date(text, &self.dates)
    }

    /// Whether a short text (a link's, a heading's) is just a date: "6 hours
    /// ago", "Yesterday, 18:00".
    pub fn is_short_date(&self, text: &str) -> bool {
        text.chars().count() <= 40 && self.read_date(text, 2).is_some()
    }

    /// The date in `text` when it is the whole text, or words found inside it
    /// that take at least `1/share` of it.
    fn read_date(&self, text: &str, share: usize) -> Option<DateTime<Utc>> {
        let found = date::find_date(text, &self.dates)?;
        (found.whole || found.len * share >= text.trim().len()).then_some(found.at)
    }

    /// Tag path from `from` (exclusive) down to `to`, e.g. `header>h2>a`; `None`
    /// when `to` is not within [`MAX_PATH`] levels below `from`.
    pub fn tag_path(&self, from: usize, to: usize) -> Option<String> {
        let mut tags = Vec::new();
        let mut cur = to;
        while cur != from {
            if tags.len() == MAX_PATH {
                return None;
            }
            tags.push(self.nodes[cur].tag);
            cur = self.nodes[cur].parent?;
        }
        tags.reverse();
        Some(tags.join(">"))
    }

    /// Next element sibling.
    pub fn next_sibling(&self, i: usize) -> Option<usize> {
        let p = self.nodes[i].parent?;
        self.nodes[p].children.get(self.nodes[i].pos + 1).copied()
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
        let dom = Dom::for_tests(&doc, &url);
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
        let dom = Dom::for_tests(&doc, &url);
        assert_eq!(dom.base.as_str(), "https://example.com/blog/");
    }

    #[test]
    fn photo_is_not_hot() {
        let doc = parse("<html><body><div class='photo-grid'><p>x</p></div></body></html>");
        let url = Url::parse("https://example.com/").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let p = dom.nodes.iter().position(|n| n.tag == "p").unwrap();
        assert!(dom.nodes[p].neg_at.is_none());
    }
}
