//! Whatever text a page holds, the published feeds parse back and carry no script.

use std::path::Path;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::extract::{self, PageInfo};
use crate::item::Entry;

const CONFIG: &str = "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  plain:\n    url: https://news.example.org/section/\n    items: article\n    fields:\n      summary: p\n      author: .by\n  html:\n    url: https://news.example.org/section/\n    items: article\n    fields:\n      summary:\n        select: div.body\n        html: true\n";

fn channel() -> Channel {
    Channel {
        slug: "plain".into(),
        title: "Section".into(),
        description: "News".into(),
        page_url: Url::parse("https://news.example.org/section/").unwrap(),
        base_url: Some(Url::parse("https://feeds.example.org/").unwrap()),
        updated: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
        language: None,
        timezone: chrono_tz::Tz::UTC,
        hub: None,
    }
}

/// Text that tries hard to break XML or smuggle a script.
fn nasty() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("<script>alert(1)</script>".to_owned()),
            Just("<SCRIPT SRC=//evil.example/x.js></SCRIPT>".to_owned()),
            Just("]]>".to_owned()),
            Just("<![CDATA[".to_owned()),
            Just("&amp;&lt;&#0;&#x1F;&bogus;&".to_owned()),
            Just("<img src=x onerror=alert(1)>".to_owned()),
            Just("<a href=\"javascript:alert(1)\">x</a>".to_owned()),
            Just("\u{0}\u{1}\u{b}\u{c}\u{1b}\u{7f}\u{fffe}\u{ffff}".to_owned()),
            Just("\u{202e}\u{200b}é中文🙂".to_owned()),
            "[ -~]{0,40}",
            any::<String>(),
            "x{1000,5000}",
        ],
        1..6,
    );
    pieces.prop_map(|p| p.concat())
}

