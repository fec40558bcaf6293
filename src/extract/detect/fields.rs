//! Field detection inside a chosen card group.
//!
//! Once the cards are known, each feed field needs a selector that works for
//! (nearly) every card: the headline, the story link, a date, a teaser, the
//! author and an image. This module first finds the intended element in every
//! card with content heuristics (headings, date patterns, byline classes…), then
//! asks `selector::relative_selector` for one selector that picks those
//! elements. The same per-card finders feed the richness signals of scoring.

use std::sync::OnceLock;

use regex::Regex;

use super::DetectedFields;
use super::dom::{Dom, tokens};
use super::links::{Links, headline_score, word_count};
use super::selector::relative_selector;

fn is_heading(tag: &str) -> bool {
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
    let score = |j: usize| headline_score(&dom.text(j));
    let linked = |j: usize| {
        let in_link = {
            let mut cur = dom.nodes[j].parent;
            let mut found = false;
            while let Some(c) = cur {
                if c < card {
                    break;
                }
                if dom.nodes[c].tag == "a" && dom.nodes[c].el.attr("href").is_some() {
                    found = true;
                    break;
                }
                cur = dom.nodes[c].parent;
            }
            found
        };
        in_link
            || (j..dom.nodes[j].end)
                .any(|k| dom.nodes[k].tag == "a" && dom.nodes[k].el.attr("href").is_some())
    };
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

fn re_date() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        let months_en = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec";
        let months_de = "januar|februar|märz|maerz|april|mai|juni|juli|august|september|oktober|november|dezember";
        // `(?-u:\b)`: ASCII word boundaries, much cheaper than Unicode ones.
        let b = r"(?-u:\b)";
        let pats = [
            format!(r"{b}(19|20)\d{{2}}[-/.](0?[1-9]|1[0-2])[-/.](0?[1-9]|[12]\d|3[01]){b}"),
            format!(r"{b}(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./]((19|20)\d{{2}}|\d{{2}}){b}"),
            format!(r"(?i){b}({months_en})[a-z]*\.?\s+\d{{1,2}}(st|nd|rd|th)?,?\s+(19|20)\d{{2}}{b}"),
            format!(r"(?i){b}\d{{1,2}}\.?\s+({months_en}|{months_de})[a-zä]*\.?,?\s+(19|20)\d{{2}}{b}"),
            format!(r"(?i){b}\d+\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago{b}"),
            format!(r"(?i){b}vor\s+\d+\s+(sekunden|minuten|stunden|tagen|wochen|monaten|jahren){b}"),
            format!(r"(?i)^(heute|gestern|today|yesterday){b}"),
            r"\d+\s*(秒|分钟|小时|天|周|个月|年)前".to_string(),
            r"^(昨天|今天|前天)".to_string(),
            r"(19|20)\d{2}年\d{1,2}月\d{1,2}日".to_string(),
        ];
        Regex::new(&pats.join("|")).unwrap()
    })
}

