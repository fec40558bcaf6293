//! Structured data: lists of articles that the page declares itself.
//!
//! Many publishers embed machine-readable listings: JSON-LD `ItemList`s or
//! `Article` graphs, schema.org microdata on each card, or the Next.js
//! `__NEXT_DATA__` blob that holds the page's props. When such a list is
//! present and actually describes the page's links it is more reliable than any
//! structural guess, so `detect` tries it first. Each source is parsed
//! leniently (broken JSON-LD is common) and validated against the page's own
//! links before use.

use std::collections::BTreeSet;

use serde_json::Value;

use super::StructuredItem;
use super::dom::Dom;
use super::links::{Links, link_key, resolve, site_of};
use crate::extract::text;

/// A validated structured list.
pub(crate) struct Found {
    pub source: &'static str,
    pub items: Vec<StructuredItem>,
    /// Items whose link also appears as an `<a href>` on the page.
    pub linked: usize,
}

fn is_article_type(t: &str) -> bool {
    let t = t.rsplit(['/', '#', ':']).next().unwrap_or(t);
    t.ends_with("Article") || t.ends_with("BlogPosting") || t == "Posting"
}

fn types_of(v: &Value) -> Vec<String> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => {
            let s = text::clean(&decode_entities(s));
            (!s.is_empty()).then_some(s)
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(o) => str_of(o.get("name"))
            .or_else(|| str_of(o.get("url")))
            .or_else(|| str_of(o.get("@id")))
            .or_else(|| str_of(o.get("rendered"))),
        _ => None,
    }
}

fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#039;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

fn image_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Object(o) => str_of(o.get("url")).or_else(|| str_of(o.get("contentUrl"))),
        other => str_of(Some(other)),
    }
}

/// An item before link resolution.
struct Raw {
    title: Option<String>,
    url: String,
    date: Option<String>,
    summary: Option<String>,
    image: Option<String>,
    author: Option<String>,
}

fn article_raw(o: &Value) -> Option<Raw> {
    let url = str_of(o.get("url"))
        .or_else(|| match o.get("mainEntityOfPage") {
            Some(Value::Object(m)) => str_of(m.get("@id")).or_else(|| str_of(m.get("url"))),
            other => str_of(other),
        })
        .or_else(|| str_of(o.get("@id")).filter(|s| s.starts_with("http")))?;
    Some(Raw {
        title: str_of(o.get("headline")).or_else(|| str_of(o.get("name"))),
        url,
        date: str_of(o.get("datePublished")).or_else(|| str_of(o.get("dateCreated"))),
        summary: str_of(o.get("description")),
        image: image_of(o.get("image")).or_else(|| image_of(o.get("thumbnailUrl"))),
        author: str_of(o.get("author")).or_else(|| str_of(o.get("creator"))),
    })
}

fn list_element_raw(e: &Value) -> Option<Raw> {
    match e {
        Value::String(s) => Some(Raw {
            title: None,
            url: s.clone(),
            date: None,
            summary: None,
            image: None,
            author: None,
        }),
        Value::Object(_) => {
            if let Some(item) = e.get("item") {
                if let Value::String(u) = item {
                    return Some(Raw {
                        title: str_of(e.get("name")),
                        url: u.clone(),
                        date: None,
                        summary: None,
                        image: None,
                        author: None,
                    });
                }
                if let Some(mut r) = article_raw(item) {
                    if r.title.is_none() {
                        r.title = str_of(e.get("name"));
                    }
                    return Some(r);
                }
            }
            article_raw(e)
        }
        _ => None,
    }
}

/// Lists found in one JSON-LD value: every `ItemList`, and all article-typed
/// objects together.
fn walk_ld(v: &Value, lists: &mut Vec<Vec<Raw>>, articles: &mut Vec<Raw>) {
    match v {
        Value::Array(a) => a.iter().for_each(|x| walk_ld(x, lists, articles)),
        Value::Object(o) => {
            let types = types_of(v);
            if types.iter().any(|t| t.ends_with("ItemList"))
                && let Some(Value::Array(els)) = o.get("itemListElement")
            {
                lists.push(els.iter().filter_map(list_element_raw).collect());
            }
            if types.iter().any(|t| is_article_type(t))
                && o.contains_key("headline")
                && let Some(r) = article_raw(v)
            {
                articles.push(r);
            }
            for (k, x) in o {
                if k != "itemListElement" {
                    walk_ld(x, lists, articles);
                }
            }
        }
        _ => {}
    }
}

