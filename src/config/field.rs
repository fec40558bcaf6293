//! Field rules: where in a card a field's value comes from, compiled once at load time.
//!
//! The short form covers most needs: `"h3"` (text), `"a@href"` (attribute),
//! `"@href"` (attribute of the card itself), `":scope"` (the card's own text),
//! `"+ span.age"` (inside the card's next sibling, for layouts such as Hacker News
//! that put an item's metadata in the following row), and `"img@data-src|src"` (the
//! first attribute present). The structured form adds `html`, `from` (`card`, `next`,
//! `previous`, `parent`, or `closest <selector>`), `regex`, `replace` and `template`.

use regex::Regex;
use scraper::Selector;

use super::raw::{RawField, RawFieldFull, RawReplace};

/// Where a field's selector is evaluated, relative to the card.
#[derive(Debug, Clone)]
pub enum Scope {
    Card,
    NextSibling,
    PreviousSibling,
    Parent,
    Closest(Box<Selector>),
}

/// What is read from the selected element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read {
    /// Whitespace-normalised text.
    Text,
    /// The first present attribute, in order.
    Attr(Vec<String>),
    /// Inner HTML (sanitized when published).
    Html,
}

/// A compiled field rule.
#[derive(Debug, Clone)]
pub struct FieldRule {
    /// The rule as written, for messages.
    pub source: String,
    pub scope: Scope,
    /// `None` selects the scoped element itself.
    pub select: Option<Selector>,
    pub read: Read,
    /// Keep only this regex's first capture group (or whole match).
    pub regex: Option<Regex>,
    pub replace: Option<(Regex, String)>,
    /// Combine fields: `"{title} — {author}"`; `{value}` is this field's own value.
    pub template: Option<String>,
}

impl FieldRule {
    /// Compiles a raw field; the error says what is wrong with it.
    pub fn compile(raw: &RawField) -> Result<FieldRule, String> {
        match raw {
            RawField::Short(text) => compile_short(text),
            RawField::Full(full) => compile_full(full),
        }
    }

    /// A rule reading text (or one attribute) of `selector` inside the card.
    pub fn parse(short: &str) -> Result<FieldRule, String> {
        compile_short(short)
    }
}

fn compile_short(text: &str) -> Result<FieldRule, String> {
    let (scope, rest) = match text.trim_start().strip_prefix('+') {
        Some(rest) => (Scope::NextSibling, rest.trim()),
        None => (Scope::Card, text.trim()),
    };
    let (selector, attr) = split_attr(rest);
    Ok(FieldRule {
        source: text.to_owned(),
        scope,
        select: compile_selector(selector)?,
        read: attr.map_or(Read::Text, |a| {
            Read::Attr(a.split('|').map(str::to_owned).collect())
        }),
        regex: None,
        replace: None,
        template: None,
    })
}

fn compile_full(full: &RawFieldFull) -> Result<FieldRule, String> {
    let scope = match full.from.as_deref().map(str::trim) {
        None | Some("card") => Scope::Card,
        Some("next") => Scope::NextSibling,
        Some("previous") => Scope::PreviousSibling,
        Some("parent") => Scope::Parent,
        Some(other) => match other.strip_prefix("closest ") {
            Some(sel) => Scope::Closest(Box::new(
                compile_selector(sel)?.ok_or("`closest` needs a selector")?,
            )),
            None => {
                return Err(format!(
                    "unknown `from: {other}` (use card, next, previous, parent or `closest <selector>`)"
                ));
            }
        },
    };
    let read = match (&full.attr, full.html) {
        (Some(_), true) => return Err("`attr` and `html: true` cannot be combined".into()),
        (Some(attr), false) => Read::Attr(attr.split('|').map(|a| a.trim().to_owned()).collect()),
        (None, true) => Read::Html,
        (None, false) => Read::Text,
    };
    let regex = full
        .regex
        .as_deref()
        .map(|r| Regex::new(r).map_err(|e| format!("invalid regex `{r}`: {e}")))
        .transpose()?;
    let replace = full
        .replace
        .as_ref()
        .map(|RawReplace { pattern, with }| {
            Regex::new(pattern)
                .map(|re| (re, with.clone()))
                .map_err(|e| format!("invalid replace pattern `{pattern}`: {e}"))
        })
        .transpose()?;
    let select = match full.select.as_deref() {
        Some(sel) => compile_selector(sel)?,
        None => None,
    };
    Ok(FieldRule {
        source: full.select.clone().unwrap_or_else(|| ":scope".into()),
        scope,
        select,
        read,
        regex,
        replace,
        template: full.template.clone(),
    })
}

