//! The daemon (`scrapefeed run`): it picks up edits of feeds.yaml without a restart,
//! keeps the old configuration running when the new one is broken, stops cleanly on
//! SIGTERM (at once on a second one) without partial files, spaces requests to one
//! host, and tells systemd what it is doing.

use std::os::unix::net::UnixDatagram;
use std::time::{Duration, Instant};

use crate::support::daemon::{Daemon, LIMIT, wait_until};
use crate::support::hostile::{SLOW_FIELDS, slow_page};
use crate::support::project::Snapshot;
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, snapshot};

fn feed_entry(name: &str, url: &str, schedule: &str) -> String {
    format!("  {name}:\n    url: {url}\n    schedule: \"{schedule}\"\n{GRID_FEED_FIELDS}")
}

fn config(feeds: &[String]) -> String {
    format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\nfeeds:\n{}",
        feeds.concat()
    )
}

/// A project with one hourly feed, `alpha`, reading `/a/` on `server`.
fn alpha_project(server: &TestServer) -> Project {
    server.set("/a/", Reply::html(one_story("alpha", "Alpha story")));
    Project::new(&config(&[feed_entry(
        "alpha",
        &server.url("/a/"),
        "@hourly",
    )]))
}

fn one_story(slug: &str, title: &str) -> String {
    grid_page(&[Card::new(slug, title, Some("2025-02-03T04:05:06Z"))])
}

/// The file from before the daemon ran is byte-for-byte intact, and no temporary
/// file is left beside it.
fn assert_old_file_whole(project: &Project, before: &Snapshot) {
    assert_eq!(
        &snapshot(&project.output("alpha.xml")),
        before,
        "the old file is intact"
    );
    let temp = temp_files(project);
    assert!(temp.is_empty(), "no temporary files: {temp:?}");
}

fn temp_files(project: &Project) -> Vec<String> {
    project
        .output_files()
        .into_iter()
        .filter(|f| f.contains(".scrapefeed-tmp"))
        .collect()
}

#[test]
fn a_feed_added_to_feeds_yaml_appears_without_a_restart() {
    let server = TestServer::start();
    server.set("/a/", Reply::html(one_story("alpha", "Alpha story")));
    server.set("/b/", Reply::html(one_story("beta", "Beta story")));
    let project = Project::new(&config(&[feed_entry(
        "alpha",
        &server.url("/a/"),
        "@hourly",
    )]));
    let mut daemon = Daemon::start(&project);
    wait_until(
        "alpha's feed",
        || project.output("alpha.xml").exists(),
        || daemon.log(),
    );

    project.write_config(&config(&[
        feed_entry("alpha", &server.url("/a/"), "@hourly"),
        feed_entry("beta", &server.url("/b/"), "@hourly"),
    ]));
    wait_until(
        "beta's feed",
        || project.output("beta.atom").exists(),
        || daemon.log(),
    );
    daemon.assert_running();
    daemon.wait_log("1 added (beta), 0 removed, 0 changed, 1 unchanged");
    let beta = project.feed("beta.xml");
    assert_eq!(
        beta.entries[0].title.as_ref().unwrap().content,
        "Beta story"
    );
    assert_eq!(
        server.requests_to("/a/").len(),
        1,
        "alpha was not refreshed again by the reload"
    );

    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
}