fn parse_lenient(raw: &str) -> Option<Value> {
    let mut s = raw.trim().to_string();
    for junk in ["<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"] {
        s = s.replace(junk, "");
    }
    let s = s.trim().trim_end_matches(';');
    if let Ok(v) = serde_json::from_str(s) {
        return Some(v);
    }
    // Raw newlines/tabs inside strings are a frequent hand-written mistake.
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    serde_json::from_str(&cleaned).ok()
}

fn script_text(dom: &Dom<'_>, i: usize) -> String {
    dom.nodes[i].el.text().collect::<String>()
}

fn json_ld_lists(dom: &Dom<'_>) -> Vec<Vec<Raw>> {
    let mut lists = Vec::new();
    let mut articles = Vec::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag != "script" {
            continue;
        }
        let ty = n.el.attr("type").unwrap_or("").to_ascii_lowercase();
        if !ty.contains("ld+json") {
            continue;
        }
        if let Some(v) = parse_lenient(&script_text(dom, i)) {
            walk_ld(&v, &mut lists, &mut articles);
        }
    }
    lists.push(articles);
    lists
}

fn itemprops<'a>(dom: &Dom<'a>, j: usize) -> Vec<&'a str> {
    dom.nodes[j]
        .el
        .attr("itemprop")
        .map(|p| p.split_whitespace().collect())
        .unwrap_or_default()
}

/// The nearest strict ancestor of `j` that opens an item scope.
fn owner_scope(dom: &Dom<'_>, j: usize) -> Option<usize> {
    let mut cur = dom.nodes[j].parent;
    while let Some(c) = cur {
        if dom.nodes[c].el.attr("itemscope").is_some() {
            return Some(c);
        }
        cur = dom.nodes[c].parent;
    }
    None
}

fn prop_value(dom: &Dom<'_>, j: usize) -> Option<String> {
    let el = &dom.nodes[j].el;
    let v = match dom.nodes[j].tag {
        "a" | "link" | "area" => el.attr("href"),
        "img" | "source" | "video" | "audio" => el.attr("src"),
        "time" => el.attr("datetime"),
        "meta" => el.attr("content"),
        _ => el.attr("content"),
    };
    match v {
        Some(v) => Some(text::clean(v)).filter(|s| !s.is_empty()),
        None => Some(dom.text(j)).filter(|s| !s.is_empty()),
    }
}

fn microdata_list(dom: &Dom<'_>) -> Vec<Raw> {
    let mut out = Vec::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.el.attr("itemscope").is_none() {
            continue;
        }
        let Some(types) = n.el.attr("itemtype") else {
            continue;
        };
        if !types.split_whitespace().any(is_article_type) {
            continue;
        }
        let props: Vec<usize> = (i + 1..n.end)
            .filter(|&j| {
                dom.nodes[j].el.attr("itemprop").is_some() && owner_scope(dom, j) == Some(i)
            })
            .collect();
        let find = |name: &str| {
            props
                .iter()
                .copied()
                .find(|&j| itemprops(dom, j).contains(&name))
        };
        let head_el = find("headline").or_else(|| find("name"));
        let Some(title) = head_el.map(|h| dom.text(h)).filter(|t| !t.is_empty()) else {
            continue;
        };
        let url = find("url")
            .and_then(|j| prop_value(dom, j))
            .or_else(|| {
                (n.tag == "a")
                    .then(|| n.el.attr("href"))
                    .flatten()
                    .map(str::to_string)
            })
            .or_else(|| {
                let h = head_el?;
                (h..dom.nodes[h].end)
                    .find(|&k| dom.nodes[k].tag == "a" && dom.nodes[k].el.attr("href").is_some())
                    .or_else(|| {
                        let mut cur = dom.nodes[h].parent;
                        while let Some(c) = cur {
                            if c < i {
                                return None;
                            }
                            if dom.nodes[c].tag == "a" && dom.nodes[c].el.attr("href").is_some() {
                                return Some(c);
                            }
                            cur = dom.nodes[c].parent;
                        }
                        None
                    })
                    .and_then(|k| dom.nodes[k].el.attr("href"))
                    .map(str::to_string)
            })
            .or_else(|| {
                (i..n.end)
                    .find(|&k| dom.nodes[k].tag == "a" && dom.nodes[k].el.attr("href").is_some())
                    .and_then(|k| dom.nodes[k].el.attr("href"))
                    .map(str::to_string)
            });
        let Some(url) = url else { continue };
        let author = find("author").or_else(|| find("creator")).map(|a| {
            let named = (a + 1..dom.nodes[a].end).find(|&k| itemprops(dom, k).contains(&"name"));
            dom.text(named.unwrap_or(a))
        });
        out.push(Raw {
            title: Some(title),
            url,
            date: find("datePublished").and_then(|j| prop_value(dom, j)),
            summary: find("description")
                .map(|j| dom.text(j))
                .filter(|s| !s.is_empty()),
            image: find("image").and_then(|j| prop_value(dom, j)),
            author: author.filter(|s| !s.is_empty()),
        });
    }
    out
}

