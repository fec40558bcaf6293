//! Finds the picture that belongs to a card (one teaser on a section page).
//!
//! Feeds look much better with an image per item, but section pages rarely
//! put the real image URL in a plain `src`: they use lazy-loading attributes
//! (`data-src`, `data-srcset`, `data-original`, ...), responsive `srcset`
//! lists, `<picture>` sources, CSS `background-image` styles and
//! `<noscript>` fallbacks, while `src` holds a spacer GIF or a `data:` URI.
//! This module knows those conventions, rejects placeholders and tracking
//! pixels, and returns an absolute http(s) URL.
//!
//! Note on `<noscript>`: scraper parses documents with html5ever's
//! scripting flag on, so a `<noscript>` in the body holds its markup as one
//! raw text node, not as elements. [`card_image`] therefore re-parses that
//! text as an HTML fragment to find the image inside.

use std::sync::LazyLock;

use regex::Regex;
use scraper::ElementRef;
use url::Url;

use super::{parse, text};

/// Attributes holding srcset syntax, in order of preference.
const SRCSET_ATTRS: &[&str] = &["srcset", "data-srcset", "data-lazy-srcset"];

/// Lazy-loading attributes holding a single URL, in order of preference.
const LAZY_ATTRS: &[&str] = &["data-src", "data-lazy-src", "data-original", "data-lazy"];

/// Lazy-loading attributes for background images; the value is either a
/// URL or a CSS `url(...)`.
const BACKGROUND_ATTRS: &[&str] = &["data-bg", "data-background", "data-background-image"];

/// Elements whose lazy attributes never point at an image.
const NOT_IMAGES: &[&str] = &[
    "iframe", "script", "embed", "object", "audio", "track", "style", "template", "link",
];

/// File extensions that mark a URL as an image when the attribute holding
/// it (`src` on a `<div>`, `href` on an `<a>`) does not say so by itself.
const IMAGE_EXTENSIONS: &[&str] = &[
    "jpg", "jpeg", "png", "gif", "webp", "avif", "svg", "bmp", "jxl", "jfif",
];

/// File-name words that, alone or combined only with each other and with
/// [`WEAK_WORDS`], mark a placeholder image (`spacer.gif`, `1x1_transparent.png`).
const PLACEHOLDER_WORDS: &[&str] = &[
    "spacer",
    "blank",
    "pixel",
    "1x1",
    "1px",
    "transparent",
    "trans",
    "preloading",
    "preloader",
    "preload",
    "lazy",
    "lazyload",
    "lazyloading",
    "loading",
    "loader",
    "spinner",
    "grey",
    "gray",
    "empty",
    "clear",
    "dot",
    "shim",
    "placeholder",
];

/// File-name words that carry no meaning on their own.
const WEAK_WORDS: &[&str] = &[
    "img", "image", "images", "gif", "png", "load", "small", "white", "black", "bg", "default",
    "px", "fallback",
];

/// Substrings of URLs that belong to analytics beacons, never to pictures.
const TRACKER_MARKERS: &[&str] = &[
    "doubleclick.net",
    "google-analytics.com",
    "googletagmanager.com",
    "scorecardresearch.com",
    "quantserve.com",
    "facebook.com/tr",
    "pixel.wp.com",
    "bat.bing.com",
    "analytics.twitter.com",
    "mc.yandex.ru/watch",
    "/b/ss/",
];

/// `background` / `background-image` declarations with a `url(...)`.
static BACKGROUND_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?i)background(?:-image)?\s*:[^;]*?url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"#,
    )
    .expect("valid regex")
});

/// Any CSS `url(...)`.
static CSS_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)"#).expect("valid regex")
});

/// Picks the best image URL inside (or on) a card element.
///
/// The card itself is used when it carries an image (an `<img>`,
/// `<picture>`, lazy-loading attribute or `background-image` style).
/// Otherwise descendants are searched in document order and the first one
/// that yields a real image wins: `<img>`, `<picture>`, `<video poster>`,
/// elements with lazy-loading attributes or background styles, and the
/// markup inside `<noscript>`. Images explicitly sized 2 px or less are
/// skipped. As a last resort, schema.org `itemprop="image"` metadata inside
/// the card is used.
pub fn card_image(card: ElementRef<'_>, base: &Url) -> Option<Url> {
    if is_image_carrier(card)
        && !is_tiny(card)
        && let Some(url) = element_image(card, base)
    {
        return Some(url);
    }
    descendant_image(card, base).or_else(|| microdata_image(card, base))
}