#[test]
fn a_broken_feeds_yaml_is_reported_and_the_old_feeds_keep_updating() {
    let server = TestServer::start();
    server.set("/a/", Reply::html(one_story("first", "First story")));
    // Every second, so the running configuration is seen at work after the bad edit.
    let good = config(&[feed_entry("alpha", &server.url("/a/"), "* * * * * *")]);
    let project = Project::new(&good);
    let daemon = Daemon::start(&project);
    wait_until(
        "the first feed",
        || project.output("alpha.xml").exists(),
        || daemon.log(),
    );

    project.write_config(&format!("{good}    itmes: oops\n"));
    daemon.wait_log("still running the previous configuration");
    let log = daemon.log();
    assert!(
        log.contains("feeds.yaml:") && log.contains("unknown key `itmes`"),
        "{log}"
    );

    server.set(
        "/a/",
        Reply::html(grid_page(&[
            Card::new("second", "Second story", Some("2025-02-04T04:05:06Z")),
            Card::new("first", "First story", Some("2025-02-03T04:05:06Z")),
        ])),
    );
    wait_until(
        "the old configuration to pick up the new story",
        || {
            std::fs::read_to_string(project.output("alpha.xml"))
                .is_ok_and(|x| x.contains("Second story"))
        },
        || daemon.log(),
    );
    daemon.signal("TERM");
    assert_eq!(daemon.wait_exit().0, 0);
}

/// A project with good files from one run, and a daemon caught in a fetch that takes
/// `delay`.
fn daemon_in_a_slow_fetch(delay: Duration) -> (TestServer, Project, Snapshot, Daemon) {
    let server = TestServer::start();
    let page = one_story("calm", "A calm story");
    server.set("/a/", Reply::html(page.clone()));
    let project = Project::new(&config(&[feed_entry(
        "alpha",
        &server.url("/a/"),
        "@hourly",
    )]));
    project.run(&["run", "--once"]).expect_code(0);
    let before = snapshot(&project.output("alpha.xml"));
    server.set("/a/", Reply::html(page).delay(delay));
    let daemon = Daemon::start(&project);
    assert!(
        server.wait_for_requests("/a/", 2, LIMIT),
        "the daemon fetches"
    );
    (server, project, before, daemon)
}

#[test]
fn sigterm_during_a_slow_fetch_exits_0_leaving_the_old_files_whole() {
    let (_server, project, before, daemon) = daemon_in_a_slow_fetch(Duration::from_secs(2));
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("waiting up to"),
        "the refresh in flight was waited for\n{log}"
    );
    assert_old_file_whole(&project, &before);
}

#[test]
fn a_second_signal_exits_at_once_without_partial_files() {
    let (_server, project, before, daemon) = daemon_in_a_slow_fetch(Duration::from_secs(60));
    daemon.signal("TERM");
    daemon.wait_log("waiting up to");
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("second stop signal"), "{log}");
    assert_old_file_whole(&project, &before);
}

