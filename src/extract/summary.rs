//! Summaries: plain text by default, sanitized HTML when the field asks for `html: true`.
//!
//! Both are cut at `summary_length` characters of text (and never beyond
//! [`text::SUMMARY_MAX`]), on a word boundary; an HTML summary keeps its markup up to
//! the cut and closes what is open there. A trailing "Read more" / "Weiterlesen" / "…"
//! link is the page's navigation, not the article's summary, and is left out. Trees
//! are walked without recursion, so no nesting can exhaust the stack.

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};
use url::Url;

use super::{parse, text};
use crate::config::{FieldRule, Read};
use crate::item::Summary;

/// The most markup an HTML summary holds, in bytes (a cut closes what is open).
const MARKUP_MAX: usize = 256 * 1024;

/// Builds the published summary from the field's value (`card::read_summary`).
pub fn summary(
    raw: &str,
    rule: Option<&FieldRule>,
    base: &Url,
    max_chars: usize,
) -> Option<Summary> {
    let max_chars = match max_chars {
        0 => text::SUMMARY_MAX,
        n => n.min(text::SUMMARY_MAX),
    };
    if rule.is_some_and(|r| r.read == Read::Html) {
        let fragment = parse::parse_fragment(&sanitize(raw, base));
        let root = fragment.root_element();
        let mut visible = String::new();
        text::visible_text(root, &mut visible, usize::MAX);
        if text::clean(&visible).is_empty() {
            return None;
        }
        Some(Summary::Html(markup(root, max_chars, &[])))
    } else {
        let clean = text::clean(raw);
        (!clean.is_empty()).then(|| Summary::Text(text::truncate(&clean, max_chars)))
    }
}

/// Removes scripts, styles, frames and event handlers; makes links and images absolute.
pub fn sanitize(html: &str, base: &Url) -> String {
    let cleaned = ammonia::Builder::default()
        .url_relative(ammonia::UrlRelative::RewriteWithBase(base.clone()))
        .link_rel(Some("noopener noreferrer"))
        .clean(html)
        .to_string();
    text::xml_safe(cleaned.trim()).into_owned()
}

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Table parts, kept even when empty (an empty cell still holds its column).
const TABLE_PARTS: &[&str] = &[
    "table", "caption", "colgroup", "thead", "tbody", "tfoot", "tr", "td", "th",
];

/// The markup inside `root`, cut after about `max_chars` characters of text on a word
/// boundary (with an ellipsis) or after [`MARKUP_MAX`] bytes, with every element still
/// open at the cut closed. Comments, [`text::NOT_CONTENT`] elements, `skip` and empty
/// elements that show nothing (`<i></i>`) are
/// left out.
pub fn markup(root: ElementRef<'_>, max_chars: usize, skip: &[NodeId]) -> String {
    let mut out = String::new();
    let mut budget = max_chars;
    let mut open: Vec<&str> = Vec::new();
    let mut skipping = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if node.id() == root.id() => {}
            Edge::Close(node) if node.id() == root.id() => break,
            Edge::Open(_) if skipping.is_some() => {}
            Edge::Close(node) if skipping.is_some() => {
                if skipping == Some(node.id()) {
                    skipping = None;
                }
            }
            Edge::Open(node) => match node.value() {
                Node::Text(piece) => {
                    let count = piece.chars().count();
                    if count <= budget {
                        budget -= count;
                        out.push_str(&text::escape(piece));
                    } else {
                        out.push_str(&text::escape(&text::truncate(piece, budget.max(1))));
                        break;
                    }
                }
                Node::Element(element) => {
                    let name = element.name();
                    let shows_nothing = !node.has_children()
                        && !VOID.contains(&name)
                        && !TABLE_PARTS.contains(&name);
                    if skip.contains(&node.id())
                        || text::NOT_CONTENT.contains(&name)
                        || shows_nothing
                    {
                        skipping = Some(node.id());
                        continue;
                    }
                    out.push('<');
                    out.push_str(name);
                    for (attr, value) in element.attrs() {
                        out.push_str(&format!(" {attr}=\"{}\"", text::escape(value)));
                    }
                    out.push('>');
                    if !VOID.contains(&name) {
                        open.push(name);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value()
                    && !VOID.contains(&element.name())
                {
                    open.pop();
                    out.push_str(&format!("</{}>", element.name()));
                }
            }
        }
        if out.len() >= MARKUP_MAX {
            break;
        }
    }
    for name in open.iter().rev() {
        out.push_str(&format!("</{name}>"));
    }
    out
}

/// The link at the very end of `el` when it only says "read more" (in a few
/// languages), or is only an ellipsis or an arrow.
pub fn read_more_link(el: ElementRef<'_>) -> Option<NodeId> {
    // The link around the last piece of visible text, if any.
    let mut last = None;
    for node in el.descendants() {
        if let Node::Text(piece) = node.value()
            && !piece.trim().is_empty()
        {
            last = Some(node);
        }
    }
    let link = last?
        .ancestors()
        .take_while(|a| a.id() != el.id())
        .filter_map(ElementRef::wrap)
        .find(|a| a.value().name() == "a")?;
    let mut words = String::new();
    text::visible_text(link, &mut words, 200);
    is_read_more(&text::clean(&words)).then(|| link.id())
}

