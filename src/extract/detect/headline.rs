//! Does a text read like an article headline?
//!
//! Story links and headings are recognised by their words: a headline has a few
//! to a few dozen words, while navigation, "Read more" links, counters ("12
//! comments") and dates have one or two, or are known boilerplate. Pure text
//! signals, shared by link rating, heading choice and scoring.

use std::sync::OnceLock;

use regex::Regex;

const BOILERPLATE: &[&str] = &[
    "read more",
    "more",
    "continue reading",
    "continue",
    "weiterlesen",
    "mehr",
    "mehr lesen",
    "next",
    "previous",
    "prev",
    "next page",
    "previous page",
    "older posts",
    "newer posts",
    "older entries",
    "newer entries",
    "load more",
    "see all",
    "see more",
    "view all",
    "view more",
    "show more",
    "show all",
    "comments",
    "comment",
    "reply",
    "share",
    "tweet",
    "home",
    "login",
    "log in",
    "sign in",
    "sign up",
    "register",
    "subscribe",
    "menu",
    "search",
    "skip to content",
    "skip to main content",
    "back to top",
    "top",
    "hide",
    "past",
    "web",
    "discuss",
    "more articles",
    "all articles",
    "更多",
    "下一页",
    "上一页",
    "查看更多",
];

fn re_counter() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)^[\d.,\s]*\d[\d.,\s]*(comments?|points?|replies|reply|reactions?|votes?|likes?|shares?|views?|条评论|评论)?$").unwrap()
    })
}

/// Rough word count; each CJK character counts as half a word.
pub(crate) fn word_count(text: &str) -> f64 {
    let mut words = 0.0;
    for tok in text.split_whitespace() {
        let cjk = tok.chars().filter(|c| is_cjk(*c)).count();
        let rest = tok
            .chars()
            .filter(|c| c.is_alphanumeric() && !is_cjk(*c))
            .count();
        words += cjk as f64 * 0.5;
        if rest > 0 {
            words += 1.0;
        }
    }
    words
}

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30ff | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xac00..=0xd7af | 0xf900..=0xfaff)
}

/// How much a text reads like an article headline (0..1).
/// `is_date`: whether the date parser reads `text` as a date.
pub(crate) fn headline_score(text: &str, is_date: bool) -> f64 {
    let t = text.trim();
    if t.is_empty() {
        return 0.0;
    }
    let lower = t
        .to_lowercase()
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_string();
    if lower.is_empty() || BOILERPLATE.contains(&lower.as_str()) || re_counter().is_match(t) {
        return 0.05;
    }
    if is_date && t.chars().count() <= 40 {
        return 0.1; // "6 hours ago", "2024-05-01": a date, not a headline
    }
    let w = word_count(t);
    let mut s = if w < 1.0 {
        0.1
    } else if w < 2.0 {
        0.3
    } else if w < 3.0 {
        0.5
    } else if w < 4.0 {
        0.7
    } else if w < 5.0 {
        0.85
    } else if w <= 30.0 {
        1.0
    } else if w <= 60.0 {
        0.7
    } else {
        0.4
    };
    if t.chars().count() < 4 {
        s *= 0.5;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_text() {
        assert!(headline_score("Driver Dies After Crashing Into Security Barrier", false) > 0.9);
        assert!(headline_score("Read more", false) < 0.1);
        assert!(headline_score("123 comments", false) < 0.1);
        assert!(headline_score("World", false) < 0.5);
        assert!(headline_score("00后比90后少了4700万！这些大省出手了", false) > 0.9);
        assert!(headline_score("国内", false) < 0.5);
        assert!(headline_score("6 hours ago", true) < 0.2);
    }
}
