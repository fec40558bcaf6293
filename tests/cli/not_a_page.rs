//! Answers that are not the section page fail as what they are — not an HTML page, a
//! challenge, a login form, next to nothing, a device file — rather than as "no cards
//! match", which would send the user to fix a selector that is fine.

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, Run, TestServer, grid_page};

fn run_one(reply: Reply) -> Run {
    let server = TestServer::start();
    server.set("/news/", reply);
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  news:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"])
}

#[track_caller]
fn assert_fails_with(run: &Run, expected: &str) {
    run.expect_code(1);
    let line = run.summary("news");
    assert!(line.contains(expected), "expected `{expected}`\n{run}");
    assert!(!line.contains("no cards match"), "{run}");
}

#[test]
fn a_pdf_is_not_an_html_page() {
    let run = run_one(Reply::bytes("application/pdf", b"%PDF-1.7\n...".to_vec()));
    assert_fails_with(&run, "not an HTML page (application/pdf)");
}

#[test]
fn an_image_without_a_content_type_is_recognised_by_its_bytes() {
    let run = run_one(Reply::bytes("", b"\x89PNG\r\n\x1a\n....".to_vec()));
    assert_fails_with(&run, "not an HTML page (a PNG image)");
}

#[test]
fn an_existing_feed_is_pointed_out() {
    let run = run_one(Reply::bytes(
        "application/rss+xml",
        b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel></channel></rss>".to_vec(),
    ));
    assert_fails_with(&run, "it is already a feed, subscribe to it directly");
}

#[test]
fn a_challenge_page_is_told_apart_from_a_selector_that_matches_nothing() {
    let challenge = format!(
        "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id=\"cf-chl-widget\"></div><script src=\"/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1\"></script>{}</body></html>",
        "<noscript>Enable JavaScript and cookies to continue</noscript>".repeat(20)
    );
    let run = run_one(Reply::html(&challenge));
    assert_fails_with(&run, "the site answered with a Cloudflare challenge page");
    let forbidden = run_one(Reply {
        status: 403,
        ..Reply::html(&challenge)
    });
    assert_fails_with(
        &forbidden,
        "HTTP 403 Forbidden: the site answered with a Cloudflare challenge page",
    );
}

#[test]
fn a_login_form_and_an_empty_page_are_named() {
    let login = format!(
        "<html><body><h1>Sign in</h1><form method=post><input name=email><input type=password name=pw><button>Sign in</button></form>{}</body></html>",
        "<p>Subscribers read every story.</p>".repeat(20)
    );
    assert_fails_with(&run_one(Reply::html(&login)), "answered with a login form");
    assert_fails_with(
        &run_one(Reply::html("<html><body></body></html>")),
        "the page came back nearly empty (26 bytes)",
    );
}

#[test]
fn a_page_that_changed_its_markup_still_says_no_cards_match() {
    let page = crate::support::redesigned_page(&[Card::new(
        "pier",
        "The pier reopens",
        Some("2025-03-01T10:00:00Z"),
    )]);
    let run = run_one(Reply::html(page));
    run.expect_code(1);
    assert!(run.summary("news").contains("no cards match"), "{run}");
}

#[test]
fn local_pages_are_bounded_and_must_be_regular_files() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.html");
    std::fs::write(&big, grid_page(&[]) + &"<p>filler</p>".repeat(100_000))
        .expect("write a big page");
    let project = Project::new(&format!(
        "settings:\n  max_body: 100KB\nfeeds:\n  zero:\n    url: file:///dev/zero\n{GRID_FEED_FIELDS}  big:\n    url: {}\n{GRID_FEED_FIELDS}",
        url::Url::from_file_path(&big).expect("file URL")
    ));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    assert!(
        run.summary("zero")
            .contains("reading /dev/zero: it is a character device, not a regular file"),
        "{run}"
    );
    assert!(
        run.summary("big")
            .contains("larger than the 100000-byte limit (max_body)"),
        "{run}"
    );
}
