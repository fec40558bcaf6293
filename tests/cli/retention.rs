//! Retention and order in the store, at library level with explicit times (nothing is
//! timed): an item that left the page stays until `keep` has passed since it was last
//! seen, then is pruned; beyond `max_history` items, those seen longest ago go first;
//! entries are newest first, ties in page order, and that order does not change from
//! one merge to the next.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use scrapefeed::item::Item;
use scrapefeed::store::{Merge, MergeOutcome, Store};
use url::Url;

const FEED: &str = "harbour";
const KEEP: Duration = Duration::from_secs(2 * 86_400);

fn item(slug: &str, date: Option<&str>) -> Item {
    let link = Url::parse(&format!("https://harbour.example/news/{slug}/")).expect("test URL");
    Item {
        id: link.to_string(),
        title: format!("Story {slug}"),
        link,
        date: date.map(|d| d.parse().expect("test date")),
        summary: None,
        author: None,
        image: None,
    }
}

fn merge(store: &Store, page: &[Item], now: DateTime<Utc>) -> MergeOutcome {
    merge_keeping(store, page, now, 5000)
}

fn merge_keeping(
    store: &Store,
    page: &[Item],
    now: DateTime<Utc>,
    max_history: usize,
) -> MergeOutcome {
    store
        .merge(&Merge {
            slug: FEED,
            items: page,
            now,
            keep: KEEP,
            max_items: 50,
            fingerprint: "test",
            url: "https://harbour.example/news/",
            max_history,
            cards: page.len(),
            meta: "Harbour news",
            detected: None,
        })
        .expect("merge")
}

fn slugs(outcome: &MergeOutcome) -> Vec<String> {
    outcome
        .entries
        .iter()
        .map(|e| {
            e.item
                .link
                .path()
                .trim_matches('/')
                .trim_start_matches("news/")
                .to_owned()
        })
        .collect()
}

#[test]
fn items_outlive_the_page_until_keep_expires_newest_first_in_a_stable_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open store");
    let day0: DateTime<Utc> = "2024-11-01T12:00:00Z".parse().unwrap();
    let day = |n: i64| day0 + TimeDelta::days(n);
    let (a, b, c, d) = (
        item("a", None),
        item("b", None),
        item("c", None),
        item("d", None),
    );
    // Three stories sharing one page date (a date-only listing, say).
    let same_date = "2024-10-31T00:00:00Z";
    let same = Some(same_date);
    let (e, f, g) = (item("e", same), item("f", same), item("g", same));

    let first = merge(
        &store,
        &[
            a.clone(),
            b.clone(),
            c.clone(),
            e.clone(),
            f.clone(),
            g.clone(),
        ],
        day(0),
    );
    assert_eq!(first.new, 6);
    assert_eq!(
        slugs(&first),
        ["a", "b", "c", "e", "f", "g"],
        "undated stories first seen now, in page order; ties in page order"
    );

    // Day 1: a new story on top; the tied stories appear in reverse order.
    let second = merge(
        &store,
        &[
            d.clone(),
            a.clone(),
            b.clone(),
            c.clone(),
            g.clone(),
            f.clone(),
            e.clone(),
        ],
        day(1),
    );
    assert_eq!(second.new, 1);
    assert_eq!(
        slugs(&second),
        ["d", "a", "b", "c", "e", "f", "g"],
        "newest first; the order of earlier items is stable"
    );

    // Day 2: `c` has left the page; it was last seen on day 1.
    let page = [
        d.clone(),
        a.clone(),
        b.clone(),
        e.clone(),
        f.clone(),
        g.clone(),
    ];
    let third = merge(&store, &page, day(2));
    assert_eq!(
        slugs(&third),
        ["d", "a", "b", "c", "e", "f", "g"],
        "an item off the page is still in the feed"
    );
    assert_eq!(third.pruned, 0);
    let at_expiry = merge(&store, &page, day(3));
    assert_eq!(
        at_expiry.pruned, 0,
        "kept for exactly `keep` after it was last seen"
    );
    assert!(slugs(&at_expiry).contains(&"c".to_owned()));
    assert_eq!(
        third.entries, at_expiry.entries,
        "entries, ids and dates do not change between merges"
    );

    let after = merge(&store, &page, day(3) + TimeDelta::hours(1));
    assert_eq!(
        after.pruned, 1,
        "pruned once `keep` has passed since its last sighting"
    );
    assert_eq!(after.total, 6);
    assert_eq!(slugs(&after), ["d", "a", "b", "e", "f", "g"]);
    assert_eq!(
        store.entries(FEED, 50).expect("entries"),
        after.entries,
        "what merge returns is what the store holds"
    );

    let published = |outcome: &MergeOutcome, slug: &str| {
        outcome
            .entries
            .iter()
            .find(|en| en.item.link.path() == format!("/news/{slug}/"))
            .map(|en| en.published)
    };
    assert_eq!(
        published(&after, "a"),
        Some(day(0)),
        "first seen on day 0, never moved"
    );
    assert_eq!(published(&after, "d"), Some(day(1)));
    assert_eq!(
        published(&after, "e"),
        Some(same_date.parse().unwrap()),
        "the page's date"
    );
}

#[test]
fn beyond_max_history_the_items_seen_longest_ago_go_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(dir.path()).expect("open store");
    let day0: DateTime<Utc> = "2024-11-01T12:00:00Z".parse().unwrap();
    let day = |n: i64| day0 + TimeDelta::days(n);
    let dated = |slug: &str, date: &str| item(slug, Some(date));
    // `a` is the oldest story but stays on the page; `b` and `c` leave it.
    let (a, b, c) = (
        dated("a", "2024-10-01T00:00:00Z"),
        dated("b", "2024-10-20T00:00:00Z"),
        dated("c", "2024-10-21T00:00:00Z"),
    );
    let (d, e, f) = (
        dated("d", "2024-10-25T00:00:00Z"),
        dated("e", "2024-10-26T00:00:00Z"),
        dated("f", "2024-10-27T00:00:00Z"),
    );
    merge_keeping(&store, &[a.clone(), b, c], day(0), 4);
    let sorted = |outcome: &MergeOutcome| {
        let mut kept = slugs(outcome);
        kept.sort();
        kept
    };
    let second = merge_keeping(&store, &[a.clone(), d.clone(), e.clone()], day(1), 4);
    assert_eq!(second.pruned, 1, "one over the limit");
    assert_eq!(
        sorted(&second),
        ["a", "c", "d", "e"],
        "of the items last seen on day 0 (b, c), the older story went first; `a` was seen again"
    );
    let last = merge_keeping(&store, &[a, f], day(2), 4);
    assert_eq!(last.total, 4);
    assert_eq!(sorted(&last), ["a", "d", "e", "f"], "then `c`");

    // A page longer than max_history adds its first items only.
    let long: Vec<Item> = (0..10).map(|n| item(&format!("long-{n}"), None)).collect();
    let outcome = merge_keeping(&store, &long, day(3), 4);
    assert_eq!(outcome.total, 4);
    assert_eq!(slugs(&outcome), ["long-0", "long-1", "long-2", "long-3"]);
}
