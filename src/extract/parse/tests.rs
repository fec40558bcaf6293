use std::time::Duration;

use scraper::{ElementRef, Html, Selector};

use super::*;
use crate::extract::budget::{Budget, Exhausted};

/// Small bounds, so each rule shows on small pages.
const SMALL: Limits = Limits {
    depth: 16,
    elements: 1_000,
};

fn parse(page: &str) -> Parsed {
    parse_within(page, &Budget::unlimited(), SMALL).expect("within the bounds")
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The greatest number of ancestors any node has.
fn tree_depth(html: &Html) -> usize {
    html.tree
        .nodes()
        .map(|n| n.ancestors().count())
        .max()
        .unwrap_or(0)
}

fn nested(tag: &str, depth: usize, inner: &str) -> String {
    format!(
        "<!DOCTYPE html><html><body>{}{inner}{}<p id=after>after</p></body></html>",
        format!("<{tag}>").repeat(depth),
        format!("</{tag}>").repeat(depth)
    )
}

#[test]
fn ordinary_pages_parse_as_html5ever_parses_them() {
    let page = r#"<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>
        <ul><li><a href="/a">A</a><li><a href="/b">B <b>bold <i>both</b> italic</i></a></ul>
        <table><tr><td>cell</td></tr></table><p>one<p>two<noscript><img src="/x.jpg"></noscript>
        <svg><circle r="1"/></svg><template><span>t</span></template><textarea><b></textarea>
        </body></html>"#;
    let ours = parse(page);
    assert_eq!(ours.too_deep, 0);
    let mut reference = html5ever::driver::parse_document(
        scraper::HtmlTreeSink::new(Html::new_document()),
        html5ever::ParseOpts {
            tree_builder: tree_builder_opts(),
            ..Default::default()
        },
    );
    use html5ever::tendril::TendrilSink;
    reference.process(page.into());
    let reference = reference.finish();
    assert_eq!(ours.html.html(), reference.html());
    assert_eq!(
        select(&ours.html, "noscript img").len(),
        1,
        "scripting is off"
    );
}

#[test]
fn a_page_cut_into_chunks_parses_as_one() {
    // Tags, entities and multi-byte characters straddle the chunk boundaries.
    let card = "<article class=c><h3><a href='/x?a=1&amp;b=2'>Grüße — ünïcödé</a></h3></article>";
    let page = format!("<html><body>{}</body></html>", card.repeat(2000));
    assert!(page.len() > 2 * CHUNK);
    let parsed = parse_document(&page, &Budget::unlimited()).unwrap();
    let titles = select(&parsed.html, "article.c h3 a");
    assert_eq!(titles.len(), 2000);
    assert!(
        titles
            .iter()
            .all(|a| a.text().collect::<String>() == "Grüße — ünïcödé"
                && a.value().attr("href") == Some("/x?a=1&b=2"))
    );
}

#[test]
fn deep_nesting_stops_at_the_limit_keeping_its_text() {
    for tag in [
        "div", "span", "i", "b", "a", "li", "ul", "table", "p", "svg", "td", "font", "select",
        "template", "form", "button", "h2", "nobr",
    ] {
        let parsed = parse(&nested(tag, 300, "deep text"));
        let depth = tree_depth(&parsed.html);
        assert!(
            depth <= SMALL.depth + 2,
            "<{tag}>: the tree is {depth} deep (text sits below the deepest element; a \
             template's content one more level down)"
        );
        let text: String = parsed.html.root_element().text().collect();
        assert!(text.contains("deep text"), "<{tag}>: the text survives");
        assert!(text.contains("after"), "<{tag}>: what follows survives");
    }
}

#[test]
fn markup_just_within_the_limit_is_untouched() {
    // <html> and <body> take two levels.
    let parsed = parse(&nested("div", SMALL.depth - 3, "<a href=/x>x</a>"));
    assert_eq!(parsed.too_deep, 0);
    assert_eq!(
        tree_depth(&parsed.html),
        SMALL.depth + 1,
        "the text below the link"
    );
    let parsed = parse(&nested("div", SMALL.depth, ""));
    assert_eq!(parsed.too_deep, 2);
    assert_eq!(select(&parsed.html, "div").len(), SMALL.depth - 2);
}

#[test]
fn the_real_bound_holds_on_a_hundred_thousand_levels() {
    let parsed = parse_document(&nested("span", 100_000, "deep text"), &Budget::unlimited())
        .expect("within the bounds");
    assert_eq!(tree_depth(&parsed.html), MAX_DEPTH + 1);
    assert_eq!(parsed.too_deep, 100_000 + 2 - MAX_DEPTH);
}

#[test]
fn elements_past_the_limit_are_left_out_and_their_text_kept() {
    let page = nested(
        "div",
        500,
        "<article class=c><h3><a href=/deep>Deep story</a></h3></article>",
    );
    let parsed = parse(&page);
    assert!(select(&parsed.html, "article, h3, a").is_empty());
    assert_eq!(select(&parsed.html, "div").len(), SMALL.depth - 2);
    let text: String = parsed.html.root_element().text().collect();
    assert!(text.contains("Deep story"));
    assert_eq!(
        select(&parsed.html, "body > p#after").len(),
        1,
        "the page goes on"
    );
}

#[test]
fn a_card_beside_deep_markup_is_untouched() {
    let card = "<article class=c><h3><a href=/deep>Deep story</a></h3></article>";
    let page = nested("span", 500, "x").replacen("<span>", &format!("{card}<span>"), 1);
    let parsed = parse(&page);
    let links = select(&parsed.html, "article.c h3 a");
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].text().collect::<String>(), "Deep story");
}