/// Splits `"a.title@href"` into the selector and the attribute list. An `@` counts only
/// when what follows it is a plain attribute list (so `a[href*="@"]` stays whole).
fn split_attr(text: &str) -> (&str, Option<&str>) {
    if let Some(at) = text.rfind('@') {
        let attr = &text[at + 1..];
        let plain = !attr.is_empty()
            && attr
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.' | '|'));
        if plain {
            return (text[..at].trim(), Some(attr));
        }
    }
    (text, None)
}

/// Compiles a CSS selector; empty or `:scope` means the scoped element itself.
pub fn compile_selector(text: &str) -> Result<Option<Selector>, String> {
    let text = text.trim();
    if text.is_empty() || text == ":scope" {
        return Ok(None);
    }
    Selector::parse(text).map(Some).map_err(|e| {
        format!(
            "invalid CSS selector `{text}`: {}",
            describe(&e.to_string())
        )
    })
}

/// scraper's selector errors read "Unexpected error occurred. Please report this to the
/// developer" followed by a CamelCase kind; users get the kind in words.
fn describe(error: &str) -> String {
    let kind = error.lines().last().unwrap_or(error).trim();
    if kind.contains(' ') {
        return kind.to_owned();
    }
    let mut words = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.extend(c.to_lowercase());
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms() {
        let rule = FieldRule::parse("a.title@href").unwrap();
        assert!(rule.select.is_some());
        assert_eq!(rule.read, Read::Attr(vec!["href".into()]));

        let rule = FieldRule::parse("@href").unwrap();
        assert!(rule.select.is_none());
        assert_eq!(rule.read, Read::Attr(vec!["href".into()]));

        let rule = FieldRule::parse(":scope").unwrap();
        assert!(rule.select.is_none());
        assert_eq!(rule.read, Read::Text);

        let rule = FieldRule::parse("+ span.age a").unwrap();
        assert!(matches!(rule.scope, Scope::NextSibling));

        let rule = FieldRule::parse("img@data-src|src").unwrap();
        assert_eq!(rule.read, Read::Attr(vec!["data-src".into(), "src".into()]));
    }

    #[test]
    fn at_sign_inside_a_selector_is_not_an_attribute() {
        let rule = FieldRule::parse(r#"a[href*="@"]"#).unwrap();
        assert_eq!(rule.read, Read::Text);
    }

    #[test]
    fn bad_selector_is_reported() {
        let err = FieldRule::parse("h3..title").unwrap_err();
        assert!(err.contains("invalid CSS selector `h3..title`"), "{err}");
        assert!(!err.contains("report this to the developer"), "{err}");
        assert!(!err.contains('\n'), "{err}");
    }

    #[test]
    fn structured_form() {
        let raw = RawFieldFull {
            select: Some("h2".into()),
            from: Some("closest section".into()),
            regex: Some(r"(\d+)".into()),
            ..Default::default()
        };
        let rule = FieldRule::compile(&RawField::Full(raw)).unwrap();
        assert!(matches!(rule.scope, Scope::Closest(_)));
        assert!(rule.regex.is_some());

        let raw = RawFieldFull {
            attr: Some("href".into()),
            html: true,
            ..Default::default()
        };
        assert!(FieldRule::compile(&RawField::Full(raw)).is_err());
    }
}
