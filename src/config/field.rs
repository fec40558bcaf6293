//! Field rules: where in a card a field's value comes from, compiled once at load time.
//!
//! The short form covers most needs: `"h3"` (text), `"a@href"` (attribute),
//! `"@href"` (attribute of the card itself), `":scope"` (the card's own text),
//! `"+ span.age"` (inside the card's next sibling, for layouts such as Hacker News
//! that put an item's metadata in the following row), and `"img@data-src|src"` (the
//! first attribute present). The structured form adds `html`, `from` (`card`, `next`,
//! `previous`, `parent`, or `closest <selector>`), `regex`, `replace`, `template` and
//! `skip` (elements whose text is left out, such as a kicker inside a headline).

use regex::Regex;
use scraper::Selector;

use super::raw::{RawField, RawFieldFull, RawReplace, Text};
use super::spanned::Position;

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
    /// Elements inside the selected one whose text is not part of the value (a
    /// kicker before the headline, a "New" badge).
    pub skip: Option<Selector>,
}

/// Why a field rule is rejected, and where: `at` is the sub-key at fault (`select:`,
/// `from:`), or `None` for the field as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub at: Option<Position>,
    pub message: String,
}

/// The placeholders `template` fills.
pub const TEMPLATE_NAMES: [&str; 6] = ["title", "link", "date", "summary", "author", "value"];

/// The fields `html: true` applies to (a title or author takes the text of the HTML).
pub const HTML_FIELDS: [&str; 3] = ["summary", "title", "author"];

/// The fields a `template` applies to.
pub const TEMPLATE_FIELDS: [&str; 4] = ["title", "summary", "author", "id"];

impl FieldRule {
    /// Compiles the raw rule for the field `name`.
    pub fn compile(raw: &RawField, name: &str) -> Result<FieldRule, RuleError> {
        match raw {
            RawField::Short(text) => {
                compile_short(text).map_err(|message| RuleError { at: None, message })
            }
            RawField::Full(full) => compile_full(full, name),
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
        skip: None,
    })
}

fn compile_full(full: &RawFieldFull, name: &str) -> Result<FieldRule, RuleError> {
    let at = |text: &Text| {
        let at = text.at;
        move |message: String| RuleError {
            at: Some(at),
            message,
        }
    };
    let scope = match &full.from {
        None => Scope::Card,
        Some(from) => parse_scope(from.value.trim()).map_err(at(from))?,
    };
    let html = full.html.as_ref().is_some_and(|h| h.value);
    let read = match (&full.attr, html) {
        (Some(attr), true) => {
            return Err(at(attr)(
                "`attr` and `html: true` cannot be combined".into(),
            ));
        }
        (Some(attr), false) => {
            Read::Attr(attr.value.split('|').map(|a| a.trim().to_owned()).collect())
        }
        (None, true) if !HTML_FIELDS.contains(&name) => {
            let at = full.html.as_ref().map(|h| h.at);
            return Err(RuleError {
                at,
                message: format!(
                    "`html: true` keeps markup, which only `summary`, `title` and `author` can use; `{name}` cannot"
                ),
            });
        }
        (None, true) => Read::Html,
        (None, false) => Read::Text,
    };
    let select = match &full.select {
        Some(sel) => compile_selector(&sel.value).map_err(at(sel))?,
        None => None,
    };
    if let Some(template) = &full.template {
        check_template(&template.value, name).map_err(at(template))?;
    }
    let skip = match &full.skip {
        Some(skip) if matches!(read, Read::Attr(_)) => {
            return Err(at(skip)(
                "`skip` leaves elements out of the text, so it cannot be combined with `attr`"
                    .into(),
            ));
        }
        Some(skip) => compile_selector(&skip.value)
            .map_err(at(skip))?
            .map(Some)
            .ok_or_else(|| {
                at(skip)("`skip` needs a selector (the elements to leave out)".into())
            })?,
        None => None,
    };
    Ok(FieldRule {
        source: full
            .select
            .as_ref()
            .map_or_else(|| ":scope".into(), |s| s.value.clone()),
        scope,
        select,
        read,
        regex: full.regex.as_ref().map(|r| r.value.0.clone()),
        replace: full.replace.as_ref().map(|r| {
            let RawReplace { pattern, with } = &r.value;
            (
                pattern.value.0.clone(),
                with.as_ref().map_or_else(String::new, |w| w.value.clone()),
            )
        }),
        template: full.template.as_ref().map(|t| t.value.clone()),
        skip,
    })
}

fn parse_scope(from: &str) -> Result<Scope, String> {
    Ok(match from {
        "card" => Scope::Card,
        "next" => Scope::NextSibling,
        "previous" => Scope::PreviousSibling,
        "parent" => Scope::Parent,
        other => match other.strip_prefix("closest ") {
            Some(sel) => Scope::Closest(Box::new(
                compile_selector(sel)?.ok_or("`closest` needs a selector")?,
            )),
            None => {
                return Err(format!(
                    "unknown `from: {other}` (use card, next, previous, parent or `closest <selector>`)"
                ));
            }
        },
    })
}

/// A template fills known placeholders, on a field that takes templates.
fn check_template(template: &str, field: &str) -> Result<(), String> {
    if !TEMPLATE_FIELDS.contains(&field) {
        return Err(format!(
            "`template` applies to {} only, not to `{field}`",
            TEMPLATE_FIELDS.join(", ")
        ));
    }
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !TEMPLATE_NAMES.contains(&name)
        {
            let hint = super::did_you_mean(name, &TEMPLATE_NAMES)
                .map_or_else(String::new, |h| format!(" — did you mean `{{{h}}}`?"));
            return Err(format!(
                "unknown placeholder `{{{name}}}` in the template (use {}){hint}",
                TEMPLATE_NAMES.map(|n| format!("{{{n}}}")).join(" ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
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
        let text = |s: &str| Some(Text::new(s.into(), Position::default()));
        let raw = RawFieldFull {
            select: text("h2"),
            from: text("closest section"),
            ..Default::default()
        };
        let rule = FieldRule::compile(&RawField::Full(Box::new(raw)), "title").unwrap();
        assert!(matches!(rule.scope, Scope::Closest(_)));

        let raw = RawFieldFull {
            attr: text("href"),
            html: Some(crate::config::spanned::Spanned::new(
                true,
                Position::default(),
            )),
            ..Default::default()
        };
        assert!(FieldRule::compile(&RawField::Full(Box::new(raw)), "title").is_err());
    }

    #[test]
    fn templates_name_known_placeholders_on_fields_that_take_them() {
        assert!(check_template("{title} ({author})", "summary").is_ok());
        assert!(check_template("{not a placeholder}", "title").is_ok());
        let err = check_template("{titel} x", "summary").unwrap_err();
        assert!(
            err.contains("unknown placeholder `{titel}`") && err.contains("did you mean `{title}`"),
            "{err}"
        );
        let err = check_template("{title}", "link").unwrap_err();
        assert!(err.contains("not to `link`"), "{err}");
    }
}
