//! Removed feeds leave no litter (issue 10.9): a feed deleted from feeds.yaml, or a
//! format dropped from a feed, has its files deleted at the next pass or reload —
//! only files scrapefeed wrote — and is gone from the index and the OPML list; its
//! history stays, so adding it back restores its ids and dates.

use std::fs;

use crate::support::daemon::{Daemon, wait_until};
use crate::support::feed::ids;
use crate::support::{GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, harbour_stories};

fn entry(name: &str, url: &str, formats: &str) -> String {
    format!("  {name}:\n    url: {url}\n    formats: {formats}\n{GRID_FEED_FIELDS}")
}

fn config(feeds: &[String]) -> String {
    format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\n  timeout: 20s\nfeeds:\n{}",
        feeds.concat()
    )
}

fn feed_files(project: &Project) -> Vec<String> {
    project
        .output_files()
        .into_iter()
        .filter(|f| !f.starts_with('.'))
        .collect()
}

#[test]
fn a_removed_feed_and_a_dropped_format_leave_no_files_and_come_back_intact() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    server.set("/quay/", Reply::html(grid_page(&harbour_stories()[1..])));
    let (news, quay) = (server.url("/news/"), server.url("/quay/"));
    let both = config(&[
        entry("harbour", &news, "[rss, atom]"),
        entry("quay", &quay, "[rss, atom, json]"),
    ]);
    let project = Project::new(&both);
    project.run(&["run", "--once"]).expect_code(0);
    let quay_atom = project.feed("quay.atom");
    // Files that are not scrapefeed's: a user's own, and one named like a feed file
    // of a feed scrapefeed never had.
    fs::write(project.output("notes.txt"), "mine").unwrap();
    fs::write(project.output("mine.xml"), "<rss/>").unwrap();

    project.write_config(&config(&[entry("harbour", &news, "[rss]")]));
    let run = project.run(&["run", "--once"]);
    run.expect_code(0);
    assert_eq!(
        feed_files(&project),
        [
            "feeds.opml",
            "harbour.xml",
            "index.html",
            "mine.xml",
            "notes.txt"
        ],
        "{run}"
    );
    assert!(
        run.stderr.contains("feed `quay` is no longer in")
            && run.stderr.contains("quay.json")
            && run
                .stderr
                .contains("history stays in the store for 30 days"),
        "the removal is logged\n{run}"
    );
    assert!(
        run.stderr
            .contains("feed `harbour` no longer has these formats"),
        "{run}"
    );
    let index = fs::read_to_string(project.output("index.html")).unwrap();
    assert!(!index.contains("quay"), "the index forgets quay");
    let opml = fs::read_to_string(project.output("feeds.opml")).unwrap();
    assert!(!opml.contains("quay"), "so does the OPML list");

    // Back within `keep`: the same ids, with the same dates.
    project.write_config(&both);
    project.run(&["run", "--once"]).expect_code(0);
    let again = project.feed("quay.atom");
    assert_eq!(ids(&again), ids(&quay_atom));
    for (new, old) in again.entries.iter().zip(&quay_atom.entries) {
        assert_eq!(new.published, old.published, "{}", new.id);
    }
}

#[test]
fn a_file_changed_by_hand_is_not_deleted() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let news = server.url("/news/");
    let project = Project::new(&config(&[
        entry("harbour", &news, "[rss]"),
        entry("quay", &news, "[rss, atom]"),
    ]));
    project.run(&["run", "--once"]).expect_code(0);
    fs::write(project.output("quay.atom"), "<feed>my own notes</feed>").unwrap();
    project.write_config(&config(&[entry("harbour", &news, "[rss]")]));
    project.run(&["run", "--once"]).expect_code(0);
    assert!(!project.output("quay.xml").exists());
    assert_eq!(
        fs::read_to_string(project.output("quay.atom")).unwrap(),
        "<feed>my own notes</feed>",
        "not written by scrapefeed: left alone"
    );
}

#[test]
fn the_daemon_removes_a_feed_s_files_when_feeds_yaml_drops_it() {
    let server = TestServer::start();
    server.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let news = server.url("/news/");
    let project = Project::new(&config(&[
        entry("harbour", &news, "[rss, atom]"),
        entry("quay", &news, "[rss, atom]"),
    ]));
    let daemon = Daemon::start(&project);
    wait_until(
        "both feeds and the index",
        || {
            project.output("quay.atom").exists()
                && fs::read_to_string(project.output("index.html"))
                    .is_ok_and(|i| i.matches("<li class=\"feed ok\"").count() == 2)
        },
        || daemon.log(),
    );
    project.write_config(&config(&[entry("harbour", &news, "[rss, atom]")]));
    wait_until(
        "quay's files to go",
        || !project.output("quay.xml").exists() && !project.output("quay.atom").exists(),
        || daemon.log(),
    );
    wait_until(
        "the index to forget quay",
        || fs::read_to_string(project.output("index.html")).is_ok_and(|i| !i.contains("quay")),
        || daemon.log(),
    );
    assert!(project.output("harbour.atom").exists());
    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
    assert!(log.contains("feed `quay` is no longer in"), "{log}");
}