fn entries_from(page: &str, feed: &crate::config::Feed) -> Vec<Entry> {
    let url = Url::parse("https://news.example.org/section/").unwrap();
    let when = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
    match extract::extract(
        feed,
        page,
        &PageInfo {
            url: &url,
            fetched_at: when,
        },
        None,
        &extract::budget::Budget::unlimited(),
    ) {
        Ok(extraction) => extraction
            .items
            .into_iter()
            .map(|item| Entry {
                item,
                published: when,
                updated: when,
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn assert_safe(bytes: &[u8], what: &str) {
    let feed = feed_rs::parser::parse(bytes).unwrap_or_else(|e| {
        panic!(
            "{what} does not parse: {e}\n{}",
            String::from_utf8_lossy(bytes)
        )
    });
    for entry in &feed.entries {
        let texts = [
            entry.title.as_ref().map(|t| t.content.clone()),
            entry.summary.as_ref().map(|t| t.content.clone()),
            entry.content.as_ref().and_then(|c| c.body.clone()),
        ];
        for text in texts.into_iter().flatten() {
            let lower = text.to_ascii_lowercase();
            assert!(
                !lower.contains("<script"),
                "{what} carries a script: {text}"
            );
            assert!(
                !lower.contains("onerror="),
                "{what} carries an event handler: {text}"
            );
            assert!(
                !lower.contains("javascript:"),
                "{what} carries a javascript: link: {text}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_card_text_gives_valid_safe_feeds(title in nasty(), summary in nasty(), author in nasty()) {
        let config = crate::config::parse(CONFIG, Path::new("feeds.yaml")).unwrap();
        // Raw into the markup: whatever the HTML parser makes of it, extraction sees.
        let page = format!(
            "<html><body><article><h2><a href=\"/a/1\">{title}</a></h2><p>{summary}</p><span class=by>{author}</span><div class=body>{summary}</div></article>\
             <article><h2><a href=\"/a/2?utm_source=x\">second {title}</a></h2><div class=body><b>{summary}</b></div></article></body></html>"
        );
        for feed in &config.feeds {
            let entries = entries_from(&page, feed);
            for format in [Format::Rss, Format::Atom] {
                let bytes = render(format, &channel(), &entries).unwrap();
                assert_safe(&bytes, &format!("{format:?} of feed {}", feed.slug));
                let text = String::from_utf8(bytes).expect("feeds are UTF-8");
                prop_assert!(text.chars().all(crate::extract::text::xml_allowed));
            }
        }
    }
}

#[test]
fn text_is_escaped_exactly_once() {
    let config = crate::config::parse(CONFIG, Path::new("feeds.yaml")).unwrap();
    let page =
        "<article><h2><a href=\"/a\">Fish &amp; Chips &lt;3</a></h2><p>A &gt; B</p></article>";
    let entries = entries_from(page, &config.feeds[0]);
    let rss = render(Format::Rss, &channel(), &entries).unwrap();
    let parsed = feed_rs::parser::parse(rss.as_slice()).unwrap();
    assert_eq!(
        parsed.entries[0].title.as_ref().unwrap().content,
        "Fish & Chips <3"
    );
    let atom = render(Format::Atom, &channel(), &entries).unwrap();
    let parsed = feed_rs::parser::parse(atom.as_slice()).unwrap();
    assert_eq!(
        parsed.entries[0].title.as_ref().unwrap().content,
        "Fish & Chips <3"
    );
    let summary = parsed.entries[0].summary.as_ref().unwrap().content.clone();
    assert!(
        summary.contains("A &gt; B"),
        "the summary is HTML with the text escaped once: {summary}"
    );
}

fn entry(id: &str, link: &str, at: chrono::DateTime<Utc>) -> Entry {
    Entry {
        item: crate::item::Item {
            id: id.into(),
            title: format!("Title of {id}"),
            link: Url::parse(link).unwrap(),
            date: None,
            summary: None,
            author: None,
            image: None,
        },
        published: at,
        updated: at,
    }
}

fn atom_updated(
    entries: &[Entry],
    channel: &Channel,
) -> Vec<chrono::DateTime<chrono::FixedOffset>> {
    let atom = render(Format::Atom, channel, entries).unwrap();
    let parsed = feed_rs::parser::parse(atom.as_slice()).unwrap();
    assert_eq!(
        render(Format::Atom, channel, entries).unwrap(),
        atom,
        "deterministic"
    );
    parsed
        .entries
        .iter()
        .map(|e| e.updated.unwrap().fixed_offset())
        .collect()
}

fn same_time(at: chrono::DateTime<Utc>, n: usize) -> Vec<Entry> {
    (0..n)
        .map(|i| {
            entry(
                &format!("https://n.example/{i}"),
                &format!("https://n.example/{i}"),
                at,
            )
        })
        .collect()
}

#[test]
fn atom_entries_never_share_an_updated_time_nor_leave_their_day() {
    // Date-only page dates give many items the same time; the validator warns on that.
    let day = Utc.with_ymd_and_hms(2019, 9, 5, 0, 0, 0).unwrap();
    let updated = atom_updated(&same_time(day, 4), &channel());
    let distinct: std::collections::HashSet<_> = updated.iter().collect();
    assert_eq!(distinct.len(), 4, "{updated:?}");
    assert!(
        updated.windows(2).all(|w| w[0] > w[1]),
        "page order kept: {updated:?}"
    );
    assert_eq!(updated[3], day, "the oldest keeps its real time");
    assert!(updated.iter().all(|u| u.date_naive() == day.date_naive()));

    // Near the end of the day the spread goes back into the day, never past it.
    let late = Utc.with_ymd_and_hms(2019, 9, 5, 23, 59, 58).unwrap();
    let updated = atom_updated(&same_time(late, 4), &channel());
    let distinct: std::collections::HashSet<_> = updated.iter().collect();
    assert_eq!(distinct.len(), 4, "{updated:?}");
    assert!(
        updated.iter().all(|u| u.date_naive() == late.date_naive()),
        "{updated:?}"
    );

    // The day is the feed's: midnight in Berlin is 22:00 UTC the day before.
    let berlin = Channel {
        timezone: chrono_tz::Europe::Berlin,
        ..channel()
    };
    let midnight = chrono_tz::Europe::Berlin
        .with_ymd_and_hms(2019, 9, 5, 0, 0, 0)
        .unwrap()
        .with_timezone(&Utc);
    let atom =
        String::from_utf8(render(Format::Atom, &berlin, &same_time(midnight, 3)).unwrap()).unwrap();
    for second in 0..3 {
        let written = format!("<updated>2019-09-05T00:00:0{second}+02:00</updated>");
        assert!(atom.contains(&written), "{written} in\n{atom}");
    }
    assert_eq!(
        atom.matches("<published>2019-09-05T00:00:00+02:00</published>")
            .count(),
        3
    );
}

#[test]
fn guid_is_a_permalink_only_when_it_is_the_link() {
    let at = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
    let entries = [
        entry("https://n.example/a", "https://n.example/a", at),
        entry("story-42", "https://n.example/b", at),
    ];
    let rss = String::from_utf8(render(Format::Rss, &channel(), &entries).unwrap()).unwrap();
    assert!(rss.contains("<guid>https://n.example/a</guid>"), "{rss}");
    assert!(
        rss.contains(r#"<guid isPermaLink="false">story-42</guid>"#),
        "{rss}"
    );
    assert!(rss.contains(r#"<atom:link href="https://feeds.example.org/plain.xml" rel="self" type="application/rss+xml"/>"#), "{rss}");
    let atom = String::from_utf8(render(Format::Atom, &channel(), &entries).unwrap()).unwrap();
    assert!(
        atom.contains("<id>tag:news.example.org,2000:plain/story-42</id>"),
        "a non-URL id becomes a tag URI: {atom}"
    );
}