#[test]
fn sigterm_during_a_slow_parse_exits_within_the_grace_period() {
    let server = TestServer::start();
    server.set("/a/", Reply::html(one_story("calm", "A calm story")));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  grace_period: 5s\nfeeds:\n  alpha:\n    url: {}\n    schedule: \"@hourly\"\n{SLOW_FIELDS}",
        server.url("/a/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let before = snapshot(&project.output("alpha.xml"));
    server.set("/a/", Reply::html(slow_page()));
    let daemon = Daemon::start(&project);
    assert!(
        server.wait_for_requests("/a/", 2, LIMIT),
        "the daemon fetches"
    );
    std::thread::sleep(Duration::from_millis(500));
    let signalled = Instant::now();
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    let took = signalled.elapsed();
    assert_eq!(code, 0, "{log}");
    assert!(
        log.contains("grace period over: abandoning 1 refresh(es)"),
        "the parse outlasted the grace period\n{log}"
    );
    assert!(
        took < Duration::from_millis(6_500),
        "exited {took:?} after SIGTERM, with a grace period of 5s\n{log}"
    );
    assert!(
        !log.contains("refresh failed"),
        "abandoning is no failure\n{log}"
    );
    assert_old_file_whole(&project, &before);
}

#[test]
fn requests_to_one_host_are_spaced_by_host_delay() {
    let server = TestServer::start();
    let mut feeds = Vec::new();
    for name in ["one", "two", "three"] {
        let path = format!("/{name}/");
        server.set(
            &path,
            Reply::html(one_story(name, &format!("Story {name}"))),
        );
        feeds.push(feed_entry(name, &server.url(&path), "@hourly"));
    }
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 1s\n  per_host: 1\n  concurrency: 3\nfeeds:\n{}",
        feeds.concat()
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let arrivals: Vec<Instant> = server.requests().iter().map(|r| r.at).collect();
    assert_eq!(arrivals.len(), 3);
    for pair in arrivals.windows(2) {
        let gap = pair[1] - pair[0];
        assert!(
            gap >= Duration::from_millis(950),
            "requests to one host {gap:?} apart (host_delay is 1s)"
        );
    }
}

#[test]
fn systemd_hears_ready_reloading_and_stopping() {
    let server = TestServer::start();
    let project = alpha_project(&server);
    let socket_path = project.root().join("notify.sock");
    let socket = UnixDatagram::bind(&socket_path).expect("bind the notify socket");
    socket.set_read_timeout(Some(LIMIT)).unwrap();
    let daemon = Daemon::start_with(
        &project,
        &[("NOTIFY_SOCKET", socket_path.to_str().unwrap())],
    );
    let next = || {
        let mut buffer = [0u8; 4096];
        let n = socket
            .recv(&mut buffer)
            .unwrap_or_else(|e| panic!("no notification: {e}\n{}", daemon.log()));
        String::from_utf8_lossy(&buffer[..n]).into_owned()
    };
    let ready = next();
    assert!(
        ready.contains("READY=1") && ready.contains("STATUS=1 feeds"),
        "{ready}"
    );
    let mut seen = Vec::new();
    daemon.signal("HUP");
    while !seen.iter().any(|m: &String| m.contains("RELOADING=1")) {
        seen.push(next());
    }
    let reloading = seen.last().unwrap().clone();
    assert!(reloading.contains("MONOTONIC_USEC="), "{reloading}");
    while !next().contains("READY=1") {}
    daemon.signal("TERM");
    while !next().contains("STOPPING=1") {}
    assert_eq!(daemon.wait_exit().0, 0);
}

#[test]
fn under_journald_log_lines_carry_no_timestamp_of_their_own() {
    let server = TestServer::start();
    let project = alpha_project(&server);
    let daemon = Daemon::start_with(&project, &[("JOURNAL_STREAM", "8:12345")]);
    daemon.wait_log("refreshed");
    let log = daemon.log();
    let refreshed = log.lines().find(|l| l.contains("refreshed")).unwrap();
    assert!(
        refreshed.trim_start().starts_with("INFO"),
        "no timestamp before the level: {refreshed:?}"
    );
    for field in [
        "feed=alpha",
        "new=1",
        "total=1",
        "status=200",
        "ms=",
        "next=",
    ] {
        assert!(
            refreshed.contains(field),
            "one line per refresh names {field}: {refreshed:?}"
        );
    }
    daemon.signal("TERM");
    assert_eq!(daemon.wait_exit().0, 0);
}

#[test]
fn refreshes_still_queued_at_shutdown_never_start() {
    let server = TestServer::start();
    for name in ["a", "b"] {
        let reply = Reply::html(one_story(name, &format!("Story {name}")));
        server.set(&format!("/{name}/"), reply.delay(Duration::from_secs(2)));
    }
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\n  per_host: 2\n  concurrency: 1\nfeeds:\n{}{}",
        feed_entry("alpha", &server.url("/a/"), "@hourly"),
        feed_entry("beta", &server.url("/b/"), "@hourly"),
    ));
    let daemon = Daemon::start(&project);
    // With one refresh at a time, one feed is fetched and the other waits for the slot.
    wait_until(
        "the first fetch",
        || !server.requests().is_empty(),
        || daemon.log(),
    );
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
    let requests = server.requests();
    assert_eq!(requests.len(), 1, "the queued refresh never started\n{log}");
    let finished = if requests[0].path == "/a/" {
        "alpha.xml"
    } else {
        "beta.xml"
    };
    assert!(
        project.output(finished).exists(),
        "the refresh in flight finished\n{log}"
    );
}
