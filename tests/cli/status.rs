//! `status` and `status --json`: each feed's health and how its cards are found, read
//! from the store without changing anything — from any folder, with the same
//! feeds.yaml — the store's size, and the next runs only while a daemon is there to
//! make them.

use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::support::daemon::{Daemon, wait_until};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, feed_row, finish, grid_page,
    harbour_stories, status_json,
};

fn three_stories() -> String {
    grid_page(&harbour_stories())
}

/// Every file under `dir`, relative, sorted (an absent folder has none).
fn tree(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        let Ok(entries) = fs::read_dir(&next) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            found.push(
                path.strip_prefix(dir)
                    .expect("under dir")
                    .display()
                    .to_string(),
            );
        }
    }
    found.sort();
    found
}

#[test]
fn status_reports_successes_and_failures() {
    let server = TestServer::start();
    server.set("/good/", Reply::html(three_stories()));
    server.set("/bad/", Reply::html(three_stories()));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  retries: 0\nfeeds:\n  good:\n    url: {}\n{GRID_FEED_FIELDS}  bad:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/good/"),
        server.url("/bad/"),
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let (run, report) = status_json(&project);
    run.expect_code(0);
    for feed in ["good", "bad"] {
        let row = feed_row(&report, feed);
        assert_eq!(row["consecutive_failures"], 0, "{row:#}");
        assert_eq!(row["last_error"], Value::Null, "{row:#}");
        assert_eq!(row["items_stored"], 3, "{row:#}");
        assert_eq!(
            row["cards_from"], "selector `article.story-card`",
            "{row:#}"
        );
    }
    assert_eq!(report["store"]["items"], 6, "{report:#}");

    server.set("/bad/", Reply::error(503));
    project.run(&["run", "--once"]).expect_code(1);
    project.run(&["run", "--once"]).expect_code(1);
    let (run, report) = status_json(&project);
    run.expect_code(1);
    let good = feed_row(&report, "good");
    assert_eq!(good["consecutive_failures"], 0, "{good:#}");
    assert_eq!(good["last_error"], Value::Null, "{good:#}");
    assert_eq!(good["items_stored"], 3, "{good:#}");
    let bad = feed_row(&report, "bad");
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
        line("good").contains("selector `article.story-card`"),
        "the table says how the cards are found\n{table}"
    );
    assert!(
        line("bad").contains("FAILING") && line("bad").contains("HTTP 503"),
        "{table}"
    );
}

#[test]
fn status_from_another_folder_reads_the_same_store_and_creates_nothing() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(three_stories()));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let before = tree(project.root());
    let elsewhere = tempfile::tempdir().expect("temp dir");

    for args in [
        &["status"][..],
        &["status", "--json"],
        &["preview", "harbour"],
        &["check"],
    ] {
        let mut command = project.command(args);
        command.current_dir(elsewhere.path());
        let run = finish(command.spawn().expect("start scrapefeed"), args);
        run.expect_code(0);
        if args[0] == "status" {
            assert!(
                run.stdout.contains("harbour") && !run.stdout.contains("never"),
                "the daemon's store is found from another folder\n{run}"
            );
        }
        assert_eq!(
            tree(elsewhere.path()),
            Vec::<String>::new(),
            "`{}` created nothing in the folder it ran in",
            args.join(" ")
        );
        assert_eq!(
            tree(project.root()),
            before,
            "`{}` created nothing beside the store (no -wal or -shm either)",
            args.join(" ")
        );
    }
}

#[test]
fn a_missing_store_is_named_and_not_created() {
    let project = Project::new(
        "feeds:\n  harbour:\n    url: https://harbour.example/news/\n    items: article\n",
    );
    let run = project.run(&["status"]);
    run.expect_code(1);
    let store = project.state_dir().join("scrapefeed.sqlite");
    assert!(
        run.stderr
            .contains(&format!("no store at {}", store.display())),
        "names the path it looked for\n{run}"
    );
    assert!(
        run.stderr.contains("state_dir"),
        "says what decides it\n{run}"
    );
    assert_eq!(tree(project.root()), ["feeds.yaml"], "nothing was created");
}

