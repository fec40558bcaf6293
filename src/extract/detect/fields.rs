//! Field detection inside a chosen card group.
//!
//! Once the cards are known, each feed field needs a selector that works for
//! (nearly) every card: the headline, the story link, a date, a teaser, the
//! author and an image. This module first finds the intended element in every
//! card with content heuristics (headings, date patterns, byline classes…), then
//! asks `selector::relative_selector` for one selector that picks those
//! elements. The same per-card finders feed the richness signals of scoring.

use std::cell::OnceCell;

use super::dom::{Dom, tokens};
use super::headline::{headline_score, word_count};
use super::links::Links;
use crate::extract::image;

pub(crate) fn is_heading(tag: &str) -> bool {
    matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
}

fn has_token(dom: &Dom<'_>, i: usize, wanted: &[&str]) -> bool {
    let v = dom.nodes[i].el.value();
    let mut names: Vec<&str> = v.classes().collect();
    if let Some(id) = v.id() {
        names.push(id);
    }
    for attr in ["itemprop", "rel", "data-testid"] {
        if let Some(a) = v.attr(attr) {
            names.push(a);
        }
    }
    names
        .iter()
        .any(|n| tokens(n).iter().any(|t| wanted.contains(&t.as_str())))
}

const TITLE_TOKENS: &[&str] = &["title", "headline", "hed", "heading"];

/// The element holding the card's headline. Among the card's headings
/// (else title-marked elements: `itemprop=headline`, `.title`, `.hed`), the
/// first one tied to a link (inside one or holding one) wins, else the most
/// headline-like; a one-word kicker heading above the real title loses.
pub(crate) fn heading_in(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    // A heading is a line or two; longer "titles" are not looked at.
    let score = |j: usize| {
        dom.short_text(j, 2048)
            .map_or(0.0, |text| headline_score(&text, dom.is_short_date(&text)))
    };
    let linked = |j: usize| dom.inside_link(j, card) || dom.holds_link(j);
    let pick = |cands: Vec<usize>| -> Option<usize> {
        let cands: Vec<(usize, f64)> = cands
            .into_iter()
            .map(|j| (j, score(j)))
            .filter(|(_, s)| *s >= 0.3)
            .collect();
        if let Some(&(j, s)) = cands.iter().find(|(j, _)| linked(*j))
            && s >= 0.5
        {
            return Some(j);
        }
        let mut best: Option<(usize, f64)> = None;
        for (j, s) in cands {
            if best.is_none_or(|(_, bs)| s > bs + 1e-9) {
                best = Some((j, s));
            }
        }
        best.map(|(j, _)| j)
    };
    let headings: Vec<usize> = (card + 1..end)
        .filter(|&j| is_heading(dom.nodes[j].tag))
        .collect();
    pick(headings).or_else(|| {
        let marked: Vec<usize> = (card + 1..end)
            .filter(|&j| {
                !matches!(dom.nodes[j].tag, "img" | "time" | "picture")
                    && has_token(dom, j, TITLE_TOKENS)
            })
            .collect();
        pick(marked)
    })
}

/// The card's story link (index into `links.all`): the link in or around the
/// heading, else the link with the most headline-like text.
pub(crate) fn primary_link(
    dom: &Dom<'_>,
    links: &Links,
    card: usize,
    heading: Option<usize>,
) -> Option<usize> {
    let end = dom.nodes[card].end;
    let lo = links.all.partition_point(|l| l.node < card);
    let hi = links.all.partition_point(|l| l.node < end);
    if lo == hi {
        return None;
    }
    if let Some(h) = heading {
        if let Some(k) =
            (lo..hi).find(|&k| dom.contains(h, links.all[k].node) && links.all[k].urlq > 0.0)
        {
            return Some(k);
        }
        if let Some(k) = (lo..hi)
            .rev()
            .find(|&k| dom.contains(links.all[k].node, h) && links.all[k].urlq > 0.0)
        {
            return Some(k);
        }
    }
    let mut best: Option<(f64, usize)> = None;
    for k in lo..hi {
        let l = &links.all[k];
        if l.urlq <= 0.0 {
            continue;
        }
        let mut v = l.head * 2.0 + l.urlq;
        if l.node == card {
            v += 0.3;
        }
        // Share bars, comment links and the like inside the card.
        if dom.nodes[l.node].neg_at.is_some_and(|r| r > card) {
            v *= 0.3;
        }
        if best.is_none_or(|(bv, _)| v > bv + 1e-9) {
            best = Some((v, k));
        }
    }
    best.map(|(_, k)| k)
}

