//! `status` and `status --json`: each feed's health from the store after successes and
//! failures.

use serde_json::Value;

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

fn row<'a>(rows: &'a Value, feed: &str) -> &'a Value {
    rows.as_array()
        .expect("status --json prints an array")
        .iter()
        .find(|r| r["feed"] == feed)
        .unwrap_or_else(|| panic!("no row for `{feed}` in {rows:#}"))
}

#[test]
fn status_reports_successes_and_failures() {
    let server = TestServer::start();
    let page = grid_page(&[
        Card::new(
            "tide-gauge",
            "New tide gauge installed at the pier",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse open for visits this weekend",
            Some("2024-11-19T10:00:00Z"),
        ),
        Card::new(
            "fish-market",
            "Fish market reopens after repairs",
            Some("2024-11-18T10:00:00Z"),
        ),
    ]);
    server.set("/good/", Reply::html(page.clone()));
    server.set("/bad/", Reply::html(page));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  good:\n    url: {}\n{GRID_FEED_FIELDS}  bad:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/good/"),
        server.url("/bad/"),
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let status = project.run(&["status", "--json"]);
    status.expect_code(0);
    let rows: Value =
        serde_json::from_str(&status.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{status}"));
    for feed in ["good", "bad"] {
        let row = row(&rows, feed);
        assert_eq!(row["consecutive_failures"], 0, "{row:#}");
        assert_eq!(row["last_error"], Value::Null, "{row:#}");
        assert_eq!(row["items_stored"], 3, "{row:#}");
    }

    server.set("/bad/", Reply::error(503));
    project.run(&["run", "--once"]).expect_code(1);
    project.run(&["run", "--once"]).expect_code(1);
    let status = project.run(&["status", "--json"]);
    status.expect_code(1);
    let rows: Value =
        serde_json::from_str(&status.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{status}"));
    let good = row(&rows, "good");
    assert_eq!(good["consecutive_failures"], 0, "{good:#}");
    assert_eq!(good["last_error"], Value::Null, "{good:#}");
    assert_eq!(good["items_stored"], 3, "{good:#}");
    let bad = row(&rows, "bad");
    assert_eq!(bad["consecutive_failures"], 2, "{bad:#}");
    let error = bad["last_error"]
        .as_str()
        .unwrap_or_else(|| panic!("last_error is text: {bad:#}"));
    assert!(
        error.contains("HTTP 503") && error.contains(&server.url("/bad/")),
        "{bad:#}"
    );
    assert_eq!(
        bad["items_stored"], 3,
        "a failure keeps the stored items: {bad:#}"
    );

    let table = project.run(&["status"]);
    table.expect_code(1);
    let line = |feed: &str| {
        table
            .stdout
            .lines()
            .find(|l| l.starts_with(feed))
            .unwrap_or_else(|| panic!("{table}"))
    };
    assert!(line("good").contains(" ok "), "{table}");
    assert!(
        line("bad").contains("FAILING") && line("bad").contains("HTTP 503"),
        "{table}"
    );
}

#[test]
fn a_feed_failing_longer_than_stale_after_is_stale() {
    let server = TestServer::start();
    server.set("/down/", Reply::error(500));
    let project = Project::new(&format!(
        "feeds:\n  down:\n    url: {}\n    stale_after: 2s\n{GRID_FEED_FIELDS}  patient:\n    url: {}\n    stale_after: 2d\n{GRID_FEED_FIELDS}",
        server.url("/down/"),
        server.url("/down/"),
    ));
    project.run(&["run", "--once"]).expect_code(1);
    let first = row_of(&project, "down");
    assert_eq!(first["health"]["state"], "failing", "{first:#}");
    let since = first["health"]["since"].clone();

    // Past `stale_after` (counted from the first failure: it never succeeded).
    std::thread::sleep(std::time::Duration::from_millis(3100));
    project.run(&["run", "--once"]).expect_code(1);
    let down = row_of(&project, "down");
    assert_eq!(down["health"]["state"], "stale", "{down:#}");
    assert_eq!(down["health"]["failures"], 2, "{down:#}");
    assert_eq!(
        down["health"]["since"], since,
        "the streak keeps its start: {down:#}"
    );
    assert_eq!(row_of(&project, "patient")["health"]["state"], "failing");

    let table = project.run(&["status"]);
    table.expect_code(1);
    let line = table
        .stdout
        .lines()
        .find(|l| l.starts_with("down"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(line.contains("STALE"), "{table}");

    // A success ends the streak.
    server.set(
        "/down/",
        Reply::html(grid_page(&[Card::new("back", "The feed is back", None)])),
    );
    project.run(&["run", "--once", "down"]).expect_code(0);
    let back = row_of(&project, "down");
    assert_eq!(back["health"]["state"], "ok", "{back:#}");
}

fn row_of(project: &Project, feed: &str) -> Value {
    let status = project.run(&["status", "--json"]);
    let rows: Value =
        serde_json::from_str(&status.stdout).unwrap_or_else(|e| panic!("not JSON: {e}\n{status}"));
    row(&rows, feed).clone()
}
