//! History: the store remembers every item across runs, so a feed keeps items that
//! scrolled off the page, ids and published dates never move, a changed title moves
//! only the item's `updated`, and the feed's own date moves only when it changes.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use feed_rs::model::Feed;

use crate::support::feed::{entry, ids, title};
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, next_second};

/// Each entry's id with its published date.
fn published(feed: &Feed) -> BTreeMap<String, Option<DateTime<Utc>>> {
    feed.entries
        .iter()
        .map(|e| (e.id.clone(), e.published))
        .collect()
}

/// Every id of `earlier` is in `later` with the same published date.
#[track_caller]
fn ids_and_dates_kept(earlier: &Feed, later: &Feed, file: &str) {
    let later = published(later);
    for (id, date) in published(earlier) {
        assert_eq!(
            later.get(&id),
            Some(&date),
            "{file}: `{id}` keeps its id and published date"
        );
    }
}

#[test]
fn items_accumulate_and_keep_their_ids_and_dates() {
    let server = TestServer::start();
    let budget = Card::new(
        "budget-vote",
        "Council debates the harbour budget",
        Some("2024-11-20T10:00:00Z"),
    );
    let ferry = Card::new(
        "ferry-timetable",
        "Winter ferry timetable published",
        Some("2024-11-19T08:00:00Z"),
    );
    let market = Card::new("fish-market", "Fish market reopens after repairs", None);
    let pier = Card::new(
        "new-pier",
        "Work starts on the new pier",
        Some("2024-11-21T07:00:00Z"),
    );
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    // The RSS and Atom files after each run.
    let (mut rss, mut atom) = (Vec::new(), Vec::new());
    let mut pass = |cards: &[Card]| {
        next_second();
        server.set("/news/", Reply::html(grid_page(cards)));
        project.run(&["run", "--once"]).expect_code(0);
        rss.push(project.feed("harbour.xml"));
        atom.push(project.feed("harbour.atom"));
    };

    pass(&[budget.clone(), ferry.clone(), market.clone()]);
    // The fish market scrolls off the page; a new story arrives on top.
    pass(&[pier.clone(), budget.clone(), ferry.clone()]);
    // The budget story's headline is rewritten.
    let passed = budget.titled("Council passes the harbour budget");
    pass(&[pier.clone(), passed.clone(), ferry.clone()]);
    // Nothing changes.
    pass(&[pier.clone(), passed.clone(), ferry.clone()]);

    let id = |card: &Card| server.url(&card.path());
    for (format, feeds) in [("rss", &rss), ("atom", &atom)] {
        assert_eq!(feeds[0].entries.len(), 3, "{format}");
        assert_eq!(
            ids(&feeds[1]),
            [id(&market), id(&pier), id(&budget), id(&ferry)],
            "{format}: items accumulate; the item gone from the page stays; newest first \
             (the undated market story is dated when first seen, i.e. now)"
        );
        assert_eq!(
            ids(&feeds[2]),
            ids(&feeds[1]),
            "{format}: a new title is not a new item"
        );
        for pair in feeds.windows(2) {
            ids_and_dates_kept(&pair[0], &pair[1], format);
        }
        let market_entry = entry(&feeds[3], &id(&market));
        assert_eq!(
            title(market_entry),
            "Fish market reopens after repairs",
            "{format}"
        );
        assert_eq!(
            entry(&feeds[3], &id(&budget)).published,
            Some("2024-11-20T10:00:00Z".parse().unwrap()),
            "{format}: the page's date is the published date"
        );

        let old = entry(&feeds[1], &id(&budget));
        let new = entry(&feeds[2], &id(&budget));
        assert_eq!(title(old), "Council debates the harbour budget", "{format}");
        assert_eq!(
            title(new),
            "Council passes the harbour budget",
            "{format}: the new title is published"
        );
        assert_eq!(
            new.published, old.published,
            "{format}: a new title keeps the published date"
        );
        if format == "atom" {
            assert!(
                new.updated > old.updated,
                "atom: the retitled entry's `updated` moves forward"
            );
            assert_eq!(
                entry(&feeds[2], &id(&ferry)).updated,
                entry(&feeds[1], &id(&ferry)).updated,
                "atom: others do not"
            );
        }

        assert!(feeds[2].updated.is_some(), "{format}: the feed has a date");
        assert_eq!(
            feeds[3].updated, feeds[2].updated,
            "{format}: an unchanged run keeps the feed's date"
        );
        assert!(
            feeds[1].updated > feeds[0].updated,
            "{format}: a changed run moves the feed's date"
        );
    }
}
