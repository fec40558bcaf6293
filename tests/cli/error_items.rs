//! `error_items: true`: a stale feed tells its readers, with one item per failure
//! streak that keeps its id while the streak lasts and leaves on recovery; a feed
//! without it never shows an error item, and keeps its last good files byte for byte.

use std::path::Path;

use crate::support::feed::{ids, title};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, harbour_stories, parse_feed,
    snapshot,
};

const FILES: [&str; 3] = ["xml", "atom", "json"];

fn files(project: &Project, slug: &str) -> Vec<Vec<u8>> {
    FILES
        .iter()
        .map(|ext| snapshot(&project.output(&format!("{slug}.{ext}"))).bytes)
        .collect()
}

/// Every format's entry ids, which must agree; returns them once.
fn same_ids_in_every_format(project: &Project, slug: &str) -> Vec<String> {
    let of = |ext: &str| -> Vec<String> {
        let feed = parse_feed(&project.output(&format!("{slug}.{ext}")));
        ids(&feed).into_iter().map(str::to_owned).collect()
    };
    let rss = of("xml");
    // Atom ids of configured (non-URL) ids are tag: URIs; compare their ends.
    let atom = of("atom");
    let json = of("json");
    assert_eq!(rss.len(), atom.len(), "{rss:?} / {atom:?}");
    assert_eq!(rss, json, "RSS and JSON Feed show the same ids");
    rss
}

/// Sleeps past a `stale_after` of 4 s counted from the first failure (the store keeps
/// whole seconds; 4 s so a busy machine cannot make the first failure stale already).
fn wait_until_stale() {
    std::thread::sleep(std::time::Duration::from_millis(5100));
}

#[test]
fn a_stale_feed_tells_its_readers_once_per_streak_and_recovers_cleanly() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let project = Project::new(&format!(
        "settings:\n  host_delay: 0s\n  retries: 0\n  stale_after: 4s\n  formats: [rss, atom, json]\nfeeds:\n  told:\n    url: {url}\n    error_items: true\n{GRID_FEED_FIELDS}  quiet:\n    url: {url}\n{GRID_FEED_FIELDS}",
        url = server.url("/news/"),
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let good_ids = same_ids_in_every_format(&project, "told");
    assert_eq!(good_ids.len(), 3);
    let (told_good, quiet_good) = (files(&project, "told"), files(&project, "quiet"));

    // Failing, not yet stale: nobody is told, the files stay as they were.
    server.set("/news/", Reply::error(500));
    project.run(&["run", "--once"]).expect_code(1);
    assert_eq!(files(&project, "told"), told_good);
    assert_eq!(files(&project, "quiet"), quiet_good);

    wait_until_stale();
    project.run(&["run", "--once"]).expect_code(4);
    assert_eq!(
        files(&project, "quiet"),
        quiet_good,
        "without error_items a stale feed keeps its files byte for byte"
    );
    let told_ids = same_ids_in_every_format(&project, "told");
    assert_eq!(told_ids.len(), 4, "the error item on top of the good ones");
    assert_eq!(told_ids[1..], good_ids[..], "no good item is lost");
    let error_id = told_ids[0].clone();
    for ext in FILES {
        let feed = parse_feed(&project.output(&format!("told.{ext}")));
        let item = &feed.entries[0];
        assert!(title(item).contains("page fails"), "{ext}: {}", title(item));
        let summary = item
            .summary
            .as_ref()
            .map(|s| s.content.clone())
            .unwrap_or_default();
        assert!(summary.contains("HTTP 500"), "{ext}: says why: {summary}");
        assert!(
            summary.contains(&server.url("/news/")),
            "{ext}: names the page: {summary}"
        );
    }

    // The same streak: the same item, and files left alone while nothing changed.
    let told_stale = files(&project, "told");
    project.run(&["run", "--once"]).expect_code(1);
    assert_eq!(files(&project, "told"), told_stale, "not rewritten");
    assert_eq!(same_ids_in_every_format(&project, "told")[0], error_id);

    // Recovery: the error item leaves, the items are the store's again.
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    project.run(&["run", "--once"]).expect_code(0);
    assert_eq!(same_ids_in_every_format(&project, "told"), good_ids);
    assert_eq!(files(&project, "told"), told_good, "as before the streak");

    // A new streak is a new item.
    server.set("/news/", Reply::error(503));
    project.run(&["run", "--once"]).expect_code(1);
    wait_until_stale();
    project.run(&["run", "--once"]).expect_code(4);
    let again = same_ids_in_every_format(&project, "told");
    assert_eq!(again.len(), 4);
    assert_ne!(again[0], error_id, "each streak has its own item");
}

#[test]
fn a_feed_that_never_worked_tells_its_readers_in_a_feed_of_its_own() {
    let server = TestServer::start();
    server.set("/down/", Reply::error(500));
    let project = Project::new(&format!(
        "settings:\n  host_delay: 0s\n  retries: 0\nfeeds:\n  never:\n    url: {}\n    stale_after: 4s\n    error_items: true\n{GRID_FEED_FIELDS}",
        server.url("/down/"),
    ));
    project.run(&["run", "--once"]).expect_code(1);
    assert!(!Path::new(&project.output("never.xml")).exists());
    wait_until_stale();
    project.run(&["run", "--once"]).expect_code(4);
    let feed = parse_feed(&project.output("never.xml"));
    assert_eq!(feed.entries.len(), 1, "{:?}", ids(&feed));
    let summary = feed.entries[0]
        .summary
        .as_ref()
        .map(|s| s.content.clone())
        .unwrap_or_default();
    assert!(summary.contains("has not succeeded yet"), "{summary}");

    // Once it works, the feed holds the page's items only.
    server.set(
        "/down/",
        Reply::html(grid_page(&[Card::new("first", "The first story", None)])),
    );
    project.run(&["run", "--once"]).expect_code(0);
    let feed = parse_feed(&project.output("never.xml"));
    assert_eq!(
        feed.entries.iter().map(title).collect::<Vec<_>>(),
        ["The first story"]
    );
}
