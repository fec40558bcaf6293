//! A real feed reader, Debian's newsboat, subscribed over HTTP to the served RSS and
//! Atom files: every item arrives with its title, link and page date (read back from
//! newsboat's own cache database), and newsboat's next visit revalidates with the
//! ETag it stored and gets a 304.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::daemon::Daemon;
use crate::support::tools::{self, finish_within};
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

/// Stories with their page dates, in page order.
fn stories() -> Vec<Card> {
    vec![
        Card::new(
            "tide-gauge",
            "New tide gauge at the pier",
            Some("2024-11-20T10:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse open this weekend",
            Some("2024-11-19T08:30:00+01:00"),
        ),
        Card::new(
            "ferry",
            "Ferry timetable changes",
            Some("2024-11-18T17:45:00Z"),
        ),
        Card::new("regatta", "Regatta results", Some("2024-10-02T12:00:00Z")),
    ]
}

/// Runs `newsboat -x reload` for the subscriptions `urls`, with its own home, config
/// and cache in `dir`.
fn reload(newsboat: &Path, dir: &Path, urls: &[String]) {
    std::fs::write(dir.join("urls"), urls.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("config"), "").unwrap();
    let child = Command::new(newsboat)
        .arg("--url-file")
        .arg(dir.join("urls"))
        .arg("--cache-file")
        .arg(dir.join("cache.db"))
        .arg("--config-file")
        .arg(dir.join("config"))
        .args(["--execute", "reload"])
        .env("HOME", dir)
        .env("XDG_CONFIG_HOME", dir)
        .env("XDG_DATA_HOME", dir)
        .env_remove("http_proxy")
        .env_remove("HTTP_PROXY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start newsboat");
    let output = finish_within(child, Duration::from_secs(60), "newsboat");
    assert!(
        output.status.success(),
        "newsboat failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// (title, link, pubDate) of every item newsboat has for `feed_url`, oldest first.
fn cached_items(dir: &Path, feed_url: &str) -> Vec<(String, String, i64)> {
    let cache = rusqlite::Connection::open(dir.join("cache.db")).expect("newsboat's cache");
    let mut stmt = cache
        .prepare("SELECT title, url, pubDate FROM rss_item WHERE feedurl = ?1 ORDER BY pubDate")
        .unwrap();
    stmt.query_map([feed_url], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn stored_etag(dir: &Path, feed_url: &str) -> String {
    let cache = rusqlite::Connection::open(dir.join("cache.db")).expect("newsboat's cache");
    cache
        .query_row(
            "SELECT etag FROM rss_feed WHERE rssurl = ?1",
            [feed_url],
            |r| r.get(0),
        )
        .expect("the feed in newsboat's cache")
}

/// Every story, with its title and page date, and a link to the story.
#[track_caller]
fn assert_items(cached: &[(String, String, i64)], expected: &[(String, String, i64)], file: &str) {
    let found: Vec<(&str, i64)> = cached.iter().map(|(t, _, d)| (t.as_str(), *d)).collect();
    let wanted: Vec<(&str, i64)> = expected.iter().map(|(t, _, d)| (t.as_str(), *d)).collect();
    assert_eq!(found, wanted, "{file}: titles and page dates in newsboat");
    for ((_, link, _), (_, story, _)) in cached.iter().zip(expected) {
        assert!(
            link.starts_with(story.as_str()),
            "{file}: {link} is not {story}"
        );
    }
}

#[test]
fn newsboat_reads_every_item_with_its_page_date_over_http() {
    let Some(newsboat) = tools::program("newsboat") else {
        return;
    };
    let site = TestServer::start();
    site.set("/news/", Reply::html(grid_page(&stories())));
    let project = Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\nfeeds:\n  harbour:\n    url: {}\n{GRID_FEED_FIELDS}",
        site.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    let server = Daemon::spawn(
        &project,
        &["--log-level", "debug", "serve", "--listen", "127.0.0.1:0"],
        &[],
    );
    let addr: SocketAddr = server.served_at();

    let mut expected: Vec<(String, String, i64)> = stories()
        .iter()
        .map(|card| {
            let date = chrono::DateTime::parse_from_rfc3339(card.date.as_deref().unwrap()).unwrap();
            (card.title.clone(), site.url(&card.path()), date.timestamp())
        })
        .collect();
    expected.sort_by_key(|(_, _, date)| *date);

    // Newsboat treats a guid as unique across feeds, and RSS and Atom carry the same
    // ids: one reader (one cache) per format.
    for file in ["harbour.xml", "harbour.atom"] {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("http://{addr}/{file}");
        reload(&newsboat, dir.path(), std::slice::from_ref(&url));
        assert_items(&cached_items(dir.path(), &url), &expected, file);

        // Later visits revalidate: newsboat keeps the ETag it was sent and gets a 304.
        reload(&newsboat, dir.path(), std::slice::from_ref(&url));
        let etag = stored_etag(dir.path(), &url);
        assert!(
            etag.starts_with('"'),
            "{file}: newsboat stored the ETag, got {etag:?}"
        );
        reload(&newsboat, dir.path(), std::slice::from_ref(&url));
        assert!(
            server.log().contains(&format!("GET /{file} 304")),
            "{file}: no 304 for newsboat\n{}",
            server.log()
        );
        assert_items(&cached_items(dir.path(), &url), &expected, file);
    }
}