const DATE_TOKENS: &[&str] = &[
    "date",
    "time",
    "ago",
    "published",
    "posted",
    "timestamp",
    "datetime",
    "pubdate",
    "datepublished",
    "age",
];

/// The card's date element: a `<time>` or a date-classed element the date
/// parser understands, else the smallest element whose text is a date.
pub(crate) fn find_date(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    if let Some(j) = (card..end).find(|&j| dom.nodes[j].tag == "time" && dom.shows_date(j)) {
        return Some(j);
    }
    if let Some(j) = (card + 1..end).find(|&j| has_token(dom, j, DATE_TOKENS) && dom.shows_date(j))
    {
        return Some(j);
    }
    // The smallest element (no element child showing the same date) whose text
    // is a date: descend while a child still shows one.
    let mut found = (card + 1..end)
        .find(|&j| !matches!(dom.nodes[j].tag, "a" | "script" | "style") && dom.shows_date(j))?;
    while let Some(&c) = dom.nodes[found]
        .children
        .iter()
        .find(|&&c| dom.shows_date(c))
    {
        found = c;
    }
    Some(found)
}

/// Icons, bullets and avatars: images explicitly sized 32 px or less, or served
/// from an icon path, are not a story's picture.
fn is_icon(el: scraper::ElementRef<'_>) -> bool {
    let small = |a: &str| {
        el.attr(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
            .is_some_and(|v| v <= 32)
    };
    let src = el.attr("src").unwrap_or("").to_ascii_lowercase();
    small("width") || small("height") || src.contains("/icons/") || src.contains("icon-")
}

/// The card's image element: the first element the image finder reads a real
/// picture from, icons passed over.
pub(crate) fn find_image(dom: &Dom<'_>, card: usize) -> Option<usize> {
    (card + 1..dom.nodes[card].end).find(|&j| {
        let el = dom.nodes[j].el;
        image::is_image_carrier(el) && !is_icon(el) && image::element_image(el, &dom.base).is_some()
    })
}

const SUMMARY_TOKENS: &[&str] = &[
    "dek",
    "summary",
    "excerpt",
    "teaser",
    "description",
    "desc",
    "intro",
    "lead",
    "standfirst",
    "abstract",
    "blurb",
    "snippet",
    "subtitle",
    "subhead",
    "deck",
    "sub",
    "promo",
    "preview",
];

/// The card's teaser text element.
pub(crate) fn find_summary(
    dom: &Dom<'_>,
    card: usize,
    title_el: Option<usize>,
    title: &str,
) -> Option<usize> {
    let end = dom.nodes[card].end;
    let mut plain = None;
    for j in card + 1..end {
        if let Some(t) = title_el
            && (dom.contains(t, j) || dom.contains(j, t))
        {
            continue;
        }
        let classed = has_token(dom, j, SUMMARY_TOKENS);
        if !classed && dom.nodes[j].tag != "p" {
            continue;
        }
        // A teaser is a paragraph or two, not a page.
        let Some(text) = dom.short_text(j, 4096) else {
            continue;
        };
        if text.is_empty() || text == title || (!title.is_empty() && text.contains(title)) {
            continue;
        }
        let w = word_count(&text);
        if classed && w >= 3.0 {
            return Some(j);
        }
        if plain.is_none() && w >= 8.0 {
            plain = Some(j);
        }
    }
    plain
}

const AUTHOR_TOKENS: &[&str] = &[
    "author",
    "byline",
    "creator",
    "writer",
    "vcard",
    "user",
    "username",
    "poster",
    "submitter",
    "source",
];

const PROFILE_SEGMENTS: &[&str] = &[
    "author",
    "authors",
    "user",
    "users",
    "profile",
    "profiles",
    "people",
    "u",
    "writer",
    "writers",
    "contributor",
    "contributors",
    "staff",
];

/// A link to a person's page (`/author/jane`, `user?id=jane`).
fn is_profile_link(dom: &Dom<'_>, j: usize) -> bool {
    if dom.nodes[j].tag != "a" {
        return false;
    }
    let Some(href) = dom.nodes[j].el.attr("href") else {
        return false;
    };
    let Some(u) = super::links::resolve(&dom.base, href) else {
        return false;
    };
    let segs: Vec<String> = u
        .path_segments()
        .map(|s| {
            s.filter(|x| !x.is_empty())
                .map(str::to_ascii_lowercase)
                .collect()
        })
        .unwrap_or_default();
    segs.iter()
        .take(2)
        .any(|s| PROFILE_SEGMENTS.contains(&s.trim_end_matches(".php")))
        && dom
            .short_text(j, 400)
            .is_some_and(|t| word_count(&t) <= 5.0)
}

/// The card's author element: byline-marked element, `<address>`, or a link
/// to a profile page.
pub(crate) fn find_author(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    (card + 1..end).find(|&j| {
        (dom.nodes[j].tag == "address"
            || has_token(dom, j, AUTHOR_TOKENS)
            || is_profile_link(dom, j))
            && dom
                .short_text(j, 800)
                .is_some_and(|t| !t.is_empty() && t.chars().count() <= 100)
    })
}

/// The next element sibling of a card when it carries metadata rather than
/// another card (Hacker-News style title row followed by a subtext row).
pub(crate) fn meta_sibling(
    dom: &Dom<'_>,
    links: &Links,
    card: usize,
    cards: &[usize],
) -> Option<usize> {
    let s = dom.next_sibling(card)?;
    if cards.binary_search(&s).is_ok() {
        return None;
    }
    let has_headline = links
        .in_range(s, dom.nodes[s].end)
        .iter()
        .any(|l| l.is_headline());
    if has_headline { None } else { Some(s) }
}

/// Names of a label shown before a headline (kicker, overline, topic, section flag).
const KICKER_TOKENS: &[&str] = &[
    "kicker",
    "overline",
    "eyebrow",
    "topline",
    "dachzeile",
    "roofline",
    "supertitle",
    "pretitle",
    "overhead",
    "label",
    "flag",
    "tag",
    "category",
    "rubric",
    "topic",
    "section",
    "subject",
    "marker",
];
/// A kicker is a few words; the headline after it is longer.
const KICKER_MAX_WORDS: f64 = 6.0;
const KICKER_MAX_CHARS: usize = 60;
/// Elements at the start of a title looked at for a kicker.
const KICKER_LOOK: usize = 8;

/// The kicker at the start of the title element `title`: a short element before
/// the headline that is named as a label (`span.kicker`, `.overline`) or is the
/// first of two sibling elements, the second holding the rest of the title
/// (`<span>Politics</span><span>Council approves…</span>`). The headline must
/// remain, and be longer than the kicker.
pub(crate) fn kicker_in(dom: &Dom<'_>, title: usize) -> Option<usize> {
    let whole = dom.short_text(title, 2048)?;
    for i in (title + 1..dom.nodes[title].end).take(KICKER_LOOK) {
        let text = dom.text(i);
        if text.is_empty() || text == whole {
            continue;
        }
        let rest = whole.strip_prefix(text.as_str())?;
        let rest = rest.trim_start_matches(|c: char| {
            c.is_whitespace() || matches!(c, ':' | '|' | '-' | '–' | '—' | '•' | '·' | '/')
        });
        let (words, rest_words) = (word_count(&text), word_count(rest));
        let short = words <= KICKER_MAX_WORDS
            && text.chars().count() <= KICKER_MAX_CHARS
            && rest_words >= 2.0
            && rest.chars().count() > text.chars().count();
        if !short {
            return None;
        }
        let named = has_token(dom, i, KICKER_TOKENS) && !has_token(dom, i, TITLE_TOKENS);
        let first_of_two = dom
            .next_sibling(i)
            .is_some_and(|s| dom.text(s) == rest && dom.nodes[i].tag == dom.nodes[s].tag);
        return (named || first_of_two).then_some(i);
    }
    None
}

/// What the card's title is and where it lives.
pub(crate) struct TitleInfo {
    pub heading: Option<usize>,
    pub primary: Option<usize>,
    pub text: String,
    /// How much `text` reads like a headline.
    pub head: f64,
}

/// Each card's [`TitleInfo`], worked out once however many candidate groups
/// the card is scored in.
pub(crate) struct Titles {
    cells: Vec<OnceCell<TitleInfo>>,
}

impl Titles {
    pub fn new(dom: &Dom<'_>) -> Titles {
        Titles {
            cells: (0..dom.nodes.len()).map(|_| OnceCell::new()).collect(),
        }
    }

    pub fn get(&self, dom: &Dom<'_>, links: &Links, card: usize) -> &TitleInfo {
        self.cells[card].get_or_init(|| title_info(dom, links, card))
    }
}

pub(crate) fn title_info(dom: &Dom<'_>, links: &Links, card: usize) -> TitleInfo {
    let heading = heading_in(dom, card);
    let primary = primary_link(dom, links, card, heading);
    let mut text = heading.map(|h| dom.text(h)).unwrap_or_default();
    if text.is_empty()
        && let Some(p) = primary
    {
        text = links.all[p].text.clone();
    }
    TitleInfo {
        heading,
        primary,
        head: headline_score(&text, dom.is_short_date(&text)),
        text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scraper::Html;
    use url::Url;

    fn setup(html: &str) -> (Html, Url) {
        (
            Html::parse_document(html),
            Url::parse("https://e.com/").unwrap(),
        )
    }

    #[test]
    fn dates_are_what_the_date_parser_reads() {
        let (doc, url) = setup(
            "<ul><li><span>2020-08-16 22:26:38</span></li><li><span>12 décembre 2025</span></li>\
             <li><span>vor 3 Stunden</span></li><li><span>hace 2 días</span></li>\
             <li><span>Version 2.0 released</span></li><li><span>123 comments</span></li></ul>",
        );
        let dom = Dom::for_tests(&doc, &url);
        let spans: Vec<usize> = (0..dom.nodes.len())
            .filter(|&i| dom.nodes[i].tag == "span")
            .collect();
        let dated: Vec<bool> = spans.iter().map(|&s| dom.shows_date(s)).collect();
        assert_eq!(dated, [true, true, true, true, false, false]);
        let li = dom.nodes.iter().position(|n| n.tag == "li").unwrap();
        assert_eq!(find_date(&dom, li), Some(spans[0]));
    }

    #[test]
    fn card_pieces_are_found() {
        let (doc, url) = setup(
            "<article><img src='a.jpg'><h2><a href='/2024/01/a-long-story'>A long story here</a></h2>\
             <span class='byline'>Jane Doe</span><time datetime='2024-01-01'>Jan 1</time>\
             <p>This is the teaser text of the story, long enough to be a summary.</p></article>",
        );
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        let card = dom.nodes.iter().position(|n| n.tag == "article").unwrap();
        let ti = title_info(&dom, &links, card);
        assert_eq!(ti.text, "A long story here");
        assert!(ti.primary.is_some());
        assert_eq!(dom.nodes[find_date(&dom, card).unwrap()].tag, "time");
        assert_eq!(dom.nodes[find_image(&dom, card).unwrap()].tag, "img");
        assert_eq!(dom.nodes[find_author(&dom, card).unwrap()].tag, "span");
        let s = find_summary(&dom, card, ti.heading, &ti.text).unwrap();
        assert_eq!(dom.nodes[s].tag, "p");
    }

    #[test]
    fn kicker_heading_loses_to_linked_title() {
        let (doc, url) = setup(
            "<div class='card'><h4>Politics</h4><h3><a href='/2024/01/x-y-z'>The real headline of this card</a></h3></div>",
        );
        let dom = Dom::for_tests(&doc, &url);
        let links = Links::new(&dom);
        let card = dom.nodes.iter().position(|n| n.tag == "div").unwrap();
        assert_eq!(
            title_info(&dom, &links, card).text,
            "The real headline of this card"
        );
    }

    #[test]
    fn kickers_before_headlines() {
        let (doc, url) = setup(
            "<h2 id='named'><a href='/a'><span class='teaser__kicker'>Nach Beinahe-Crash</span> Totalschaden am Kanzlerjet</a></h2>\
             <h3 id='pair'><span>Politics</span><span>Council approves a new budget for parks</span></h3>\
             <h3 id='emphasis'><strong>Breaking:</strong> the council approves a new budget</h3>\
             <h3 id='long'><span class='label'>A label far too long to be a kicker of this</span> Short one</h3>\
             <h3 id='whole'><span class='kicker'>Only a kicker here</span></h3>",
        );
        let dom = Dom::for_tests(&doc, &url);
        let by_id = |id: &str| {
            (0..dom.nodes.len())
                .find(|&i| dom.nodes[i].el.value().id() == Some(id))
                .unwrap()
        };
        let kicker = |id: &str| kicker_in(&dom, by_id(id)).map(|k| dom.text(k));
        assert_eq!(kicker("named").as_deref(), Some("Nach Beinahe-Crash"));
        assert_eq!(kicker("pair").as_deref(), Some("Politics"));
        assert_eq!(
            kicker("emphasis"),
            None,
            "a word in bold is part of the headline"
        );
        assert_eq!(kicker("long"), None, "the headline must be the longer part");
        assert_eq!(kicker("whole"), None, "a headline must remain");
    }

    #[test]
    fn date_text_without_time_element() {
        let (doc, url) = setup(
            "<ul><li><a href='/x/a-b-c'>Some headline words</a><span class='right'>(2020-08-16 22:26:38)</span></li></ul>",
        );
        let dom = Dom::for_tests(&doc, &url);
        let li = dom.nodes.iter().position(|n| n.tag == "li").unwrap();
        let d = find_date(&dom, li).unwrap();
        assert_eq!(dom.nodes[d].tag, "span");
    }
}