/// Reads one image from a specific element (an `<img>`, `<source>`, or any
/// element with a background-image style or data-src), used when the user
/// configured an image selector without an attribute.
///
/// For `<img>`-like elements the order is: `srcset`, `data-srcset`,
/// `data-lazy-srcset` (largest candidate), `data-src`, `data-lazy-src`,
/// `data-original`, `data-lazy`, `data-url`, `src`, then a
/// `background-image` in `style`. Placeholders are skipped at every step,
/// so a real lazy URL beats a placeholder `src`. `<picture>` looks at its
/// `<source>`s and `<img>`; `<video>` at its poster; `<meta>`/`<link>` at
/// `content`/`href`. Other elements use the srcset and lazy attributes,
/// `data-bg`-style attributes and `style`, and finally `data-url`, `src` or
/// `href` when that URL names an image file.
pub fn element_image(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    let attr = |name: &str| el.value().attr(name);
    match el.value().name() {
        "img" | "source" | "amp-img" | "input" => srcset_attrs(el, base)
            .or_else(|| url_attrs(el, LAZY_ATTRS, base))
            .or_else(|| url_attrs(el, &["data-url", "src"], base))
            .or_else(|| style_image(el, base)),
        "picture" => el
            .descendants()
            .filter_map(ElementRef::wrap)
            .filter(|child| matches!(child.value().name(), "source" | "img"))
            .find_map(|child| element_image(child, base))
            .or_else(|| generic_image(el, base)),
        "video" => {
            url_attrs(el, &["poster", "data-poster"], base).or_else(|| generic_image(el, base))
        }
        "meta" => attr("content").and_then(|v| resolve(v, base)),
        "link" => attr("href").and_then(|v| resolve(v, base)),
        _ => generic_image(el, base),
    }
}

/// Resolves a raw attribute value the user pointed at (e.g. data-srcset) —
/// srcset syntax picks the largest candidate; placeholders rejected.
///
/// A value containing CSS `url(...)` (a `style` attribute or a `data-bg`)
/// yields the first usable URL in it. A value without whitespace is one
/// URL (commas and all).
pub fn image_from_value(value: &str, base: &Url) -> Option<Url> {
    let value = value.trim();
    if value.to_ascii_lowercase().contains("url(") {
        return css_image(value, &CSS_URL, base);
    }
    if !value.contains(|c: char| c.is_ascii_whitespace()) {
        return resolve(value, base);
    }
    best_from_srcset(value, base).or_else(|| {
        // Not valid srcset: a single URL with stray spaces in it.
        if value.contains(',') {
            None
        } else {
            resolve(value, base)
        }
    })
}

/// Whether a URL (absolute or relative, as written in the page) is a
/// placeholder or tracking pixel rather than a real picture: empty,
/// `data:`/`about:`/`javascript:`/`blob:` URIs, fragment-only references,
/// template leftovers (`{{img}}`, `undefined`), analytics beacons, and file
/// names such as `spacer.gif`, `blank.gif`, `1x1.png`, `transparent.png`,
/// `placeholder-16x9.jpg`, `lazy.svg`, `loading.gif` or `/images/blank`
/// (matched on the path's last segment, case-insensitively).
pub fn is_placeholder(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    if lower.is_empty()
        || lower.starts_with('#')
        || ["data:", "about:", "javascript:", "blob:"]
            .iter()
            .any(|scheme| lower.starts_with(scheme))
        || matches!(
            lower.as_str(),
            "/" | "null" | "undefined" | "none" | "false"
        )
        || lower.contains("{{")
        || lower.contains("${")
        || TRACKER_MARKERS.iter().any(|m| lower.contains(m))
    {
        return true;
    }
    let path = lower.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => name,
    };
    if stem.is_empty() {
        return false;
    }
    let compact: String = stem.chars().filter(char::is_ascii_alphanumeric).collect();
    if compact.contains("placeholder")
        || ["noimage", "nophoto", "noimg", "nopicture"].contains(&compact.as_str())
    {
        return true;
    }
    let mut strong = false;
    for word in stem.split(|c: char| !c.is_ascii_alphanumeric()) {
        if PLACEHOLDER_WORDS.contains(&word) {
            strong = true;
        } else if !(word.is_empty() || WEAK_WORDS.contains(&word) || is_size_word(word)) {
            return false;
        }
    }
    strong
}

