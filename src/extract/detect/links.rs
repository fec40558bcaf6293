//! Link facts: where each `<a href>` points and whether it looks like a story.
//!
//! Article cards are recognised mostly through their links: a card links to a
//! distinct, article-shaped URL (dated path, long slug, numeric id) with
//! headline-like text, while navigation links to short section paths with one or
//! two words of text. This module scores both halves once per link so that group
//! scoring can average them cheaply.

use std::sync::OnceLock;

use regex::Regex;
use url::Url;

use super::dom::Dom;
use super::headline::headline_score;
use crate::extract::{card, text};

/// One resolvable `<a href>` of the page.
pub(crate) struct Link {
    /// Dom index of the `<a>` element.
    pub node: usize,
    /// Absolute URL without fragment.
    pub url: Url,
    /// Comparison key: `url` with lower-case host and no trailing slash.
    pub key: String,
    /// Visible text, else `img[alt]`, `title` or `aria-label`.
    pub text: String,
    /// Headline-likeness of `text`, 0..1.
    pub head: f64,
    /// Article-likeness of `url`, 0..1.
    pub urlq: f64,
}

impl Link {
    /// A link that could be the headline of an article card.
    pub fn is_headline(&self) -> bool {
        self.head >= 0.5 && self.urlq >= 0.3
    }
}

/// All links of the page in document order.
pub(crate) struct Links {
    pub all: Vec<Link>,
    /// Indices into `all` of the headline links (`Link::is_headline`).
    heads: Vec<usize>,
    /// For each headline link (a position in `heads`), the position of the next
    /// headline link with another key (`heads.len()` when none): whether a range
    /// holds two different stories is then one lookup, not a scan.
    next_other: Vec<usize>,
}

impl Links {
    pub fn new(dom: &Dom<'_>) -> Links {
        let mut all = Vec::new();
        for (i, n) in dom.nodes.iter().enumerate() {
            if n.tag != "a" && n.tag != "area" {
                continue;
            }
            let Some(href) = n.el.attr("href") else {
                continue;
            };
            let Some(url) = resolve(&dom.base, href) else {
                continue;
            };
            let mut text = dom.text(i);
            if text.is_empty() {
                text = fallback_text(dom, i);
            }
            let head = headline_score(&text, dom.is_short_date(&text));
            let urlq = url_score(&url, &dom.page);
            all.push(Link {
                node: i,
                key: link_key(&url),
                url,
                text,
                head,
                urlq,
            });
        }
        let heads: Vec<usize> = (0..all.len()).filter(|&k| all[k].is_headline()).collect();
        let mut next_other = vec![heads.len(); heads.len()];
        for h in (0..heads.len().saturating_sub(1)).rev() {
            next_other[h] = if all[heads[h + 1]].key != all[heads[h]].key {
                h + 1
            } else {
                next_other[h + 1]
            };
        }
        Links {
            all,
            heads,
            next_other,
        }
    }

    /// Whether the dom range `start..end` holds a headline link to a story other
    /// than `key`. Constant work after two binary searches, however many links
    /// the range holds (40,000 cards linking one story cost a scan each before).
    pub fn other_story(&self, start: usize, end: usize, key: &str) -> bool {
        let lo = self.heads.partition_point(|&k| self.all[k].node < start);
        let hi = self.heads.partition_point(|&k| self.all[k].node < end);
        if lo >= hi {
            return false;
        }
        self.next_other[lo] < hi || self.all[self.heads[lo]].key != key
    }

    /// Links whose `<a>` lies in the dom range `start..end`.
    pub fn in_range(&self, start: usize, end: usize) -> &[Link] {
        let lo = self.all.partition_point(|l| l.node < start);
        let hi = self.all.partition_point(|l| l.node < end);
        &self.all[lo..hi]
    }
}

fn fallback_text(dom: &Dom<'_>, i: usize) -> String {
    let n = &dom.nodes[i];
    for attr in ["title", "aria-label"] {
        if let Some(t) = n.el.attr(attr) {
            let t = text::clean(t);
            if !t.is_empty() {
                return t;
            }
        }
    }
    for j in i + 1..n.end {
        if dom.nodes[j].tag == "img"
            && let Some(alt) = dom.nodes[j].el.attr("alt")
        {
            let t = text::clean(alt);
            if !t.is_empty() {
                return t;
            }
        }
    }
    String::new()
}

/// An href as extraction resolves it (absolute, http(s) only, no scripts or
/// in-page anchors), without its fragment.
pub(crate) fn resolve(base: &Url, href: &str) -> Option<Url> {
    let mut u = card::resolve_link(href, base)?;
    u.set_fragment(None);
    Some(u)
}

/// Comparison key used for uniqueness: lower-case host, no fragment, no
/// trailing slash.
pub(crate) fn link_key(u: &Url) -> String {
    let mut u = u.clone();
    u.set_fragment(None);
    let s = u.as_str().to_string();
    s.trim_end_matches('/').to_string()
}