const TITLE_KEYS: &[&str] = &["title", "headline", "name"];
const LINK_KEYS: &[&str] = &[
    "url",
    "link",
    "href",
    "permalink",
    "canonical_url",
    "canonicalUrl",
    "uri",
    "path",
    "slug",
];

fn next_item(o: &serde_json::Map<String, Value>) -> Option<(String, String, &'static str)> {
    let title = TITLE_KEYS.iter().find_map(|k| str_of(o.get(*k)))?;
    for k in LINK_KEYS {
        if let Some(v) = o.get(*k).and_then(|v| v.as_str()) {
            let v = v.trim();
            if !v.is_empty() {
                return Some((title, v.to_string(), k));
            }
        }
    }
    None
}

fn walk_next(v: &Value, best: &mut Vec<Raw>) {
    match v {
        Value::Array(a) => {
            let items: Vec<Raw> = a
                .iter()
                .filter_map(|x| x.as_object())
                .filter_map(|o| {
                    let (title, url, key) = next_item(o)?;
                    let url = if key == "slug" && !url.starts_with('/') && !url.contains("://") {
                        format!("./{url}")
                    } else {
                        url
                    };
                    Some(Raw {
                        title: Some(title),
                        url,
                        date: [
                            "date",
                            "datePublished",
                            "publishedAt",
                            "published_at",
                            "createdAt",
                        ]
                        .iter()
                        .find_map(|k| str_of(o.get(*k))),
                        summary: ["excerpt", "description", "summary", "dek", "teaser"]
                            .iter()
                            .find_map(|k| str_of(o.get(*k))),
                        image: ["image", "thumbnail", "coverImage", "featuredImage"]
                            .iter()
                            .find_map(|k| image_of(o.get(*k))),
                        author: ["author", "byline"].iter().find_map(|k| str_of(o.get(*k))),
                    })
                })
                .collect();
            if items.len() > best.len() {
                *best = items;
            }
            a.iter().for_each(|x| walk_next(x, best));
        }
        Value::Object(o) => o.values().for_each(|x| walk_next(x, best)),
        _ => {}
    }
}

fn next_data_list(dom: &Dom<'_>) -> Vec<Raw> {
    let mut best = Vec::new();
    for (i, n) in dom.nodes.iter().enumerate() {
        if n.tag == "script"
            && n.el.attr("id") == Some("__NEXT_DATA__")
            && let Some(v) = parse_lenient(&script_text(dom, i))
        {
            walk_next(&v, &mut best);
        }
    }
    best
}

/// Resolves and validates a raw list; `None` when fewer than 3 items belong to
/// the page's site or are linked from it.
fn validate(dom: &Dom<'_>, links: &Links, source: &'static str, raw: Vec<Raw>) -> Option<Found> {
    let page_keys: BTreeSet<&str> = links.all.iter().map(|l| l.key.as_str()).collect();
    let page_site = site_of(&dom.page);
    let mut seen = BTreeSet::new();
    let mut items = Vec::new();
    let mut relevant = 0;
    let mut linked = 0;
    for r in raw {
        let Some(u) = resolve(&dom.base, &r.url) else {
            continue;
        };
        let key = link_key(&u);
        if !seen.insert(key.clone()) {
            continue;
        }
        let on_page = page_keys.contains(key.as_str());
        let title = r.title.or_else(|| {
            links
                .all
                .iter()
                .find(|l| l.key == key && !l.text.is_empty())
                .map(|l| l.text.clone())
        });
        let Some(title) = title else { continue };
        if on_page {
            linked += 1;
        }
        if on_page || site_of(&u) == page_site {
            relevant += 1;
        }
        let image = r
            .image
            .and_then(|i| dom.base.join(&i).ok())
            .map(|u| u.to_string());
        items.push(StructuredItem {
            title,
            link: u.to_string(),
            date: r.date,
            summary: r.summary,
            image,
            author: r.author,
        });
    }
    (relevant >= 3).then_some(Found {
        source,
        items,
        linked,
    })
}

