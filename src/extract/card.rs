//! Reading one card: each field's rule (or its default finder) applied to the card.
//!
//! Every field but the summary is plain text: `html: true` on a title or author means
//! "the text of this HTML". What is read is bounded (a field cannot pull megabytes of
//! text out of a page), and a summary leaves out a trailing "Read more" link.

use scraper::{ElementRef, Selector};
use std::sync::LazyLock;
use url::Url;

use super::{image, summary, text};
use crate::config::{FieldRule, Read, Scope};

static HEADING: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("h1, h2, h3, h4, h5, h6").expect("valid selector"));
static LINK: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a[href]").expect("valid selector"));
static TIME: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("time").expect("valid selector"));

/// The raw values found in one card, before dates are parsed and ids made.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct CardValues {
    pub id: Option<String>,
    pub title: Option<String>,
    pub link: Option<Url>,
    pub date: Option<String>,
    pub summary: Option<String>,
    pub author: Option<String>,
    pub image: Option<Url>,
}

/// The element a rule's scope points at, relative to the card.
fn scoped<'a>(card: ElementRef<'a>, scope: &Scope) -> Option<ElementRef<'a>> {
    match scope {
        Scope::Card => Some(card),
        Scope::NextSibling => card.next_siblings().find_map(ElementRef::wrap),
        Scope::PreviousSibling => card.prev_siblings().find_map(ElementRef::wrap),
        Scope::Parent => card.parent().and_then(ElementRef::wrap),
        Scope::Closest(selector) => card
            .ancestors()
            .filter_map(ElementRef::wrap)
            .find(|el| selector.matches(el)),
    }
}

/// The element a rule selects: the first match inside its scope, or the scope itself.
pub fn select<'a>(card: ElementRef<'a>, rule: &FieldRule) -> Option<ElementRef<'a>> {
    let scope = scoped(card, &rule.scope)?;
    match &rule.select {
        None => Some(scope),
        Some(selector) => scope.select(selector).next(),
    }
}

/// The most text read from one element, in bytes: more than any field keeps.
const READ_MAX: usize = 4 * text::SUMMARY_MAX;

/// Whitespace-normalised visible text of an element (scripts, styles and the like
/// left out), read without recursion and up to a bound.
pub fn element_text(el: ElementRef<'_>) -> String {
    let mut raw = String::new();
    text::visible_text(el, &mut raw, READ_MAX);
    text::clean(&raw)
}

/// Most elements a rule's `skip` leaves out of one value.
const SKIP_MAX: usize = 64;

/// The elements of `el` a rule's `skip` leaves out of its text.
fn skipped(el: ElementRef<'_>, rule: &FieldRule) -> Vec<ego_tree::NodeId> {
    rule.skip.as_ref().map_or_else(Vec::new, |skip| {
        el.select(skip).take(SKIP_MAX).map(|e| e.id()).collect()
    })
}

/// Reads a plain-text field (text or attribute; `html: true` reads the text),
/// post-processed.
pub fn read_string(card: ElementRef<'_>, rule: &FieldRule) -> Option<String> {
    let el = select(card, rule)?;
    let value = match &rule.read {
        Read::Text | Read::Html => {
            let mut raw = String::new();
            text::visible_text_skipping(el, &skipped(el, rule), &mut raw, READ_MAX);
            text::clean(&raw)
        }
        Read::Attr(names) => attribute(el, names)?,
    };
    post_process(value, rule)
}

/// Reads the summary: its text, or (`html: true`) its markup, without a trailing
/// "Read more" link; post-processed. The markup is sanitized later (`summary`).
pub fn read_summary(card: ElementRef<'_>, rule: &FieldRule) -> Option<String> {
    let el = select(card, rule)?;
    let mut skip = skipped(el, rule);
    skip.extend(summary::read_more_link(el));
    let value = match &rule.read {
        Read::Text => {
            let mut raw = String::new();
            text::visible_text_skipping(el, &skip, &mut raw, READ_MAX);
            text::clean(&raw)
        }
        Read::Html => summary::markup(el, text::SUMMARY_MAX, &skip),
        Read::Attr(names) => attribute(el, names)?,
    };
    post_process(value, rule)
}