/// Host without `www.` reduced to its last two labels (three for `co.uk`-style
/// second-level domains): a rough registrable domain.
pub(crate) fn site_of(u: &Url) -> String {
    let host = u.host_str().unwrap_or("").to_ascii_lowercase();
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    let n = labels.len();
    if n <= 2 {
        return labels.join(".");
    }
    let take = if labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 {
        3
    } else {
        2
    };
    labels[n - take..].join(".")
}

const SOCIAL_SITES: &[&str] = &[
    "facebook.com",
    "twitter.com",
    "x.com",
    "linkedin.com",
    "instagram.com",
    "pinterest.com",
    "whatsapp.com",
    "t.me",
    "tiktok.com",
    "youtube.com",
    "flipboard.com",
    "reddit.com",
    "threads.net",
    "mastodon.social",
    "addtoany.com",
    "sharethis.com",
    "apple.com",
    "google.com",
];

const TAXONOMY_SEGMENTS: &[&str] = &[
    "tag",
    "tags",
    "category",
    "categories",
    "topic",
    "topics",
    "author",
    "authors",
    "user",
    "users",
    "profile",
    "people",
    "login",
    "signin",
    "signup",
    "register",
    "subscribe",
    "subscription",
    "newsletter",
    "newsletters",
    "search",
    "about",
    "contact",
    "privacy",
    "terms",
    "cookies",
    "impressum",
    "imprint",
    "feed",
    "rss",
    "page",
    "account",
    "help",
    "faq",
    "careers",
    "advertise",
    "archive",
    "archives",
    "section",
    "sections",
    "label",
    "labels",
    "wp-login.php",
];

fn re_date_path() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(^|[/_-])(19|20)\d{2}([/_-]?)(0[1-9]|1[0-2])([/_-]|$)|(^|/)(19|20)\d{2}/")
            .unwrap()
    })
}

/// How much a URL looks like a single article (0..1) as seen from `page`.
pub(crate) fn url_score(u: &Url, page: &Url) -> f64 {
    if u.scheme() != "http" && u.scheme() != "https" {
        return 0.0;
    }
    if link_key(u) == link_key(page) {
        return 0.05;
    }
    let site = site_of(u);
    let same_site = site == site_of(page);
    if !same_site && SOCIAL_SITES.contains(&site.as_str()) {
        return 0.05;
    }
    let segs: Vec<&str> = u
        .path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    let query = u.query().unwrap_or("");
    let q_lower = query.to_ascii_lowercase();
    if q_lower.starts_with("page=")
        || q_lower.contains("&page=")
        || q_lower.starts_with("s=")
        || q_lower.starts_with("q=")
    {
        return 0.1;
    }
    // Share / redirect links carry another URL in their query.
    if u.query_pairs().any(|(_, v)| {
        let v = v.trim_start();
        v.starts_with("http://") || v.starts_with("https://") || v.starts_with("//")
    }) {
        return 0.1;
    }
    if segs.is_empty() {
        // Home page of a site, unless an id-like query names a document.
        return if has_id_query(query) { 0.75 } else { 0.1 };
    }
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    // A taxonomy/utility segment near the end: /tag/x, /author/name/, /page/2.
    for (i, s) in lower.iter().enumerate() {
        if TAXONOMY_SEGMENTS.contains(&s.as_str()) && lower.len() - i <= 2 {
            let rest = &lower[i + 1..];
            let long_slug = rest.iter().any(|r| slug_words(r) >= 4);
            if !long_slug {
                return 0.15;
            }
        }
    }
    let last = lower.last().map(String::as_str).unwrap_or("");
    let path = u.path();
    let mut s: f64 = if lower.len() >= 2 { 0.7 } else { 0.45 };
    if slug_words(last) >= 3 || last.len() >= 25 {
        s = 1.0;
    }
    if re_date_path().is_match(path) {
        s = 1.0;
    }
    if lower.iter().any(|x| digit_run(x) >= 4) || has_id_query(query) {
        s = s.max(0.95);
    }
    let ext = last.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    if matches!(ext, "html" | "htm" | "shtml" | "php" | "asp" | "aspx") {
        s = s.max(0.75);
    }
    if matches!(
        ext,
        "jpg" | "jpeg" | "png" | "gif" | "webp" | "pdf" | "zip" | "mp3" | "mp4" | "css" | "js"
    ) {
        s = s.min(0.3);
    }
    if !same_site {
        s *= 0.9;
    }
    s
}

fn has_id_query(q: &str) -> bool {
    q.split('&').any(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let k = k.to_ascii_lowercase();
        matches!(
            k.as_str(),
            "p" | "id" | "article" | "story" | "post" | "aid" | "itemid"
        ) && !v.is_empty()
    })
}