/// `300`, `16x9`, `640x480`: words that only give a size.
fn is_size_word(word: &str) -> bool {
    let mut parts = word.split('x');
    parts.clone().count() <= 2
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Joins `raw` against `base` and accepts it when it is a real http(s)
/// image URL.
fn resolve(raw: &str, base: &Url) -> Option<Url> {
    let raw = raw.trim();
    if raw.len() > text::URL_MAX || is_placeholder(raw) {
        return None;
    }
    let url = base.join(raw).ok()?;
    if !matches!(url.scheme(), "http" | "https")
        || url.as_str().len() > text::URL_MAX
        || is_placeholder(url.as_str())
    {
        return None;
    }
    Some(url)
}

/// Image for elements that are not `<img>`-like.
fn generic_image(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    srcset_attrs(el, base)
        .or_else(|| url_attrs(el, LAZY_ATTRS, base))
        .or_else(|| {
            BACKGROUND_ATTRS
                .iter()
                .filter_map(|name| el.value().attr(name))
                .find_map(|value| image_from_value(value, base))
        })
        .or_else(|| style_image(el, base))
        .or_else(|| url_attrs(el, &["data-url", "src", "href"], base).filter(has_image_extension))
}

/// The first srcset-style attribute that yields an image.
fn srcset_attrs(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    SRCSET_ATTRS
        .iter()
        .filter_map(|name| el.value().attr(name))
        .find_map(|value| best_from_srcset(value, base))
}

/// The first of `names` whose single-URL value is a real image.
fn url_attrs(el: ElementRef<'_>, names: &[&str], base: &Url) -> Option<Url> {
    names
        .iter()
        .filter_map(|name| el.value().attr(name))
        .find_map(|value| resolve(value, base))
}

/// The `background-image` of an element's `style` attribute.
fn style_image(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    css_image(el.value().attr("style")?, &BACKGROUND_URL, base)
}

/// The first `url(...)` matched by `pattern` in `css` that is a real image.
fn css_image(css: &str, pattern: &Regex, base: &Url) -> Option<Url> {
    pattern.captures_iter(css).find_map(|caps| {
        let raw = caps.get(1).or(caps.get(2)).or(caps.get(3))?.as_str();
        resolve(raw, base)
    })
}

fn has_image_extension(url: &Url) -> bool {
    url.path()
        .rsplit_once('.')
        .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// One entry of a srcset list.
#[derive(Debug, PartialEq)]
struct Candidate<'a> {
    url: &'a str,
    width: Option<u32>,
    density: Option<f64>,
}

/// Parses srcset syntax as the HTML standard does: a URL is a run of
/// non-whitespace (so it may contain commas, as in `w_320,c_fill`); a URL
/// ending in commas has no descriptors; otherwise descriptors run to the
/// next comma outside parentheses. Candidates with descriptors we cannot
/// read are dropped.
fn parse_srcset(srcset: &str) -> Vec<Candidate<'_>> {
    let bytes = srcset.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            return out;
        }
        let url_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut url = &srcset[url_start..i];
        let mut descriptors = "";
        if url.ends_with(',') {
            url = url.trim_end_matches(',');
        } else {
            let desc_start = i;
            let mut depth = 0usize;
            while i < bytes.len() {
                match bytes[i] {
                    b'(' => depth += 1,
                    b')' => depth = depth.saturating_sub(1),
                    b',' if depth == 0 => break,
                    _ => {}
                }
                i += 1;
            }
            descriptors = &srcset[desc_start..i];
        }
        if let Some(candidate) = candidate(url, descriptors) {
            out.push(candidate);
        }
    }
}

fn candidate<'a>(url: &'a str, descriptors: &str) -> Option<Candidate<'a>> {
    if url.is_empty() {
        return None;
    }
    let mut c = Candidate {
        url,
        width: None,
        density: None,
    };
    for desc in descriptors.split_ascii_whitespace() {
        let (number, unit) = desc.split_at(desc.len() - 1);
        match unit {
            "w" | "W" => c.width = Some(number.parse().ok().filter(|&w: &u32| w > 0)?),
            "x" | "X" => {
                c.density = Some(
                    number
                        .parse()
                        .ok()
                        .filter(|&x: &f64| x.is_finite() && x > 0.0)?,
                );
            }
            "h" | "H" => {
                number.parse::<u32>().ok()?;
            }
            _ => return None,
        }
    }
    Some(c)
}