/// The first of `names` present on the element, cleaned.
fn attribute(el: ElementRef<'_>, names: &[String]) -> Option<String> {
    names
        .iter()
        .find_map(|n| el.value().attr(n))
        .map(text::clean)
}

/// Applies `replace`, then `regex` (first capture group, else the whole match).
pub fn post_process(mut value: String, rule: &FieldRule) -> Option<String> {
    if let Some((pattern, with)) = &rule.replace {
        value = pattern.replace_all(&value, with.as_str()).into_owned();
    }
    if let Some(regex) = &rule.regex {
        let captures = regex.captures(&value)?;
        value = captures
            .get(1)
            .or_else(|| captures.get(0))?
            .as_str()
            .to_owned();
    }
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// A link from an href-like value: absolute, http(s) only, not a script or an anchor,
/// and not absurdly long.
pub fn resolve_link(value: &str, base: &Url) -> Option<Url> {
    let value = value.trim();
    if value.is_empty()
        || value.len() > text::URL_MAX
        || value.starts_with('#')
        || value.to_ascii_lowercase().starts_with("javascript:")
    {
        return None;
    }
    base.join(value)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https") && u.as_str().len() <= text::URL_MAX)
}

/// The link field: a configured rule reads `href` unless it names an attribute.
pub fn link(card: ElementRef<'_>, rule: Option<&FieldRule>, base: &Url) -> Option<Url> {
    match rule {
        Some(rule) => {
            let el = select(card, rule)?;
            let value = match &rule.read {
                Read::Text | Read::Html => {
                    el.value().attr("href").map(str::to_owned).or_else(|| {
                        el.select(&LINK)
                            .next()
                            .and_then(|a| a.value().attr("href").map(str::to_owned))
                    })?
                }
                Read::Attr(names) => names.iter().find_map(|n| el.value().attr(n))?.to_owned(),
            };
            resolve_link(&post_process(value, rule)?, base)
        }
        None => default_link(card, base),
    }
}

fn default_link(card: ElementRef<'_>, base: &Url) -> Option<Url> {
    if let Some(href) = card.value().attr("href") {
        return resolve_link(href, base);
    }
    card.select(&LINK)
        .find_map(|a| resolve_link(a.value().attr("href")?, base))
}

/// The title field: a rule, else the first heading, else the main link's text.
pub fn title(card: ElementRef<'_>, rule: Option<&FieldRule>) -> Option<String> {
    let found = match rule {
        Some(rule) => read_string(card, rule),
        None => card
            .select(&HEADING)
            .map(element_text)
            .find(|t| !t.is_empty())
            .or_else(|| {
                let own = card.value().attr("href").map(|_| element_text(card));
                own.or_else(|| card.select(&LINK).map(element_text).find(|t| !t.is_empty()))
            }),
    };
    found.filter(|t| !t.is_empty())
}

/// The date text: a rule (preferring a `datetime` attribute on the selected element when
/// the rule reads text), else `time[datetime]`, else a `time` element's text.
pub fn date_text(card: ElementRef<'_>, rule: Option<&FieldRule>) -> Option<String> {
    match rule {
        Some(rule) if rule.read == Read::Text => {
            let el = select(card, rule)?;
            match el.value().attr("datetime") {
                Some(dt) if !dt.trim().is_empty() => post_process(dt.to_owned(), rule),
                _ => post_process(element_text(el), rule),
            }
        }
        Some(rule) => read_string(card, rule),
        None => {
            let time = card.select(&TIME).next()?;
            time.value()
                .attr("datetime")
                .map(text::clean)
                .filter(|s| !s.is_empty())
                .or_else(|| Some(element_text(time)))
        }
    }
}

/// The image: a rule's attribute, or the best image of the selected element; by
/// default the card's best image.
pub fn image(card: ElementRef<'_>, rule: Option<&FieldRule>, base: &Url) -> Option<Url> {
    match rule {
        None => image::card_image(card, base),
        Some(rule) => {
            let el = select(card, rule)?;
            match &rule.read {
                Read::Attr(names) => {
                    names
                        .iter()
                        .filter_map(|n| el.value().attr(n))
                        .find_map(|v| {
                            image::image_from_value(&post_process(v.to_owned(), rule)?, base)
                        })
                }
                Read::Text | Read::Html => {
                    image::element_image(el, base).or_else(|| image::card_image(el, base))
                }
            }
        }
    }
}