fn digit_run(s: &str) -> usize {
    let mut best = 0;
    let mut cur = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

fn slug_words(seg: &str) -> usize {
    let stem = seg.rsplit_once('.').map(|(a, _)| a).unwrap_or(seg);
    stem.split(['-', '_', '+'])
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .count()
}

/// A coarse shape of a URL path used to see whether card links agree:
/// `/2024/05/some-slug` → `/Y/N/S`, `/story/a-b-c/` → `/story/S`.
pub(crate) fn path_shape(u: &Url, page: &Url) -> String {
    let mut out = String::new();
    if site_of(u) != site_of(page) {
        out.push_str("ext:");
    }
    let segs: Vec<&str> = u
        .path_segments()
        .map(|s| s.filter(|x| !x.is_empty()).collect())
        .unwrap_or_default();
    let n = segs.len();
    for (i, seg) in segs.iter().enumerate() {
        out.push('/');
        let s = seg.to_ascii_lowercase();
        let token = if s.chars().all(|c| c.is_ascii_digit()) {
            if s.len() == 4 && (s.starts_with("19") || s.starts_with("20")) {
                "Y".to_string()
            } else {
                "N".to_string()
            }
        } else if i + 1 == n || slug_words(&s) >= 3 || digit_run(&s) >= 4 || s.len() > 20 {
            "S".to_string()
        } else {
            s
        };
        out.push_str(&token);
    }
    if out.is_empty() || out == "ext:" {
        out.push('/');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn other_stories_in_a_range() {
        let html = "<ul id='same'><li><a href='/news/2024/harbour-story-one'>The first harbour story of the day</a></li>\
            <li><a href='/news/2024/harbour-story-one'>The first harbour story of the day</a></li></ul>\
            <ul id='two'><li><a href='/news/2024/harbour-story-one'>The first harbour story of the day</a></li>\
            <li><a href='/news/2024/harbour-story-two'>The second harbour story of the day</a></li></ul>\
            <ul id='none'><li><a href='/'>Home</a></li></ul>";
        let doc = scraper::Html::parse_document(html);
        let dom = Dom::for_tests(&doc, &u("https://news.example.com/"));
        let links = Links::new(&dom);
        let range = |id: &str| {
            let i = (0..dom.nodes.len())
                .find(|&i| dom.nodes[i].el.value().id() == Some(id))
                .unwrap();
            (i, dom.nodes[i].end)
        };
        let one = links.all[0].key.clone();
        let (s, e) = range("same");
        assert!(!links.other_story(s, e, &one));
        assert!(links.other_story(s, e, "https://news.example.com/elsewhere"));
        let (s, e) = range("two");
        assert!(links.other_story(s, e, &one));
        let (s, e) = range("none");
        assert!(!links.other_story(s, e, &one), "no headline links at all");
    }

    #[test]
    fn article_urls_beat_section_urls() {
        let page = u("https://news.example.com/");
        let art = url_score(&u("https://news.example.com/2024/05/03/big-story"), &page);
        let slug = url_score(
            &u("https://news.example.com/world/a-long-story-slug-here"),
            &page,
        );
        let id = url_score(
            &u("https://news.example.com/articles/d41586-019-02659-5"),
            &page,
        );
        let section = url_score(&u("https://news.example.com/world"), &page);
        let tag = url_score(&u("https://news.example.com/tag/politics/"), &page);
        let home = url_score(&u("https://news.example.com/"), &page);
        let social = url_score(&u("https://twitter.com/example"), &page);
        assert!(art > 0.9 && slug > 0.9 && id > 0.9, "{art} {slug} {id}");
        assert!(section < 0.5, "{section}");
        assert!(tag < 0.2 && home < 0.2 && social < 0.1);
        let share = url_score(
            &u("https://links.example.org/submitlink?u=https://news.example.com/x&t=X"),
            &page,
        );
        assert!(share < 0.2);
    }

    #[test]
    fn taxonomy_segment_with_article_slug_is_fine() {
        let page = u("https://cloud.example.com/blog");
        let s = url_score(
            &u(
                "https://cloud.example.com/blog/topics/retail/retailers-struggle-with-sustainability",
            ),
            &page,
        );
        assert!(s > 0.9);
    }

    #[test]
    fn shapes_and_keys() {
        let page = u("https://example.com/");
        assert_eq!(
            path_shape(&u("https://example.com/2024/05/some-slug"), &page),
            "/Y/N/S"
        );
        assert_eq!(
            path_shape(&u("https://example.com/story/abc/"), &page),
            "/story/S"
        );
        assert_eq!(
            link_key(&u("https://EXAMPLE.com/a/b/#frag")),
            "https://example.com/a/b"
        );
        assert_eq!(site_of(&u("https://www.bbc.co.uk/news")), "bbc.co.uk");
        assert!(resolve(&page, "javascript:void(0)").is_none());
        assert!(resolve(&page, "#top").is_none());
    }
}
