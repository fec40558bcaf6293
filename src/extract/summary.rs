//! Summaries: plain text by default, sanitized HTML when the field asks for `html: true`.

use url::Url;

use super::text;
use crate::config::{FieldRule, Read};
use crate::item::Summary;

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
        (!text::clean(&clean).is_empty()).then_some(Summary::Html(clean))
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
