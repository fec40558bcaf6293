//! Conditional GET: the stored ETag is sent back as If-None-Match, a 304 means "not
//! modified" and nothing is rewritten; a change to how the feed reads its page drops
//! the validators, so the next request is unconditional.

use crate::support::{Card, Project, Reply, TestServer, aged_snapshot, grid_page, snapshot};

fn config(url: &str, items: &str) -> String {
    format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {url}\n    items: {items}\n    fields:\n      title: h3\n"
    )
}

#[test]
fn an_unchanged_page_is_not_downloaded_again() {
    let server = TestServer::start();
    let page = Reply::html(grid_page(&[
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
    ]))
    .with_etag();
    let etag = page.etag_value();
    server.set("/news/", page);
    let project = Project::new(&config(&server.url("/news/"), "article.story-card"));

    project.run(&["run", "--once"]).expect_code(0);
    let first = &server.requests_to("/news/")[0];
    assert_eq!(first.method, "GET");
    assert_eq!(
        first.header("If-None-Match"),
        None,
        "the first request is unconditional"
    );
    let files = [
        project.output("harbour.xml"),
        project.output("harbour.atom"),
    ];
    let before: Vec<_> = files.iter().map(|f| aged_snapshot(f)).collect();

    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    let second = &server.requests_to("/news/")[1];
    assert_eq!(
        second.header("If-None-Match"),
        Some(etag.as_str()),
        "the stored ETag is sent back"
    );
    assert!(run.summary("harbour").contains("not modified"), "{run}");
    let after: Vec<_> = files.iter().map(|f| snapshot(f)).collect();
    assert!(before == after, "a 304 rewrites nothing");

    // Reading the page differently must not trust a 304 for the old reading.
    project.write_config(&config(&server.url("/news/"), "main article.story-card"));
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(!run.summary("harbour").contains("not modified"), "{run}");
    let third = &server.requests_to("/news/")[2];
    assert_eq!(
        third.header("If-None-Match"),
        None,
        "a changed `items` makes the request unconditional"
    );

    // The validators of that full response are used again on the next run.
    let run = project.run(&["run", "--once"]);
    assert!(
        run.expect_code(0)
            .summary("harbour")
            .contains("not modified"),
        "{run}"
    );
    assert_eq!(
        server.requests_to("/news/")[3].header("If-None-Match"),
        Some(etag.as_str())
    );
}

#[test]
fn last_modified_is_sent_back_as_if_modified_since() {
    let server = TestServer::start();
    let stamp = "Wed, 20 Nov 2024 10:00:00 GMT";
    let page = grid_page(&[Card::new(
        "tide-gauge",
        "New tide gauge installed at the pier",
        Some("2024-11-20T10:00:00Z"),
    )]);
    // This server ignores the condition and sends the page again, as servers may.
    server.set("/news/", Reply::html(page).header("Last-Modified", stamp));
    let project = Project::new(&config(&server.url("/news/"), "article.story-card"));

    project.run(&["run", "--once"]).expect_code(0);
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert!(run.summary("harbour").contains("unchanged"), "{run}");
    let requests = server.requests_to("/news/");
    assert_eq!(requests[0].header("If-Modified-Since"), None);
    assert_eq!(requests[1].header("If-Modified-Since"), Some(stamp));
}

#[test]
fn a_changed_title_is_not_hidden_by_a_304() {
    let server = TestServer::start();
    let page = Reply::html(grid_page(&[
        Card::new("tide-gauge", "New tide gauge installed at the pier", None),
        Card::new(
            "lighthouse",
            "Lighthouse open for visits this weekend",
            None,
        ),
    ]))
    .with_etag();
    server.set("/news/", page);
    let url = server.url("/news/");
    let project = Project::new(&config(&url, "article.story-card"));
    project.run(&["run", "--once"]).expect_code(0);

    // The page is unchanged (the server would answer 304), the configuration is not.
    project.write_config(&format!(
        "{}    title: Harbour Ledger\n",
        config(&url, "article.story-card")
    ));
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert_eq!(
        server.requests_to("/news/")[1].header("If-None-Match"),
        None,
        "a changed title makes the request unconditional\n{run}"
    );
    let feed = project.feed("harbour.atom");
    assert_eq!(
        feed.title.map(|t| t.content).as_deref(),
        Some("Harbour Ledger")
    );
}
