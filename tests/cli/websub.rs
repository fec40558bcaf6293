//! WebSub: with `websub_hub`, every format names the hub, and a refresh that changes
//! a feed's files tells the hub (one `hub.mode=publish` POST naming each changed
//! file); an unchanged feed pings nothing; a hub that fails or hangs is logged and
//! never fails the refresh. The hub is a stub route on the test server that records
//! what it is told.

use std::time::{Duration, Instant};

use crate::support::feed::feed_link;
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, next_second};

fn hub_reply(status: u16) -> Reply {
    Reply {
        status,
        ..Reply::html("")
    }
}

fn project(server: &TestServer, timeout: &str) -> Project {
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  websub_hub: {hub}\n  timeout: {timeout}\nfeeds:\n  harbour:\n    url: {page}\n    formats: [rss, atom, json]\n{GRID_FEED_FIELDS}",
        hub = server.url("/hub"),
        page = server.url("/news/"),
    ))
}

/// A hub answering `status`, a page with one story, and a project using both.
fn site(status: u16, timeout: &str) -> (TestServer, Vec<Card>, Project) {
    let server = TestServer::start();
    server.set("/hub", hub_reply(status));
    let cards = vec![Card::new(
        "gauge",
        "Tide gauge installed",
        Some("2024-11-20T10:00:00Z"),
    )];
    server.set("/news/", Reply::html(grid_page(&cards)));
    let project = project(&server, timeout);
    (server, cards, project)
}

/// A new story at the top of the page.
fn add_story(server: &TestServer, cards: &mut Vec<Card>) {
    let story = Card::new(
        "ferry",
        "Ferry timetable changes",
        Some("2024-11-21T08:00:00Z"),
    );
    cards.insert(0, story);
    server.set("/news/", Reply::html(grid_page(cards)));
}

fn pings(server: &TestServer) -> Vec<Vec<(String, String)>> {
    server
        .requests_to("/hub")
        .iter()
        .map(|r| {
            assert_eq!(r.method, "POST");
            assert_eq!(
                r.header("Content-Type"),
                Some("application/x-www-form-urlencoded")
            );
            assert!(
                r.header("User-Agent")
                    .is_some_and(|ua| ua.starts_with("scrapefeed/")),
                "the shared client's User-Agent"
            );
            r.form()
        })
        .collect()
}

fn pair(key: &str, value: &str) -> (String, String) {
    (key.to_owned(), value.to_owned())
}

#[test]
fn a_change_pings_the_hub_and_the_feeds_name_it() {
    let (server, mut cards, project) = site(204, "20s");
    project.run(&["run", "--once"]).expect_code(0);

    let hub = server.url("/hub");
    for file in ["harbour.xml", "harbour.atom"] {
        assert_eq!(
            feed_link(&project.feed(file), "hub"),
            Some(hub.as_str()),
            "{file}"
        );
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(project.output("harbour.json")).unwrap())
            .unwrap();
    assert_eq!(
        json["hubs"],
        serde_json::json!([{"type": "WebSub", "url": hub}])
    );

    let expected = vec![
        pair("hub.mode", "publish"),
        pair("hub.url", "https://feeds.example.org/harbour.xml"),
        pair("hub.url", "https://feeds.example.org/harbour.atom"),
        pair("hub.url", "https://feeds.example.org/harbour.json"),
    ];
    assert_eq!(
        pings(&server),
        std::slice::from_ref(&expected),
        "one ping for the first files"
    );

    next_second();
    project.run(&["run", "--once"]).expect_code(0);
    assert_eq!(pings(&server).len(), 1, "an unchanged feed pings nothing");

    add_story(&server, &mut cards);
    project.run(&["run", "--once"]).expect_code(0);
    assert_eq!(
        pings(&server),
        [expected.clone(), expected],
        "a change pings again"
    );
}

#[test]
fn a_failing_or_hanging_hub_never_fails_the_refresh() {
    let (server, mut cards, project) = site(500, "2s");
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(run.summary("harbour").contains(" ok "), "{run}");
    assert!(
        run.stderr.contains("WebSub hub") && run.stderr.contains("HTTP 500"),
        "the failed ping is logged\n{run}"
    );

    // A hub that never answers is cut off at the time limit.
    server.set("/hub", hub_reply(204).delay(Duration::from_secs(30)));
    add_story(&server, &mut cards);
    let started = Instant::now();
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "bounded: {:?}",
        started.elapsed()
    );
    assert!(run.stderr.contains("no answer within"), "{run}");
    assert_eq!(
        project.feed("harbour.atom").entries.len(),
        2,
        "the files were written"
    );
}

#[test]
fn a_hub_without_base_url_is_a_config_error() {
    let project = Project::new(
        "settings:\n  websub_hub: https://hub.example.org/\nfeeds:\n  a: https://a.example/\n",
    );
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("websub_hub needs base_url"), "{run}");
    assert!(run.stderr.contains(":2:"), "with its line\n{run}");
}
