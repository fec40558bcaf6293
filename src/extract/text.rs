//! Text as it should appear in a feed, and text safety for every output format.
//!
//! Extraction cleans what it reads (whitespace collapsed, invisible and XML-forbidden
//! characters dropped, long text cut on a word boundary, markup in plain-text fields
//! reduced to its text); publishing passes every string through [`xml_safe`] on its way
//! out, whatever its source (the page, feeds.yaml, a store written by an older
//! version), and escapes with [`escape`]. One module for all of it, so a rule about
//! text is written once and both stages use it.

use std::borrow::Cow;

use super::parse;

/// The longest title kept, in characters (longer ones are cut with an ellipsis).
pub const TITLE_MAX: usize = 1_000;
/// The longest author kept, in characters.
pub const AUTHOR_MAX: usize = 200;
/// The longest configured id kept, in characters.
pub const ID_MAX: usize = 2_000;
/// The longest summary, in characters of text, whatever `summary_length` says.
pub const SUMMARY_MAX: usize = 50_000;
/// The longest link or image URL kept, in bytes; longer ones count as missing.
pub const URL_MAX: usize = 4_096;

/// Collapses runs of whitespace to one space, trims, and drops characters not allowed
/// in XML 1.0 (C0 controls other than tab/newline, U+FFFE, U+FFFF, lone surrogates
/// cannot occur in Rust strings) and invisible ones.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{a0}' {
            pending_space = !out.is_empty();
        } else if xml_allowed(c) && !is_invisible(c) {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Whether XML 1.0 allows the character in a document.
pub fn xml_allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Zero-width and bidi-control characters that only add noise to titles.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{7f}'..='\u{9f}')
}

/// The output filter: removes characters XML forbids, keeping everything else as it
/// is. Every string a feed file holds passes through it.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    if text.chars().all(xml_allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| xml_allowed(c)).collect())
    }
}

/// Escapes text for HTML (and XML) content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of something that may be HTML (a page's `<title>`, a value built from
/// an HTML summary): markup dropped, entities decoded, cleaned. Text without `<` or `&`
/// is only cleaned.
pub fn text_of_html(text: &str) -> String {
    if !text.contains(['<', '&']) {
        return clean(text);
    }
    let fragment = parse::parse_fragment(text);
    let mut raw = String::new();
    visible_text(fragment.root_element(), &mut raw, usize::MAX);
    clean(&raw)
}

/// Elements whose content is not text a reader sees: code, styles, templates,
/// fallbacks for scripts, embedded documents, form controls, inline graphics.
pub const NOT_CONTENT: &[&str] = &[
    "script",
    "style",
    "template",
    "noscript",
    "iframe",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "textarea",
    "select",
    "svg",
    "math",
    "head",
    "title",
];

/// Appends the visible text inside `root` (not in [`NOT_CONTENT`] elements), without
/// recursion, until `out` holds `max_bytes` (cut between characters). Each piece of
/// text is followed by a space (as is a `<br>`), so words in separate elements stay
/// apart; `clean` collapses the spaces.
pub fn visible_text(root: scraper::ElementRef<'_>, out: &mut String, max_bytes: usize) {
    visible_text_skipping(root, &[], out, max_bytes);
}

/// [`visible_text`], leaving out the subtrees of `skip`.
pub fn visible_text_skipping(
    root: scraper::ElementRef<'_>,
    skip: &[ego_tree::NodeId],
    out: &mut String,
    max_bytes: usize,
) {
    use ego_tree::iter::Edge;
    use scraper::Node;
    let mut skipping = None;
    for edge in root.traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() && node.id() != root.id() => {
                match node.value() {
                    Node::Text(text) => {
                        let room = max_bytes.saturating_sub(out.len());
                        if text.len() >= room {
                            let mut cut = room;
                            while !text.is_char_boundary(cut) {
                                cut -= 1;
                            }
                            out.push_str(&text[..cut]);
                            return;
                        }
                        out.push_str(text);
                        // Pieces of text in separate elements are separate words.
                        out.push(' ');
                    }
                    Node::Element(el) => {
                        if skip.contains(&node.id()) || NOT_CONTENT.contains(&el.name()) {
                            skipping = Some(node.id());
                        } else if el.name() == "br" {
                            out.push(' ');
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(node) if skipping == Some(node.id()) => skipping = None,
            _ => {}
        }
    }
}

/// Cuts `text` to at most `max` characters on a word boundary, adding an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if max == 0 || text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(char::is_whitespace) {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c))
    )
}

/// Words that introduce a byline ("By Ana Ruiz", "Von Max Muster", "Par Léa Roux",
/// "Por Ana Gil", "Door Jan de Vries", "Av Kari Nordmann"): the author is what follows.
const BYLINE_WORDS: &[&str] = &["by", "von", "par", "por", "door", "av"];

/// The name in a byline: a leading "By" (or its kin in a few languages), with its
/// colon, is not part of the author. Only the first word is looked at, and only when
/// a name follows, so "Byron Lee" and a lone "By" stay as they are.
pub fn byline_name(text: &str) -> &str {
    let Some((first, rest)) = text.split_once(char::is_whitespace) else {
        return text;
    };
    let word = first.trim_end_matches(':');
    let rest = rest.trim_start_matches([':', ' ']).trim_start();
    if BYLINE_WORDS.iter().any(|w| word.eq_ignore_ascii_case(w))
        && rest.chars().next().is_some_and(char::is_alphabetic)
    {
        rest
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byline_gives_the_name() {
        assert_eq!(byline_name("By Ana Ruiz"), "Ana Ruiz");
        assert_eq!(byline_name("by: Tom Berg"), "Tom Berg");
        assert_eq!(byline_name("BY LEA VOSS"), "LEA VOSS");
        assert_eq!(byline_name("Von Max Muster"), "Max Muster");
        assert_eq!(byline_name("Par Léa Roux"), "Léa Roux");
        assert_eq!(byline_name("Byron Lee"), "Byron Lee");
        assert_eq!(byline_name("By"), "By");
        assert_eq!(byline_name("By 2024"), "By 2024");
        assert_eq!(byline_name("Ana Ruiz"), "Ana Ruiz");
        assert_eq!(byline_name("Desk Editor"), "Desk Editor");
    }

    #[test]
    fn clean_collapses_whitespace_and_drops_controls() {
        assert_eq!(clean("  Hello \n\t world\u{0}\u{1b}!  "), "Hello world!");
        assert_eq!(clean("a\u{a0}b\u{200b}c"), "a bc");
        assert_eq!(clean("\u{fffe}x\u{ffff}"), "x");
    }

    #[test]
    fn truncate_on_word_boundary() {
        assert_eq!(truncate("one two three four", 11), "one two…");
        assert_eq!(truncate("short", 10), "short");
        assert_eq!(truncate("Ünïcödé wörds here", 9), "Ünïcödé…");
    }

    #[test]
    fn xml_safe_drops_only_what_xml_forbids() {
        assert_eq!(xml_safe("Jane\u{1} Doe\u{b}\u{fffe}"), "Jane Doe");
        assert!(matches!(xml_safe("tab\tnew\nline é 😀"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn text_of_html_keeps_only_the_text() {
        assert_eq!(
            text_of_html(r#"News <b>today</b><img src=x onerror="alert(1)"><script>x()</script>"#),
            "News today"
        );
        assert_eq!(text_of_html("Q&amp;A: 2 &lt; 3"), "Q&A: 2 < 3");
        assert_eq!(text_of_html("I <3 cats, a < b"), "I <3 cats, a < b");
        assert_eq!(text_of_html("plain\u{1} text"), "plain text");
    }
}