/// Does a short text look like a publication date or age?
pub(crate) fn looks_like_date(text: &str) -> bool {
    if text.len() > 240 || text.chars().count() > 80 {
        return false;
    }
    let quick = text.bytes().any(|b| b.is_ascii_digit()) || {
        let lower = text.trim_start().to_lowercase();
        [
            "heute",
            "gestern",
            "today",
            "yesterday",
            "昨天",
            "今天",
            "前天",
        ]
        .iter()
        .any(|w| lower.starts_with(w))
    };
    quick && re_date().is_match(text)
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

/// The card's date element: `<time>`, a date-classed element, or the smallest
/// element whose own text is a date.
pub(crate) fn find_date(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    if let Some(j) = (card..end).find(|&j| dom.nodes[j].tag == "time") {
        return Some(j);
    }
    for j in card + 1..end {
        if has_token(dom, j, DATE_TOKENS) {
            let t = dom.text(j);
            if !t.is_empty() && t.chars().count() <= 80 && t.chars().any(|c| c.is_numeric()) {
                return Some(j);
            }
        }
    }
    // Smallest element (no element child with the same text) whose text is a date.
    let mut found = None;
    for j in card + 1..end {
        if matches!(dom.nodes[j].tag, "a" | "script" | "style") {
            continue;
        }
        let t = dom.text(j);
        if looks_like_date(&t) {
            found = Some(j);
            // keep descending: a child may hold the same date more tightly
            let child_has = dom.nodes[j]
                .children
                .iter()
                .any(|&c| looks_like_date(&dom.text(c)));
            if !child_has {
                break;
            }
        } else if found.is_some() && !dom.contains(found.unwrap_or(j), j) {
            break;
        }
    }
    found
}

/// Spacer GIFs, bullets and icons: images that are not a story picture.
fn is_decoration(img: &scraper::node::Element) -> bool {
    let small = |a: &str| {
        img.attr(a)
            .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
            .is_some_and(|v| v <= 32)
    };
    if small("width") || small("height") {
        return true;
    }
    let src = img.attr("src").unwrap_or("").to_ascii_lowercase();
    [
        "spacer",
        "1x1",
        "pixel.gif",
        "blank.gif",
        "trans.gif",
        "transparent.gif",
        "/icons/",
        "icon-",
    ]
    .iter()
    .any(|p| src.contains(p))
}

/// The card's image element.
pub(crate) fn find_image(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    let lazy_attrs = [
        "data-src",
        "data-srcset",
        "data-lazy-src",
        "data-original",
        "data-bg",
        "data-background",
        "data-image",
    ];
    if let Some(j) = (card + 1..end).find(|&j| {
        let n = &dom.nodes[j];
        (matches!(n.tag, "img" | "amp-img") || (n.tag.contains('-') && n.el.attr("src").is_some()))
            && (n.el.attr("src").is_some()
                || n.el.attr("srcset").is_some()
                || lazy_attrs.iter().any(|a| n.el.attr(a).is_some()))
            && !is_decoration(n.el.value())
    }) {
        return Some(j);
    }
    (card + 1..end).find(|&j| {
        let n = &dom.nodes[j];
        n.tag == "picture"
            || lazy_attrs.iter().any(|a| n.el.attr(a).is_some())
            || n.el
                .attr("style")
                .is_some_and(|s| s.contains("background-image") || s.contains("background:"))
            || (n.tag == "noscript"
                && n.el
                    .children()
                    .any(|c| c.value().as_text().is_some_and(|t| t.contains("<img"))))
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
        let text = dom.text(j);
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
        && word_count(&dom.text(j)) <= 5.0
}

/// The card's author element: byline-marked element, `<address>`, or a link
/// to a profile page.
pub(crate) fn find_author(dom: &Dom<'_>, card: usize) -> Option<usize> {
    let end = dom.nodes[card].end;
    (card + 1..end).find(|&j| {
        (dom.nodes[j].tag == "address"
            || has_token(dom, j, AUTHOR_TOKENS)
            || is_profile_link(dom, j))
            && {
                let t = dom.text(j);
                !t.is_empty() && t.chars().count() <= 100
            }
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

/// What the card's title is and where it lives.
pub(crate) struct TitleInfo {
    pub heading: Option<usize>,
    pub primary: Option<usize>,
    pub text: String,
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
        text,
    }
}

/// A field selector for targets that may sit in the card itself, inside it, or
/// in its metadata sibling (`+ …`).
fn field_selector(
    dom: &Dom<'_>,
    cards: &[usize],
    inside: &[Option<usize>],
    sibling: &[Option<(usize, usize)>],
    attr: Option<&str>,
) -> Option<String> {
    let n_inside = inside.iter().filter(|t| t.is_some()).count();
    let n_sib = sibling.iter().filter(|t| t.is_some()).count();
    if n_inside == 0 && n_sib == 0 {
        return None;
    }
    let suffix = attr.map(|a| format!("@{a}")).unwrap_or_default();
    if n_inside >= n_sib {
        let self_hits = cards
            .iter()
            .zip(inside)
            .filter(|(c, t)| **t == Some(**c))
            .count();
        if self_hits * 2 > n_inside {
            return Some(if suffix.is_empty() {
                ":scope".to_string()
            } else {
                suffix
            });
        }
        let sel = relative_selector(dom, cards, inside)?;
        Some(format!("{sel}{suffix}"))
    } else {
        let sibs: Vec<usize> = sibling
            .iter()
            .map(|s| s.map_or(usize::MAX, |x| x.0))
            .collect();
        let targets: Vec<Option<usize>> = sibling.iter().map(|s| s.map(|x| x.1)).collect();
        // Cards without a sibling cannot vote; keep indices aligned.
        let (sc, st): (Vec<usize>, Vec<Option<usize>>) = sibs
            .iter()
            .zip(&targets)
            .filter(|(s, _)| **s != usize::MAX)
            .map(|(s, t)| (*s, *t))
            .unzip();
        let sel = relative_selector(dom, &sc, &st)?;
        Some(format!("+ {sel}{suffix}"))
    }
}

/// Detects field selectors for a verified card group.
pub(crate) fn detect_fields(dom: &Dom<'_>, links: &Links, cards: &[usize]) -> DetectedFields {
    let infos: Vec<TitleInfo> = cards.iter().map(|&c| title_info(dom, links, c)).collect();
    let siblings: Vec<Option<usize>> = cards
        .iter()
        .map(|&c| meta_sibling(dom, links, c, cards))
        .collect();

    // title
    let title_targets: Vec<Option<usize>> = infos
        .iter()
        .map(|ti| {
            let link = ti.primary.map(|p| links.all[p].node);
            match (ti.heading, link) {
                // A title-classed wrapper (`td.title`) around the story link:
                // the link itself is the tighter title.
                (Some(h), Some(l)) if !is_heading(dom.nodes[h].tag) && dom.contains(h, l) => {
                    Some(l)
                }
                (h, l) => h.or(l),
            }
        })
        .collect();
    let title = field_selector(dom, cards, &title_targets, &[], None);

    // link
    let link_targets: Vec<Option<usize>> = infos
        .iter()
        .map(|ti| ti.primary.map(|p| links.all[p].node))
        .collect();
    let link = field_selector(dom, cards, &link_targets, &[], Some("href"));

    // date
    let dates_in: Vec<Option<usize>> = cards.iter().map(|&c| find_date(dom, c)).collect();
    let dates_sib: Vec<Option<(usize, usize)>> = siblings
        .iter()
        .map(|s| s.and_then(|s| find_date(dom, s).filter(|&d| d != s).map(|d| (s, d))))
        .collect();
    // `@datetime` when most of the date elements in use carry one.
    let date_attr = {
        let n_in = dates_in.iter().flatten().count();
        let n_sib = dates_sib.iter().flatten().count();
        let used: Vec<usize> = if n_in >= n_sib {
            dates_in.iter().flatten().copied().collect()
        } else {
            dates_sib.iter().flatten().map(|&(_, d)| d).collect()
        };
        let with_attr = used
            .iter()
            .filter(|&&d| dom.nodes[d].tag == "time" && dom.nodes[d].el.attr("datetime").is_some())
            .count();
        (!used.is_empty() && with_attr * 2 > used.len()).then_some("datetime")
    };
    let date = field_selector(dom, cards, &dates_in, &dates_sib, date_attr);

    // summary
    let summary_targets: Vec<Option<usize>> = cards
        .iter()
        .zip(&infos)
        .map(|(&c, ti)| find_summary(dom, c, ti.heading, &ti.text))
        .collect();
    let summary = if summary_targets.iter().flatten().count() * 3 >= cards.len() {
        field_selector(dom, cards, &summary_targets, &[], None)
    } else {
        None
    };

    // author
    let authors_in: Vec<Option<usize>> = cards.iter().map(|&c| find_author(dom, c)).collect();
    let authors_sib: Vec<Option<(usize, usize)>> = siblings
        .iter()
        .map(|s| s.and_then(|s| find_author(dom, s).map(|a| (s, a))))
        .collect();
    let author = if (authors_in.iter().flatten().count() + authors_sib.iter().flatten().count()) * 3
        >= cards.len()
    {
        field_selector(dom, cards, &authors_in, &authors_sib, None)
    } else {
        None
    };

    // image
    let images: Vec<Option<usize>> = cards.iter().map(|&c| find_image(dom, c)).collect();
    let image = if images.iter().flatten().count() * 3 >= cards.len() {
        field_selector(dom, cards, &images, &[], None)
    } else {
        None
    };

    DetectedFields {
        title,
        link,
        date,
        summary,
        author,
        image,
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
    fn dates_are_recognised() {
        for t in [
            "2020-08-16 22:26:38",
            "Jun 26, 2022",
            "6 hours ago",
            "9小时前",
            "gestern, 18:00 Uhr",
            "05 September 2019",
            "14.01.2021",
        ] {
            assert!(looks_like_date(t), "{t}");
        }
        for t in ["Hello world", "Version 2.0 released", "123 comments"] {
            assert!(!looks_like_date(t), "{t}");
        }
    }

    #[test]
    fn card_pieces_are_found() {
        let (doc, url) = setup(
            "<article><img src='a.jpg'><h2><a href='/2024/01/a-long-story'>A long story here</a></h2>\
             <span class='byline'>Jane Doe</span><time datetime='2024-01-01'>Jan 1</time>\
             <p>This is the teaser text of the story, long enough to be a summary.</p></article>",
        );
        let dom = Dom::new(&doc, &url);
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
        let dom = Dom::new(&doc, &url);
        let links = Links::new(&dom);
        let card = dom.nodes.iter().position(|n| n.tag == "div").unwrap();
        assert_eq!(
            title_info(&dom, &links, card).text,
            "The real headline of this card"
        );
    }

    #[test]
    fn date_text_without_time_element() {
        let (doc, url) = setup(
            "<ul><li><a href='/x/a-b-c'>Some headline words</a><span class='right'>(2020-08-16 22:26:38)</span></li></ul>",
        );
        let dom = Dom::new(&doc, &url);
        let li = dom.nodes.iter().position(|n| n.tag == "li").unwrap();
        let d = find_date(&dom, li).unwrap();
        assert_eq!(dom.nodes[d].tag, "span");
    }
}
