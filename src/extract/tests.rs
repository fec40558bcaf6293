//! Extraction from small hand-written pages: field rules, defaults, post-processing,
//! filters, and the cards that are skipped.

use std::path::Path;

use chrono::{TimeZone, Utc};
use url::Url;

use super::*;
use crate::config::parse;

fn run(feed_yaml: &str, page: &str) -> Result<Extraction, ExtractError> {
    let yaml = format!("feeds:\n  f:\n    url: https://example.org/news/\n{feed_yaml}");
    let config = parse(&yaml, Path::new("feeds.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let url = Url::parse("https://example.org/news/").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 12, 0, 0).unwrap();
    extract(
        &config.feeds[0],
        page,
        &PageInfo {
            url: &url,
            fetched_at: now,
        },
        None,
        &budget::Budget::unlimited(),
    )
}

fn titles(extraction: &Extraction) -> Vec<&str> {
    extraction.items.iter().map(|i| i.title.as_str()).collect()
}

#[test]
fn defaults_find_heading_link_time_and_image() {
    let page = r#"<base href="/base/"><article><img src="a.jpg"><h3> Hello
        world </h3><a href="story-1#top">read</a><time datetime="2026-03-01T10:00:00Z">March 1</time></article>"#;
    let out = run("    items: article\n", page).unwrap();
    let item = &out.items[0];
    assert_eq!(item.title, "Hello world");
    assert_eq!(item.link.as_str(), "https://example.org/base/story-1#top");
    assert_eq!(
        item.id, "https://example.org/base/story-1",
        "the id drops the fragment"
    );
    assert_eq!(
        item.date,
        Some(Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap())
    );
    assert_eq!(
        item.image.as_ref().unwrap().as_str(),
        "https://example.org/base/a.jpg"
    );
}

#[test]
fn card_that_is_a_link_gives_its_own_href_and_text() {
    let page = r#"<div class="list"><a class="c" href="/x">First story</a><a class="c" href="/y">Second story</a></div>"#;
    let out = run(
        "    items: a.c\n    fields:\n      title: \":scope\"\n      link: \"@href\"\n",
        page,
    )
    .unwrap();
    assert_eq!(titles(&out), ["First story", "Second story"]);
    assert_eq!(out.items[1].link.as_str(), "https://example.org/y");
}

#[test]
fn cards_without_title_or_link_are_skipped_and_counted() {
    let page = r#"<li><a href="/1">One</a></li><li>no link here</li><li><a href="javascript:void(0)">Two</a></li><li><a href="/3">Three</a></li>"#;
    let out = run("    items: li\n", page).unwrap();
    assert_eq!(titles(&out), ["One", "Three"]);
    assert_eq!((out.cards, out.skipped), (4, 2));
}

#[test]
fn the_same_article_twice_is_one_item() {
    let page = r#"<li><a href="/a?utm_source=x">A</a></li><li><a href="/a#comments">A again</a></li><li><a href="/b">B</a></li>"#;
    let out = run("    items: li\n", page).unwrap();
    assert_eq!(titles(&out), ["A", "B"]);
    assert_eq!(out.duplicates, 1);
}

#[test]
fn no_cards_is_an_error_naming_the_selector() {
    let err = run("    items: article.story\n", "<p>redesigned</p>").unwrap_err();
    assert!(
        err.to_string().contains("no cards match `article.story`"),
        "{err}"
    );
    let err = run("    items: li\n", "<li>text only</li>").unwrap_err();
    assert!(
        matches!(err, ExtractError::NoItems { cards: 1, .. }),
        "{err}"
    );
}

#[test]
fn next_sibling_row_holds_metadata() {
    let page = r#"<table>
        <tr class="athing"><td><a class="t" href="https://a.example/1">One</a></td></tr>
        <tr><td><a class="u" href="/user?id=ann">ann</a> <span class="age">2 hours ago</span></td></tr>
        <tr class="athing"><td><a class="t" href="https://a.example/2">Two</a></td></tr>
        <tr><td><span class="age">1 day ago</span></td></tr>
        </table>"#;
    let out = run("    items: tr.athing\n    fields:\n      title: a.t\n      author: \"+ a.u\"\n      date: \"+ span.age\"\n", page).unwrap();
    assert_eq!(out.items[0].author.as_deref(), Some("ann"));
    assert_eq!(out.items[1].author, None);
    assert_eq!(
        out.items[0].date,
        Some(Utc.with_ymd_and_hms(2026, 3, 10, 10, 0, 0).unwrap())
    );
    assert_eq!(
        out.items[1].date,
        Some(Utc.with_ymd_and_hms(2026, 3, 9, 12, 0, 0).unwrap())
    );
}

#[test]
fn closest_ancestor_holds_a_shared_field() {
    let page = r#"<section><h2>Economy</h2><ul><li><a href="/1">One</a></li></ul></section>
                  <section><h2>Tech</h2><ul><li><a href="/2">Two</a></li></ul></section>"#;
    let yaml = "    items: li\n    fields:\n      title: a\n      author:\n        select: h2\n        from: closest section\n";
    let out = run(yaml, page).unwrap();
    let authors: Vec<_> = out.items.iter().map(|i| i.author.as_deref()).collect();
    assert_eq!(authors, [Some("Economy"), Some("Tech")]);
}

#[test]
fn regex_replace_and_template() {
    let page = r#"<article><h3>Markets rally</h3><a href="/m">x</a><span class="meta">Jane Doe | Jun 26, 2022</span></article>"#;
    let yaml = "    items: article\n    fields:\n      author:\n        select: .meta\n        regex: \"^([^|]+?)\\\\s*\\\\|\"\n      date:\n        select: .meta\n        replace: { pattern: \"^.*\\\\|\\\\s*\", with: \"\" }\n      title:\n        select: h3\n        template: \"{value} — {author}\"\n";
    let out = run(yaml, page).unwrap();
    let item = &out.items[0];
    assert_eq!(item.author.as_deref(), Some("Jane Doe"));
    assert_eq!(item.title, "Markets rally — Jane Doe");
    assert_eq!(
        item.date.map(|d| d.date_naive().to_string()).as_deref(),
        Some("2022-06-26")
    );
}

#[test]
fn include_exclude_and_minimum_title_length() {
    let page = r#"<li><a href="/1">Economy grows</a></li><li><a href="/sponsored/2">Economy deal</a></li>
                  <li><a href="/3">Sports</a></li><li><a href="/4">Eco</a></li>"#;
    let yaml = "    items: li\n    min_title_length: 4\n    include:\n      - regex: \"(?i)^eco\"\n    exclude:\n      - field: link\n        regex: /sponsored/\n";
    let out = run(yaml, page).unwrap();
    assert_eq!(titles(&out), ["Economy grows"]);
    assert_eq!(out.filtered, 3);
}

#[test]
fn unparseable_dates_are_reported_and_left_empty() {
    let page = r#"<li><a href="/1">One</a><time>sometime soon</time></li>"#;
    let out = run("    items: li\n", page).unwrap();
    assert_eq!(out.items[0].date, None);
    assert_eq!(out.unparsed_dates, ["sometime soon"]);
}

#[test]
fn explicit_date_format_and_feed_timezone() {
    let page = r#"<li><a href="/1">One</a><span class="d">03|02|2026 18:30</span></li>"#;
    let yaml = "    items: li\n    timezone: Europe/Berlin\n    date_format: \"%d|%m|%Y %H:%M\"\n    fields:\n      date: span.d\n";
    let out = run(yaml, page).unwrap();
    assert_eq!(
        out.items[0].date,
        Some(Utc.with_ymd_and_hms(2026, 2, 3, 17, 30, 0).unwrap())
    );
}

#[test]
fn summaries_are_cut_or_sanitized() {
    let long = "word ".repeat(200);
    let page = format!(
        r#"<li><a href="/1">One</a><p>{long}</p><div><script>x()</script><b onclick="y()">Bold</b> <a href="/rel">rel</a></div></li>"#
    );
    let text = run(
        "    items: li\n    summary_length: 50\n    fields:\n      summary: p\n",
        &page,
    )
    .unwrap();
    let summary = text.items[0].summary.as_ref().unwrap().as_str().to_owned();
    assert!(
        summary.chars().count() <= 51 && summary.ends_with('…'),
        "{summary}"
    );
    let html = run(
        "    items: li\n    fields:\n      summary:\n        select: div\n        html: true\n",
        &page,
    )
    .unwrap();
    let Some(crate::item::Summary::Html(html)) = &html.items[0].summary else {
        panic!("html summary")
    };
    assert!(
        !html.contains("script") && !html.contains("onclick"),
        "{html}"
    );
    assert!(html.contains(r#"href="https://example.org/rel""#), "{html}");
}

#[test]
fn noscript_images_are_markup_when_scripting_is_off() {
    let page = r#"<article><a href="/1"><h2>One</h2></a><img src="data:image/gif;base64,R0lGOD" class="lazy"><noscript><img src="/real.jpg"></noscript></article>"#;
    let out = run(
        "    items: article\n    fields:\n      image: \"noscript img@src\"\n",
        page,
    )
    .unwrap();
    assert_eq!(
        out.items[0].image.as_ref().unwrap().as_str(),
        "https://example.org/real.jpg"
    );
    let out = run("    items: article\n", page).unwrap();
    assert_eq!(
        out.items[0].image.as_ref().unwrap().as_str(),
        "https://example.org/real.jpg",
        "the default skips the placeholder"
    );
}

#[test]
fn page_title_and_language() {
    let page = r#"<html lang="de-DE"><head><title> Wirtschaft | Example </title></head><body><li><a href="/1">Eins</a></li></body></html>"#;
    let out = run("    items: li\n", page).unwrap();
    assert_eq!(out.page_title.as_deref(), Some("Wirtschaft | Example"));
    assert_eq!(out.language.as_deref(), Some("de-DE"));
}

#[test]
fn skip_leaves_every_matching_element_out_of_the_text() {
    let page = r#"<article><h2><a href="/a"><span class="kicker">Exklusiv</span> Totalschaden am Kanzlerjet <em class="badge">Neu</em></a></h2>
        <p class="dek"><span class="badge">Plus</span> Was bisher bekannt ist.</p></article>"#;
    let out = run(
        "    items: article\n    fields:\n      title: {select: h2, skip: \"span.kicker, .badge\"}\n      summary: {select: p.dek, skip: .badge}\n",
        page,
    )
    .unwrap();
    assert_eq!(titles(&out), ["Totalschaden am Kanzlerjet"]);
    assert_eq!(
        out.items[0].summary,
        Some(crate::item::Summary::Text("Was bisher bekannt ist.".into()))
    );
}

#[test]
fn an_unsure_detection_is_an_error_that_carries_its_guess() {
    let links: String = (0..30)
        .map(|k| format!(r#"<li><a href="/topic-{k}/">Topic number {k} of the region</a></li>"#))
        .collect();
    let page = format!(
        r#"<main><h1>About us</h1><p>We write about the harbour.</p></main><footer><ul class="links">{links}</ul></footer>"#
    );
    match run("", &page) {
        Err(ExtractError::Unsure {
            confidence, guess, ..
        }) => {
            assert!(confidence < detect::CONFIDENCE_FLOOR, "{confidence}");
            assert!(guess.unsure);
            assert_eq!(guess.items.len(), 30);
        }
        other => panic!("{:?}", other.map(|o| o.card_source)),
    }
}
