//! Redirects are followed only where a page or server may send scrapefeed: not in a
//! loop, not to another scheme, and not into the local network (the SSRF guard checks
//! the address a name resolves to, at connect time). The feed's own configured host
//! is trusted; `resolve` pins names to addresses, as curl's `--resolve` does, so these
//! tests can give 127.0.0.1 a public-looking name.

use crate::support::{GRID_FEED_FIELDS, Project, Reply, Run, TestServer, grid_page};

/// A feed at `http://news.example:PORT/start/` (pinned to the test server) and the
/// one run of it after `/start/` answers with `reply`.
fn run_with(server: &TestServer, reply: Reply, extra: &str) -> (Project, Run) {
    server.set("/start/", reply);
    let port = server.port();
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\n  resolve:\n    news.example: 127.0.0.1\n    intranet.example: 127.0.0.1\nfeeds:\n  news:\n    url: http://news.example:{port}/start/\n{extra}{GRID_FEED_FIELDS}"
    ));
    let run = project.run(&["run", "--once"]);
    (project, run)
}

fn page() -> Reply {
    Reply::html(grid_page(&[crate::support::Card::new(
        "pier",
        "The pier reopens",
        Some("2025-03-01T10:00:00Z"),
    )]))
}

#[test]
fn a_redirect_within_the_feeds_own_host_is_followed() {
    let server = TestServer::start();
    server.set("/moved/", page());
    let location = format!("http://news.example:{}/moved/", server.port());
    let (project, run) = run_with(&server, Reply::redirect(301, &location), "");
    run.expect_code(0);
    assert_eq!(project.feed("news.xml").entries.len(), 1, "{run}");
}

#[test]
fn a_redirect_to_a_loopback_address_is_refused() {
    let server = TestServer::start();
    server.set("/admin/", page());
    let location = format!("http://127.0.0.1:{}/admin/", server.port());
    let (_, run) = run_with(&server, Reply::redirect(302, &location), "");
    run.expect_code(1);
    let line = run.summary("news");
    assert!(
        line.contains("127.0.0.1 is 127.0.0.1, a loopback address: refused")
            && line.contains("allow_private: true"),
        "{run}"
    );
    assert!(server.requests_to("/admin/").is_empty(), "never fetched");
}

#[test]
fn a_public_looking_name_that_resolves_to_loopback_is_refused_at_connect_time() {
    let server = TestServer::start();
    server.set("/admin/", page());
    let location = format!("http://intranet.example:{}/admin/", server.port());
    let (_, run) = run_with(&server, Reply::redirect(302, &location), "");
    run.expect_code(1);
    assert!(
        run.summary("news")
            .contains("intranet.example is 127.0.0.1, a loopback address: refused"),
        "{run}"
    );
    assert!(server.requests_to("/admin/").is_empty(), "never fetched");
}

#[test]
fn allow_private_lets_a_feed_reach_its_local_network() {
    let server = TestServer::start();
    server.set("/admin/", page());
    let location = format!("http://intranet.example:{}/admin/", server.port());
    let (project, run) = run_with(
        &server,
        Reply::redirect(302, &location),
        "    allow_private: true\n",
    );
    run.expect_code(0);
    assert_eq!(project.feed("news.xml").entries.len(), 1, "{run}");
}

#[test]
fn a_redirect_to_a_file_url_is_refused() {
    let server = TestServer::start();
    let (_, run) = run_with(&server, Reply::redirect(302, "file:///etc/passwd"), "");
    run.expect_code(1);
    assert!(
        run.summary("news").contains(
            "redirect to file:///etc/passwd refused: only http and https pages can be fetched"
        ),
        "{run}"
    );
}

#[test]
fn a_redirect_loop_is_named() {
    let server = TestServer::start();
    let port = server.port();
    server.set("/a/", Reply::redirect(302, "/b/"));
    server.set("/b/", Reply::redirect(302, "/a/"));
    let (_, run) = run_with(
        &server,
        Reply::redirect(302, &format!("http://news.example:{port}/a/")),
        "",
    );
    run.expect_code(1);
    assert!(
        run.summary("news").contains(&format!(
            "redirect loop: http://news.example:{port}/a/ → http://news.example:{port}/b/ → http://news.example:{port}/a/"
        )),
        "{run}"
    );
    assert_eq!(server.requests_to("/a/").len(), 1, "not retried");
}