#[test]
fn raw_text_elements_past_the_limit_still_read_as_raw_text() {
    let inner = "<script>if (a < b) { x = '<div>'; }</script><style>p > a {}</style><textarea><b>t</b></textarea>after";
    let parsed = parse(&nested("span", 300, inner));
    assert!(
        select(&parsed.html, "div, b").is_empty(),
        "no markup made of a script's or a textarea's text"
    );
    let text: String = parsed.html.root_element().text().collect();
    assert!(text.ends_with("afterafter"), "{text:?}");
    assert!(
        !text.contains("a < b"),
        "the script's text went with the script"
    );
}

#[test]
fn too_many_elements_stop_the_parse() {
    // <html>, <head> and <body> count too.
    let page = |n: usize| format!("<html><body>{}</body></html>", "<a></a>".repeat(n));
    let within = parse_within(&page(SMALL.elements - 3), &Budget::unlimited(), SMALL);
    assert!(within.is_ok());
    let past = parse_within(&page(SMALL.elements - 2), &Budget::unlimited(), SMALL);
    assert_eq!(
        past.err(),
        Some(Stop::TooManyElements {
            limit: SMALL.elements
        })
    );
}

#[test]
fn a_spent_budget_stops_the_parse() {
    let page = format!("<html><body>{}</body></html>", "<p>text</p>".repeat(10_000));
    let stop = parse_document(&page, &Budget::new(Duration::ZERO)).err();
    assert_eq!(
        stop,
        Some(Stop::Budget(Exhausted::TimeUp {
            limit: Duration::ZERO
        }))
    );
}

#[test]
fn fragments_are_bounded_too() {
    let fragment = format!("{}x{}", "<i>".repeat(2_000), "</i>".repeat(2_000));
    let html = parse_fragment(&fragment);
    assert!(tree_depth(&html) <= MAX_DEPTH + 1);
    assert_eq!(html.root_element().text().collect::<String>(), "x");
    let html = parse_fragment("<p>One <b>two</b></p><noscript><img src=a.jpg></noscript>");
    assert_eq!(
        html.root_element().inner_html(),
        "<p>One <b>two</b></p><noscript><img src=\"a.jpg\"></noscript>"
    );
}

#[test]
fn chunks_cut_between_characters() {
    let text = "aé€😀".repeat(10);
    for size in 1..8 {
        let pieces: Vec<&str> = chunks(&text, size).collect();
        assert_eq!(pieces.concat(), text);
        assert!(pieces.iter().all(|p| !p.is_empty()));
    }
    assert_eq!(chunks("", 4).count(), 0);
}
