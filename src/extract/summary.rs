//! Summaries: plain text by default, sanitized HTML when the field asks for `html: true`.
//! Both are cut at `summary_length` characters of text, on a word boundary; an HTML
//! summary keeps its markup up to the cut and closes what is open there.

use ego_tree::NodeRef;
use scraper::{Html, Node};
use url::Url;

use super::text;
use crate::config::{FieldRule, Read};
use crate::item::Summary;
use crate::publish::html::escape;

/// Builds the published summary from the raw field value.
pub fn summary(
    raw: &str,
    rule: Option<&FieldRule>,
    base: &Url,
    max_chars: usize,
) -> Option<Summary> {
    let html = rule.is_some_and(|r| r.read == Read::Html);
    if html {
        let clean = sanitize(raw, base);
        let visible = text::clean(
            &Html::parse_fragment(&clean)
                .root_element()
                .text()
                .collect::<String>(),
        );
        if visible.is_empty() {
            return None;
        }
        let cut = if max_chars > 0 && visible.chars().count() > max_chars {
            truncate_html(&clean, max_chars)
        } else {
            clean
        };
        Some(Summary::Html(cut))
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
    text::xml_safe(cleaned.trim())
}

/// Elements that never have content or an end tag.
const VOID: &[&str] = &[
    "area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr",
];

/// Sanitized HTML cut after about `max_chars` characters of text, on a word boundary,
/// with an ellipsis and every element still open at the cut closed.
pub fn truncate_html(html: &str, max_chars: usize) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len().min(max_chars * 4));
    let mut budget = max_chars;
    for child in fragment.root_element().children() {
        if !write_node(child, &mut out, &mut budget) {
            break;
        }
    }
    out
}

/// Writes a node within the text budget; false once the budget ran out (after the cut).
fn write_node(node: NodeRef<'_, Node>, out: &mut String, budget: &mut usize) -> bool {
    match node.value() {
        Node::Text(text) => {
            let count = text.chars().count();
            if count <= *budget {
                *budget -= count;
                out.push_str(&escape(text));
                true
            } else {
                let cut = text::truncate(text, (*budget).max(1));
                out.push_str(&escape(&cut));
                *budget = 0;
                false
            }
        }
        Node::Element(element) => {
            let name = element.name();
            out.push('<');
            out.push_str(name);
            for (attr, value) in element.attrs() {
                out.push_str(&format!(" {attr}=\"{}\"", escape(value)));
            }
            out.push('>');
            if VOID.contains(&name) {
                return true;
            }
            let mut going = true;
            for child in node.children() {
                if !write_node(child, out, budget) {
                    going = false;
                    break;
                }
            }
            out.push_str(&format!("</{name}>"));
            going
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_cut_with_its_elements_closed() {
        let html = "<p>One two <b>three four five</b> six</p><p>seven eight</p>";
        let cut = truncate_html(html, 16);
        assert_eq!(cut, "<p>One two <b>three…</b></p>");
        assert_eq!(truncate_html(html, 100), html, "short enough: unchanged");
    }

    #[test]
    fn images_and_attributes_survive_the_cut() {
        let html = r#"<p><img src="https://e.example/a.jpg" alt="x &amp; y"><a href="https://e.example/?a=1&amp;b=2">link text here</a></p>"#;
        let cut = truncate_html(html, 6);
        assert_eq!(
            cut,
            r#"<p><img alt="x &amp; y" src="https://e.example/a.jpg"><a href="https://e.example/?a=1&amp;b=2">link…</a></p>"#
        );
    }
}
