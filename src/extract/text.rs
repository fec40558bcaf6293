//! Text as it should appear in a feed: whitespace collapsed, characters that XML
//! forbids removed, long text cut on a word boundary.

/// Collapses runs of whitespace to one space, trims, and drops characters not allowed
/// in XML 1.0 (C0 controls other than tab/newline, U+FFFE, U+FFFF, lone surrogates
/// cannot occur in Rust strings).
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

/// Removes characters XML forbids, keeping everything else as it is.
pub fn xml_safe(text: &str) -> String {
    text.chars().filter(|&c| xml_allowed(c)).collect()
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
