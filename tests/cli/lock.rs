//! One runner per store: while a `run --once` works, a second one on the same state
//! directory exits 3 at once, naming the lock file and the process holding it — even
//! when someone deleted the lock file — and the read-only commands `check` and
//! `status` keep working beside it.

use std::time::Duration;

use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, finish, grid_page};

#[test]
fn a_second_runner_on_the_same_store_exits_3_while_check_and_status_work() {
    let server = TestServer::start();
    let page = grid_page(&[Card::new(
        "tide-gauge",
        "New tide gauge installed at the pier",
        Some("2024-11-20T10:00:00Z"),
    )]);
    server.set("/news/", Reply::html(page.clone()));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);

    server.set("/news/", Reply::html(page).delay(Duration::from_secs(6)));
    let mut first = project.spawn(&["run", "--once"]);
    let first_pid = first.id();
    // The lock is taken before the fetch, so once the request arrives it is held.
    assert!(
        server.wait_for_requests("/news/", 2, Duration::from_secs(60)),
        "the first runner fetches"
    );

    let second = project.run(&["run", "--once"]);
    second.expect_code(3);
    // Cleaning up a "stale" lock file must not let a second runner in: the lock is on
    // the state directory itself.
    std::fs::remove_file(project.state_dir().join("scrapefeed.lock"))
        .expect("delete the lock file");
    let third = project.run(&["run", "--once"]);
    third.expect_code(3);
    assert!(
        third.stderr.contains("already running on this store"),
        "{third}"
    );
    // `state_dir` is the default `state`, relative to the project: the message may show
    // it relative or absolute.
    assert!(
        second.stderr.contains("state/scrapefeed.lock"),
        "names the lock file\n{second}"
    );
    assert!(
        second.stderr.contains(&first_pid.to_string()),
        "names the process holding it ({first_pid})\n{second}"
    );
    assert!(
        first.try_wait().expect("first runner").is_none(),
        "the second runner gave up while the first still runs"
    );

    let check = project.run(&["check"]);
    check.expect_code(0);
    let status = project.run(&["status"]);
    status.expect_code(0);
    assert!(status.stdout.contains("harbour"), "{status}");

    finish(first, &["run", "--once"]).expect_code(0);
    assert_eq!(
        server.requests_to("/news/").len(),
        2,
        "the refused runner fetched nothing"
    );
}