/// The best structured list of the page, if any passes validation.
pub(crate) fn find(dom: &Dom<'_>, links: &Links) -> Option<Found> {
    let mut best: Option<Found> = None;
    let mut consider = |f: Option<Found>| {
        if let Some(f) = f
            && best.as_ref().is_none_or(|b| f.items.len() > b.items.len())
        {
            best = Some(f);
        }
    };
    for list in json_ld_lists(dom) {
        consider(validate(dom, links, "json-ld", list));
    }
    consider(validate(dom, links, "microdata", microdata_list(dom)));
    consider(validate(dom, links, "next-data", next_data_list(dom)));
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;
    use url::Url;

    fn run(html: &str) -> Option<Found> {
        let doc = Html::parse_document(html);
        let url = Url::parse("https://news.example.com/latest").unwrap();
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        find(&dom, &links)
    }

    #[test]
    fn json_ld_item_list_with_nested_items() {
        let f = run(r#"<script type="application/ld+json">
            {"@context":"https://schema.org","@type":"ItemList","itemListElement":[
              {"@type":"ListItem","position":1,"item":{"@type":"NewsArticle","headline":"First","url":"/a/first"}},
              {"@type":"ListItem","position":2,"url":"https://news.example.com/a/second","name":"Second"},
              {"@type":"ListItem","position":3,"item":{"@id":"https://news.example.com/a/third","name":"Third"}}
            ]}</script>"#)
        .unwrap();
        assert_eq!(f.source, "json-ld");
        assert_eq!(f.items.len(), 3);
        assert_eq!(f.items[0].link, "https://news.example.com/a/first");
        assert_eq!(f.items[2].title, "Third");
    }

    #[test]
    fn json_ld_graph_of_articles() {
        let f = run(r#"<script type="application/ld+json">{"@graph":[
            {"@type":"BlogPosting","headline":"One","url":"https://news.example.com/1-one","datePublished":"2024-01-01"},
            {"@type":"BlogPosting","headline":"Two","url":"https://news.example.com/2-two"},
            {"@type":["Article"],"headline":"Three","mainEntityOfPage":{"@id":"https://news.example.com/3-three"}}
            ]}</script>"#)
        .unwrap();
        assert_eq!(f.items.len(), 3);
        assert_eq!(f.items[0].date.as_deref(), Some("2024-01-01"));
    }

    #[test]
    fn off_site_lists_are_ignored() {
        let f = run(
            r#"<script type="application/ld+json">{"@type":"ItemList","itemListElement":[
            {"url":"https://other.org/a","name":"A"},{"url":"https://other.org/b","name":"B"},
            {"url":"https://other.org/c","name":"C"}]}</script>"#,
        );
        assert!(f.is_none());
    }

    #[test]
    fn microdata_articles() {
        let mut html = String::new();
        for k in 0..3 {
            html.push_str(&format!(
                "<div itemscope itemtype='http://schema.org/NewsArticle'>\
                 <h2 itemprop='headline'><a href='/s/{k}-story'>Story {k}</a></h2>\
                 <div itemprop='author' itemscope itemtype='http://schema.org/Person'><span itemprop='name'>Ann</span></div>\
                 <time itemprop='datePublished' datetime='2024-02-0{k}'>x</time></div>"
            ));
        }
        let f = run(&html).unwrap();
        assert_eq!(f.source, "microdata");
        assert_eq!(f.items.len(), 3);
        assert_eq!(f.items[1].link, "https://news.example.com/s/1-story");
        assert_eq!(f.items[1].author.as_deref(), Some("Ann"));
        assert_eq!(f.items[1].date.as_deref(), Some("2024-02-01"));
    }

    #[test]
    fn next_data_largest_array() {
        let f = run(r#"<script id="__NEXT_DATA__" type="application/json">
            {"props":{"pageProps":{"nav":[{"title":"Home","url":"/"}],
             "posts":[{"title":"A post","slug":"a-post"},{"title":"B post","slug":"b-post"},
                      {"title":"C post","slug":"c-post"},{"title":"D post","slug":"d-post"}]}}}</script>"#)
        .unwrap();
        assert_eq!(f.source, "next-data");
        assert_eq!(f.items.len(), 4);
        assert_eq!(f.items[0].link, "https://news.example.com/a-post");
    }
}