/// Phrases that mean "the rest of the article is behind this link".
const READ_MORE: &[&str] = &[
    "read more",
    "more",
    "read the full story",
    "read full story",
    "full story",
    "read the rest",
    "read article",
    "keep reading",
    "continue",
    "weiterlesen",
    "mehr",
    "mehr lesen",
    "artikel lesen",
    "zum artikel",
    "lire la suite",
    "lire plus",
    "en savoir plus",
    "la suite",
    "leer más",
    "seguir leyendo",
    "continuar leyendo",
    "leia mais",
    "leggi tutto",
    "continua a leggere",
    "lees meer",
    "verder lezen",
];

/// Phrases that may be followed by the article's title ("Continue reading “…”").
const READ_MORE_PREFIXES: &[&str] = &["continue reading", "read more", "weiterlesen"];

fn is_read_more(link_text: &str) -> bool {
    let core = link_text
        .trim_matches(|c: char| {
            c.is_whitespace() || c.is_ascii_punctuation() || "…»«›‹→⟶➔▸►".contains(c)
        })
        .to_lowercase();
    core.is_empty()
        || READ_MORE.contains(&core.as_str())
        || READ_MORE_PREFIXES.iter().any(|p| core.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::card;
    use scraper::{Html, Selector};

    fn html_summary(html: &str, max: usize) -> String {
        let fragment = parse::parse_fragment(html);
        markup(fragment.root_element(), max, &[])
    }

    #[test]
    fn html_is_cut_with_its_elements_closed() {
        let html = "<p>One two <b>three four five</b> six</p><p>seven eight</p>";
        assert_eq!(html_summary(html, 16), "<p>One two <b>three…</b></p>");
        assert_eq!(html_summary(html, 100), html, "short enough: unchanged");
    }

    #[test]
    fn images_and_attributes_survive_the_cut() {
        let html = r#"<p><img src="https://e.example/a.jpg" alt="x &amp; y"><a href="https://e.example/?a=1&amp;b=2">link text here</a></p>"#;
        assert_eq!(
            html_summary(html, 6),
            r#"<p><img alt="x &amp; y" src="https://e.example/a.jpg"><a href="https://e.example/?a=1&amp;b=2">link…</a></p>"#
        );
    }

    #[test]
    fn deep_markup_is_written_without_recursion() {
        let deep = format!("{}words here{}", "<i>".repeat(5_000), "</i>".repeat(5_000));
        let written = html_summary(&deep, 100);
        assert!(written.contains("words here"));
        assert!(written.len() < 20 * parse::MAX_DEPTH, "{}", written.len());
    }

    #[test]
    fn markup_stops_at_its_size_limit_with_elements_closed() {
        let many = "<p><img src=x.jpg></p>".repeat(20_000);
        let written = html_summary(&format!("<div>{many}</div>"), 1000);
        assert!(written.len() < MARKUP_MAX + 100);
        assert!(
            written.ends_with("</p></div>"),
            "{}",
            &written[written.len() - 40..]
        );
    }

    fn summary_of(card_html: &str, html: bool) -> Option<String> {
        let doc = Html::parse_fragment(card_html);
        let p = doc.select(&Selector::parse("p").unwrap()).next().unwrap();
        let rule = if html {
            crate::config::FieldRule {
                read: Read::Html,
                ..FieldRule::parse(":scope").unwrap()
            }
        } else {
            FieldRule::parse(":scope").unwrap()
        };
        let raw = card::read_summary(p, &rule)?;
        let base = Url::parse("https://example.com/news/").unwrap();
        summary(&raw, Some(&rule), &base, 500).map(|s| s.as_str().to_owned())
    }

    #[test]
    fn a_trailing_read_more_link_is_not_part_of_the_summary() {
        for link in [
            "Read more",
            "Read More »",
            "Weiterlesen",
            "mehr…",
            "…",
            "[…]",
            "→",
            "Continue reading “The Title”",
            "Lire la suite",
        ] {
            let card = format!("<p>The council voted on Monday. <a href=\"/x\">{link}</a></p>");
            assert_eq!(
                summary_of(&card, false).as_deref(),
                Some("The council voted on Monday."),
                "text, {link:?}"
            );
            assert_eq!(
                summary_of(&card, true).as_deref(),
                Some("The council voted on Monday."),
                "html, {link:?}"
            );
        }
    }

    #[test]
    fn other_links_stay_in_the_summary() {
        let card =
            r#"<p>See <a href="/more">more from the council</a> and <a href="/x">the vote</a></p>"#;
        assert_eq!(
            summary_of(card, false).as_deref(),
            Some("See more from the council and the vote")
        );
        let card = r#"<p>Read more about it <a href="/x">in our report</a></p>"#;
        assert_eq!(
            summary_of(card, false).as_deref(),
            Some("Read more about it in our report")
        );
    }

    #[test]
    fn html_summaries_are_sanitized() {
        let card = r#"<p>Hi <img src="/a.jpg" onerror="alert(1)"><script>x()</script><a href="javascript:alert(1)">there</a></p>"#;
        let html = summary_of(card, true).unwrap();
        assert!(
            !html.contains("onerror") && !html.contains("script") && !html.contains("javascript"),
            "{html}"
        );
        assert!(
            html.contains(r#"src="https://example.com/a.jpg""#),
            "{html}"
        );
    }
}
