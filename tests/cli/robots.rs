//! robots.txt is honoured by default (RFC 9309): a disallowed section is not fetched,
//! Crawl-delay spaces requests to the host, the copy is remembered in the store for a
//! day (so `run --once` from cron does not fetch it every run) and revalidated when it
//! expires, and `robots_txt: false` opts a feed out, with a warning from `check`.

use std::time::Duration;

use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, aged_snapshot, grid_page, snapshot,
};

fn page(slug: &str) -> Reply {
    Reply::html(grid_page(&[Card::new(
        slug,
        &format!("Story {slug}"),
        Some("2025-03-01T10:00:00Z"),
    )]))
}

fn feeds(server: &TestServer, extra: &str) -> String {
    format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n  section:\n    url: {}\n{extra}{GRID_FEED_FIELDS}  other:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/section/"),
        server.url("/other/"),
    )
}

/// Moves every stored robots.txt copy's expiry into the past: a day has gone by.
fn expire_robots(project: &Project) {
    let db = rusqlite::Connection::open(project.state_dir().join("scrapefeed.sqlite"))
        .expect("open the store");
    db.execute("UPDATE robots SET expires_at = 0", [])
        .expect("expire robots.txt");
}

#[test]
fn a_section_that_robots_txt_disallows_is_not_fetched_and_keeps_its_files() {
    let server = TestServer::start();
    server.set("/section/", page("a"));
    server.set("/other/", page("b"));
    server.set(
        "/robots.txt",
        Reply::bytes("text/plain", b"User-agent: *\nAllow: /\n".to_vec()).with_etag(),
    );
    let project = Project::new(&feeds(&server, ""));
    project.run(&["run", "--once"]).expect_code(0);
    let before = aged_snapshot(&project.output("section.xml"));
    // The copy is remembered: a second run does not ask again.
    project.run(&["run", "--once"]).expect_code(0);
    assert_eq!(server.requests_to("/robots.txt").len(), 1, "fetched once");

    // A day later the site disallows the section.
    server.set(
        "/robots.txt",
        Reply::bytes(
            "text/plain",
            b"User-agent: *\nDisallow: /section/\n".to_vec(),
        )
        .with_etag(),
    );
    expire_robots(&project);
    let fetched_before = server.requests_to("/section/").len();
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(
        run.summary("section")
            .contains("/robots.txt disallows /section/ for scrapefeed"),
        "{run}"
    );
    assert!(run.summary("other").contains(" ok "), "{run}");
    assert_eq!(
        server.requests_to("/section/").len(),
        fetched_before,
        "not fetched"
    );
    assert_eq!(snapshot(&project.output("section.xml")), before);
    let revalidation = &server.requests_to("/robots.txt")[1];
    assert!(
        revalidation.header("If-None-Match").is_some(),
        "an expired copy is revalidated with a conditional GET"
    );
}

#[test]
fn robots_txt_false_opts_a_feed_out_with_a_warning_from_check() {
    let server = TestServer::start();
    server.set("/section/", page("a"));
    server.set("/other/", page("b"));
    server.set(
        "/robots.txt",
        Reply::bytes("text/plain", b"User-agent: *\nDisallow: /\n".to_vec()),
    );
    let project = Project::new(&feeds(&server, "    robots_txt: false\n"));
    let check = project.run(&["check"]);
    check.expect_code(0);
    assert!(
        check
            .stderr
            .contains("warning: feed `section`: ignores robots.txt (robots_txt: false)"),
        "{check}"
    );
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(run.summary("section").contains(" ok "), "{run}");
    assert!(run.summary("other").contains("disallows /other/"), "{run}");
}

#[test]
fn a_robots_txt_that_errors_keeps_scrapefeed_away_and_one_that_is_missing_allows_all() {
    let server = TestServer::start();
    server.set("/section/", page("a"));
    server.set("/other/", page("b"));
    server.set("/robots.txt", Reply::error(503));
    let project = Project::new(&feeds(&server, ""));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(
        run.summary("section")
            .contains("robots.txt is unreachable (HTTP 503)"),
        "{run}"
    );
    assert!(server.requests_to("/section/").is_empty(), "{run}");

    server.set("/robots.txt", Reply::error(404));
    expire_robots(&project);
    project.run(&["run", "--once"]).expect_code(0);
}

#[test]
fn crawl_delay_spaces_requests_to_the_host() {
    let server = TestServer::start();
    server.set("/section/", page("a"));
    server.set("/other/", page("b"));
    server.set(
        "/robots.txt",
        Reply::bytes(
            "text/plain",
            b"User-agent: scrapefeed\nCrawl-delay: 2\nAllow: /\n".to_vec(),
        ),
    );
    let project = Project::new(&feeds(&server, ""));
    project.run(&["run", "--once"]).expect_code(0);
    let arrivals: Vec<_> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 2);
    let gap = arrivals[1] - arrivals[0];
    assert!(
        gap >= Duration::from_millis(1950),
        "Crawl-delay: 2 outweighs host_delay: 0s ({gap:?})"
    );
}