/// The largest usable candidate of a srcset: by width when any candidate
/// has a `w` descriptor, else by density (no descriptor = 1x) when any has
/// an `x` descriptor, else the last. Placeholders and unusable URLs are
/// left out before choosing.
fn best_from_srcset(srcset: &str, base: &Url) -> Option<Url> {
    let usable: Vec<(Url, Candidate<'_>)> = parse_srcset(srcset)
        .into_iter()
        .filter_map(|c| resolve(c.url, base).map(|url| (url, c)))
        .collect();
    // Ties go to the earlier candidate, as in browsers.
    let largest = |key: fn(&Candidate<'_>) -> f64| {
        usable
            .iter()
            .reduce(|best, next| {
                if key(&next.1) > key(&best.1) {
                    next
                } else {
                    best
                }
            })
            .map(|(url, _)| url.clone())
    };
    if usable.iter().any(|(_, c)| c.width.is_some()) {
        largest(|c| c.width.map_or(0.0, f64::from))
    } else if usable.iter().any(|(_, c)| c.density.is_some()) {
        largest(|c| c.density.unwrap_or(1.0))
    } else {
        usable.last().map(|(url, _)| url.clone())
    }
}

/// Whether an element is (or directly carries) an image, as opposed to a
/// container that may hold one.
pub(crate) fn is_image_carrier(el: ElementRef<'_>) -> bool {
    let e = el.value();
    match e.name() {
        "img" | "picture" | "amp-img" => true,
        "video" => e.attr("poster").is_some() || e.attr("data-poster").is_some(),
        name if NOT_IMAGES.contains(&name) => false,
        // One look at each attribute the element has (most have none or a few), not
        // eleven lookups by name: this runs on every element of a card without an image.
        _ => e.attrs().any(|(name, value)| {
            SRCSET_ATTRS.contains(&name)
                || LAZY_ATTRS.contains(&name)
                || BACKGROUND_ATTRS.contains(&name)
                || (name == "style" && BACKGROUND_URL.is_match(value))
        }),
    }
}

/// An element explicitly sized 2 px or less in either dimension
/// (`width="1"`, `height="0"`, `width="1px"`).
fn is_tiny(el: ElementRef<'_>) -> bool {
    ["width", "height"].iter().any(|name| {
        el.value().attr(name).is_some_and(|v| {
            let v = v.trim();
            let v = v.strip_suffix("px").unwrap_or(v).trim();
            v.parse::<f64>().is_ok_and(|n| n <= 2.0)
        })
    })
}

/// The first image among the descendants of `root` (not `root` itself).
fn descendant_image(root: ElementRef<'_>, base: &Url) -> Option<Url> {
    first_image(root, base, true)
}

/// The first image below `root`; `<noscript>` fallbacks kept as text are read when
/// `noscripts` is set.
fn first_image(root: ElementRef<'_>, base: &Url, noscripts: bool) -> Option<Url> {
    root.descendants()
        .skip(1)
        .filter_map(ElementRef::wrap)
        .find_map(|el| match el.value().name() {
            "noscript" if noscripts => noscript_image(el, base),
            // Handled through their <picture>; a <source> of a <video> is no image.
            "noscript" | "source" => None,
            _ if is_image_carrier(el) && !is_tiny(el) => element_image(el, base),
            _ => None,
        })
}

/// The image in a `<noscript>` whose content was kept as raw text (a `<noscript>` the
/// page escaped, or one inside a `<noscript>`). The text is parsed once, with
/// scripting off, and `<noscript>`s in it are not read again: the work stays linear
/// however deep such fallbacks nest.
fn noscript_image(noscript: ElementRef<'_>, base: &Url) -> Option<Url> {
    let markup: String = noscript.text().collect();
    if !markup.contains('<') {
        return None;
    }
    let fragment = parse::parse_fragment(&markup);
    first_image(fragment.root_element(), base, false)
}

/// schema.org microdata inside the card: `<meta itemprop="image" content>`,
/// `<link itemprop="image" href>` (also `thumbnailUrl`).
fn microdata_image(card: ElementRef<'_>, base: &Url) -> Option<Url> {
    card.descendants()
        .filter_map(ElementRef::wrap)
        .filter(|el| {
            el.value().attr("itemprop").is_some_and(|p| {
                p.split_ascii_whitespace()
                    .any(|p| p == "image" || p == "thumbnailUrl")
            })
        })
        .find_map(|el| match el.value().name() {
            "meta" => el.value().attr("content").and_then(|v| resolve(v, base)),
            "link" => el.value().attr("href").and_then(|v| resolve(v, base)),
            _ => None,
        })
}

#[cfg(test)]
mod tests;
