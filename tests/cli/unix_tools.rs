//! The commands behave like Unix tools: a reader that stops early (`| head -1`) ends
//! the output quietly with the usual exit status; `run NAME` without `--once` is
//! refused with the command to use instead; `--log-level` sets scrapefeed's own
//! verbosity (never another crate's debug output) unless `RUST_LOG` says otherwise,
//! and an unknown level is an error; a refresh's time and its time in the queue are
//! reported apart.

use crate::support::daemon::Daemon;
use crate::support::{
    GRID_FEED_FIELDS, Project, Reply, TestServer, finish, grid_page, harbour_stories,
};

fn stories() -> String {
    grid_page(&harbour_stories()[..2])
}

fn harbour(server: &TestServer) -> Project {
    server.set("/news/", Reply::html(stories()));
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ))
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let server = TestServer::start();
    let project = harbour(&server);
    project.run(&["run", "--once"]).expect_code(0);
    for (args, code) in [
        (&["status", "--json"][..], 0),
        (&["status"], 0),
        (&["check"], 0),
        (&["preview", "harbour", "--json"], 0),
        (&["run", "--once"], 0),
    ] {
        let mut command = project.command(args);
        command.env("RUST_BACKTRACE", "1");
        let mut child = command.spawn().expect("start scrapefeed");
        // The reading end is closed before anything is written: every write fails
        // with a broken pipe, as after `| head -1` has what it wants.
        drop(child.stdout.take());
        let run = finish_without_stdout(child, args);
        assert_eq!(
            run.1,
            Some(code),
            "{}: exit status\n{}",
            args.join(" "),
            run.0
        );
        assert!(
            run.0.is_empty(),
            "`{}` says nothing about the closed pipe:\n{}",
            args.join(" "),
            run.0
        );
    }
}

/// Waits for a child whose stdout is already closed; its stderr and exit code.
fn finish_without_stdout(mut child: std::process::Child, args: &[&str]) -> (String, Option<i32>) {
    use std::io::Read;
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut stderr)
        .expect("read stderr");
    let status = child
        .wait()
        .unwrap_or_else(|e| panic!("{}: {e}", args.join(" ")));
    (stderr, status.code())
}

#[test]
fn run_with_feed_names_needs_once() {
    let server = TestServer::start();
    let project = harbour(&server);
    let run = project.run(&["run", "harbour"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("scrapefeed run --once harbour"),
        "says what to run instead\n{run}"
    );
    assert!(server.requests().is_empty(), "nothing was fetched");
    assert!(!project.state_dir().exists(), "no store was made");
}

#[test]
fn log_levels_are_scrapefeeds_own_unless_rust_log_says_otherwise() {
    let server = TestServer::start();
    let project = harbour(&server);
    let debug = project.run(&["--log-level", "debug", "preview", "harbour"]);
    debug.expect_code(0);
    assert!(
        debug.stderr.contains("DEBUG") && debug.stderr.contains("fetching"),
        "scrapefeed's debug messages appear\n{debug}"
    );
    assert!(
        !debug.stderr.contains("insertion mode"),
        "the HTML parser's debug output does not\n{debug}"
    );
    assert!(debug.stderr.lines().count() < 20, "{debug}");

    let mut command = project.command(&["preview", "harbour"]);
    command.env("RUST_LOG", "debug");
    let everything = finish(command.spawn().expect("start"), &["preview", "harbour"]);
    everything.expect_code(0);
    assert!(
        everything.stderr.contains("insertion mode"),
        "RUST_LOG=debug means every crate's debug output\n{}",
        everything
            .stderr
            .lines()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    );

    let unknown = project.run(&["--log-level", "loud", "check"]);
    unknown.expect_code(2);
    assert!(
        unknown.stderr.contains("loud") && unknown.stderr.contains("debug"),
        "names the value and the ones there are\n{unknown}"
    );
}

#[test]
fn time_in_the_queue_is_reported_apart_from_the_refresh() {
    let server = TestServer::start();
    server.set("/a/", Reply::error(500));
    server.set("/b/", Reply::error(500));
    // One host, two seconds between requests: the second feed waits its turn (one
    // request each: no retries).
    let project = Project::new(&format!(
        "settings:\n  host_delay: 2s\n  retries: 0\nfeeds:\n  alpha:\n    url: {}\n{GRID_FEED_FIELDS}  beta:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/a/"),
        server.url("/b/")
    ));
    let run = project.run(&["run", "--once"]);
    run.expect_code(1);
    let queued: Vec<&str> = ["alpha", "beta"]
        .iter()
        .map(|f| run.summary(f))
        .filter(|line| line.contains("in the queue"))
        .collect();
    assert_eq!(queued.len(), 1, "the feed that waited says so\n{run}");
    let seconds = |line: &str, what: &str| -> f64 {
        let at = line.rfind('(').expect("timing in parentheses");
        let text = &line[at + 1..];
        let part = if what == "queue" {
            text.split("after ").nth(1).expect("after …")
        } else {
            text
        };
        part.split('s').next().unwrap().parse().expect("seconds")
    };
    assert!(seconds(queued[0], "queue") >= 1.5, "{run}");
    assert!(seconds(queued[0], "refresh") < 1.5, "{run}");

    // The daemon's log line gives them apart too.
    let daemon = Daemon::start(&project);
    daemon.wait_log("queued_ms");
    crate::support::daemon::wait_until(
        "both refreshes",
        || daemon.log().matches("refresh failed").count() >= 2,
        || daemon.log(),
    );
    let log = daemon.log();
    let waited = log
        .lines()
        .filter(|l| l.contains("refresh failed"))
        .filter_map(|l| field(l, "queued_ms"))
        .max()
        .expect("queued_ms on the failure lines");
    assert!(waited >= 1500, "{log}");
    let took = log
        .lines()
        .filter(|l| l.contains("refresh failed"))
        .filter_map(|l| field(l, "ms"))
        .max()
        .expect("ms on the failure lines");
    assert!(took < 1500, "the refresh itself was quick\n{log}");
}

/// A `name=value` number in a log line.
fn field(line: &str, name: &str) -> Option<u64> {
    line.split_whitespace()
        .find_map(|word| word.strip_prefix(&format!("{name}=")))
        .and_then(|v| v.parse().ok())
}
