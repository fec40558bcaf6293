//! The store is bounded: a page whose links change on every refresh does not grow the
//! store without end. A feed keeps at most `max_history` items, the database gives
//! the room of pruned items back to the file system, and `status` shows its size.

use std::fs;

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, status_json};

/// A page of `n` stories none of which was on the page before (run `run`).
fn churned_page(run: usize, n: usize) -> String {
    let cards: Vec<Card> = (0..n)
        .map(|i| {
            Card::new(
                &format!("run-{run}-story-{i}"),
                &format!("Story {i} of refresh {run}, with a headline of ordinary length"),
                None,
            )
        })
        .collect();
    grid_page(&cards)
}

fn config(url: &str, max_history: usize) -> String {
    format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  churn:\n    url: {url}\n    max_history: {max_history}\n{GRID_FEED_FIELDS}"
    )
}

#[test]
fn a_page_whose_links_always_change_keeps_the_store_bounded() {
    let server = TestServer::start();
    let project = Project::new(&config(&server.url("/news/"), 800));
    let sqlite = project.state_dir().join("scrapefeed.sqlite");
    let mut sizes = Vec::new();
    for run in 0..6 {
        server.set("/news/", Reply::html(churned_page(run, 500)));
        project.run(&["run", "--once"]).expect_code(0);
        let (_, status) = status_json(&project);
        let stored = status["feeds"][0]["items_stored"].as_u64().unwrap();
        assert_eq!(stored, (500 * (run as u64 + 1)).min(800), "run {run}");
        let bytes = status["store"]["bytes"].as_u64().unwrap();
        assert!(
            bytes >= fs::metadata(&sqlite).unwrap().len(),
            "status counts the store file: {status:#}"
        );
        sizes.push(bytes);
    }
    // Full after the second run; from then on old items make room for new ones.
    assert!(
        sizes[5] * 2 < sizes[1] * 3,
        "the store stays near its size when full: {sizes:?}"
    );
    assert_eq!(
        project.feed("churn.xml").entries.len(),
        50,
        "the feed still shows max_items"
    );

    // A smaller limit: the pruned items' room goes back to the file system.
    project.write_config(&config(&server.url("/news/"), 100));
    server.set("/news/", Reply::html(churned_page(6, 200)));
    project.run(&["run", "--once"]).expect_code(0);
    let (_, status) = status_json(&project);
    assert_eq!(status["feeds"][0]["items_stored"], 100, "{status:#}");
    let after = fs::metadata(&sqlite).unwrap().len();
    assert!(
        after * 3 < sizes[5],
        "the database file shrinks with its content: {after} bytes, was {sizes:?}"
    );
}