#[test]
fn next_runs_are_shown_only_while_a_daemon_runs_them() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(three_stories()));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n    schedule: '@hourly'\n{GRID_FEED_FIELDS}",
        server.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let (_, report) = status_json(&project);
    assert_eq!(report["runner"], Value::Null, "{report:#}");
    assert_eq!(
        feed_row(&report, "harbour")["next_run"],
        Value::Null,
        "no daemon, no next run\n{report:#}"
    );
    let table = project.run(&["status"]);
    assert!(table.stdout.contains("no daemon running"), "{table}");
    let sqlite = project.state_dir().join("scrapefeed.sqlite");
    let bytes = report["store"]["bytes"].as_u64().expect("store size");
    assert!(
        bytes >= fs::metadata(&sqlite).expect("store file").len(),
        "the store's size counts its file: {report:#}"
    );
    assert!(
        table.stdout.contains(&sqlite.display().to_string()),
        "{table}"
    );

    let mut daemon = Daemon::start(&project);
    wait_until(
        "the daemon's first refresh",
        || server.requests_to("/news/").len() >= 2,
        || daemon.log(),
    );
    let (_, report) = status_json(&project);
    daemon.assert_running();
    assert_eq!(report["runner"]["mode"], "daemon", "{report:#}");
    let next: DateTime<Utc> = feed_row(&report, "harbour")["next_run"]
        .as_str()
        .unwrap_or_else(|| panic!("a next run while the daemon runs: {report:#}"))
        .parse()
        .expect("an RFC 3339 time");
    let now = Utc::now();
    assert!(
        next > now && next <= now + chrono::Duration::minutes(66),
        "hourly, plus at most six minutes of jitter: {next}"
    );
    let table = project.run(&["status"]);
    assert!(
        table
            .stdout
            .contains(&next.format("%Y-%m-%d %H:%M").to_string()),
        "{table}"
    );
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
}

#[test]
fn a_feed_failing_longer_than_stale_after_is_stale() {
    let server = TestServer::start();
    server.set("/down/", Reply::error(500));
    let project = Project::new(&format!(
        "settings:\n  host_delay: 0s\n  retries: 0\nfeeds:\n  down:\n    url: {}\n    stale_after: 4s\n{GRID_FEED_FIELDS}  patient:\n    url: {}\n    stale_after: 2d\n{GRID_FEED_FIELDS}",
        server.url("/down/"),
        server.url("/down/"),
    ));
    project.run(&["run", "--once"]).expect_code(1);
    let first = row_of(&project, "down");
    assert_eq!(first["health"]["state"], "failing", "{first:#}");
    let since = first["health"]["since"].clone();

    // Past `stale_after` (counted from the first failure: it never succeeded).
    // (Four seconds, so a busy machine cannot make the first check stale already:
    // the store keeps whole seconds.)
    std::thread::sleep(std::time::Duration::from_millis(5100));
    // Turning stale is said once: exit status 4 and one line, this run only.
    let turned = project.run(&["run", "--once"]);
    turned.expect_code(4);
    assert_eq!(
        turned.stderr.matches("is now STALE").count(),
        1,
        "only `down` turned stale\n{turned}"
    );
    assert!(
        turned.stderr.contains("feed `down` is now STALE"),
        "{turned}"
    );
    let again = project.run(&["run", "--once"]);
    again.expect_code(1);
    assert!(!again.stderr.contains("STALE"), "not told twice\n{again}");
    let down = row_of(&project, "down");
    assert_eq!(down["health"]["state"], "stale", "{down:#}");
    assert_eq!(down["health"]["failures"], 3, "{down:#}");
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
    feed_row(&status_json(project).1, feed).clone()
}
