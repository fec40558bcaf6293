//! Never blank: when a feed's page fails (an HTTP error, a redesign that matches no
//! cards, a server that never answers) the run exits 1, says which feed and URL
//! failed, leaves the last good files exactly as they were — bytes and mtime — and
//! the other feeds of the same pass still succeed.

use std::time::Duration;

use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, aged_snapshot, feed_row, grid_page,
    redesigned_page, snapshot, status_json,
};

fn stories() -> Vec<Card> {
    vec![
        Card::new(
            "budget-vote",
            "Council passes the harbour budget",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "ferry-timetable",
            "Winter ferry timetable published",
            Some("2024-11-19T08:00:00Z"),
        ),
        Card::new(
            "fish-market",
            "Fish market reopens after repairs",
            Some("2024-11-18T12:00:00Z"),
        ),
    ]
}

/// After a good first run, `/flaky/` answers with `failure`: `flaky` must fail with a
/// message containing `expected` and keep its files; `steady` must still be updated.
fn previous_files_survive(failure: Reply, expected: &str) {
    let server = TestServer::start();
    server.set("/flaky/", Reply::html(grid_page(&stories())));
    server.set("/steady/", Reply::html(grid_page(&stories())));
    let project = Project::new(&format!(
        // Without retries: here a failure is the point (tests/cli/faults.rs retries).
        "settings:\n  base_url: https://feeds.example.org/\n  timeout: 2s\n  retries: 0\nfeeds:\n  flaky:\n    url: {}\n{GRID_FEED_FIELDS}  steady:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/flaky/"),
        server.url("/steady/"),
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let before: Vec<_> = ["flaky.xml", "flaky.atom"]
        .iter()
        .map(|f| aged_snapshot(&project.output(f)))
        .collect();
    let steady_before = aged_snapshot(&project.output("steady.xml"));

    server.set("/flaky/", failure);
    let mut more = stories();
    more.insert(
        0,
        Card::new(
            "new-pier",
            "Work starts on the new pier",
            Some("2024-11-21T07:00:00Z"),
        ),
    );
    server.set("/steady/", Reply::html(grid_page(&more)));
    let run = project.run(&["run", "--once"]);

    run.expect_code(1);
    let failed = run.summary("flaky");
    assert!(failed.contains("FAILED"), "{run}");
    assert!(
        failed.contains(&server.url("/flaky/")),
        "the FAILED line names the URL\n{run}"
    );
    assert!(
        failed.contains(expected),
        "the FAILED line says `{expected}`\n{run}"
    );
    let after: Vec<_> = ["flaky.xml", "flaky.atom"]
        .iter()
        .map(|f| snapshot(&project.output(f)))
        .collect();
    assert!(
        before == after,
        "the failed feed's files are byte-identical and keep their mtime"
    );

    assert!(
        run.summary("steady").contains(" ok "),
        "the healthy feed still succeeds\n{run}"
    );
    assert!(run.summary("steady").contains("1 new"), "{run}");
    assert_ne!(
        snapshot(&project.output("steady.xml")),
        steady_before,
        "the healthy feed is rewritten"
    );
    assert_eq!(project.feed("steady.xml").entries.len(), 4);
}

#[test]
fn a_server_error_keeps_the_last_good_files() {
    previous_files_survive(Reply::error(500), "HTTP 500");
}

#[test]
fn a_page_with_no_matching_cards_keeps_the_last_good_files() {
    previous_files_survive(
        Reply::html(redesigned_page(&stories())),
        "no cards match `article.story-card`",
    );
}

#[test]
fn a_server_that_never_answers_keeps_the_last_good_files() {
    // The delay outlasts `timeout: 2s`; the test waits for the client's timeout only.
    previous_files_survive(
        Reply::html(grid_page(&stories())).delay(Duration::from_secs(30)),
        "timed out",
    );
}

/// A feed whose page has shown twelve stories (after one good run).
fn twelve_story_feed() -> (TestServer, Project, Vec<Card>) {
    let many: Vec<Card> = (0..12)
        .map(|i| {
            Card::new(
                &format!("story-{i}"),
                &format!("Harbour story {i}"),
                Some("2024-11-20T10:00:00Z"),
            )
        })
        .collect();
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&many)));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  retries: 0\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    (server, project, many)
}

#[test]
fn far_fewer_cards_than_usual_keeps_the_last_good_feed_until_it_persists() {
    let (server, project, many) = twelve_story_feed();
    let before = aged_snapshot(&project.output("harbour.xml"));

    // A half-broken page: 2 cards where there were 12.
    server.set("/news/", Reply::html(grid_page(&many[..2])));
    for _ in 0..3 {
        let run = project.run(&["run", "--once"]);
        run.expect_code(1);
        assert!(
            run.summary("harbour")
                .contains("only 2 cards on the page where there were 12"),
            "{run}"
        );
        assert_eq!(
            snapshot(&project.output("harbour.xml")),
            before,
            "the last good feed stays"
        );
    }
    // Three failures in a row: the smaller page is the page now, and is accepted (the
    // feed still shows all twelve stories: they stay in its history).
    let accepted = project.run(&["run", "--once"]);
    accepted.expect_code(0);
    let (_, status) = status_json(&project);
    let row = feed_row(&status, "harbour");
    assert_eq!(row["cards_last_time"], 2, "{row:#}");
    assert_eq!(row["consecutive_failures"], 0, "{row:#}");
    assert_eq!(project.feed("harbour.xml").entries.len(), 12);
}

#[test]
fn an_outage_does_not_make_a_broken_page_acceptable() {
    let (server, project, many) = twelve_story_feed();
    let before = aged_snapshot(&project.output("harbour.xml"));

    // Three failures of another kind: the site is down.
    server.set("/news/", Reply::error(500));
    for _ in 0..3 {
        project.run(&["run", "--once"]).expect_code(1);
    }
    // It comes back half-broken. Only runs that saw such a page count towards
    // accepting it; an outage in between neither counts nor breaks the run.
    server.set("/news/", Reply::html(grid_page(&many[..2])));
    for (runs, outage) in [(1, false), (2, true), (3, false)] {
        let run = project.run(&["run", "--once"]);
        run.expect_code(1);
        assert!(
            run.summary("harbour")
                .contains(&format!("such pages in a row: {runs}")),
            "{run}"
        );
        if outage {
            server.set("/news/", Reply::error(503));
            project.run(&["run", "--once"]).expect_code(1);
            server.set("/news/", Reply::html(grid_page(&many[..2])));
        }
    }
    assert_eq!(
        snapshot(&project.output("harbour.xml")),
        before,
        "the last good feed stays"
    );
    project.run(&["run", "--once"]).expect_code(0);
    let (_, status) = status_json(&project);
    assert_eq!(
        feed_row(&status, "harbour")["cards_last_time"],
        2,
        "{status:#}"
    );
}
