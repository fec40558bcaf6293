//! The index page as a person sees it: served by `run --serve`, opened in headless
//! Chromium (Debian's), every subscribe link followed to a feed that answers 200 with
//! its feed type, and screenshots for a person to look at, desktop and phone sized,
//! left in `target/test-artifacts/`.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use scraper::{Html, Selector};

use crate::support::daemon::{Daemon, wait_until};
use crate::support::http::get;
use crate::support::tools::{self, artifacts, finish_within};
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

/// Chromium as the probe runs it: headless, nothing in the background, a fresh profile.
fn chromium(binary: &Path, profile: &Path, args: &[&str], url: &str) -> Vec<u8> {
    let child = Command::new(binary)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .env("HOME", profile)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let output = finish_within(child, Duration::from_secs(120), "chromium");
    assert!(
        output.status.success(),
        "chromium {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

fn site_with_three_sections(site: &TestServer) -> String {
    let section = |slug: &str, title: &str, day: u32| {
        Card::new(slug, title, Some(&format!("2024-11-{day:02}T09:00:00Z")))
    };
    site.set(
        "/harbour/",
        Reply::html(grid_page(&[
            section("tide-gauge", "New tide gauge installed at the pier", 20),
            section("lighthouse", "Lighthouse open for visits this weekend", 19),
            section("dredging", "Dredging of the inner basin begins", 18),
        ])),
    );
    site.set(
        "/council/",
        Reply::html(grid_page(&[
            section("budget", "Council passes the harbour budget", 21),
            section(
                "ferry-fares",
                "Ferry fares <frozen> for \"another\" year & more",
                17,
            ),
        ])),
    );
    site.set(
        "/weather/",
        Reply::html(grid_page(&[section(
            "storm",
            "Storm warning for the coast",
            22,
        )])),
    );
    let feed = |name: &str, path: &str, title: &str, formats: &str| {
        format!(
            "  {name}:\n    url: {}\n    title: \"{title}\"\n    formats: {formats}\n{GRID_FEED_FIELDS}",
            site.url(path)
        )
    };
    format!(
        "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\n  run_at_start: true\nfeeds:\n{}{}{}",
        feed(
            "harbour",
            "/harbour/",
            "Harbour Ledger — News",
            "[rss, atom, json]"
        ),
        feed("council", "/council/", "Council & Politics", "[rss, atom]"),
        feed("weather", "/weather/", "Coast Weather", "[atom]"),
    )
}

#[test]
fn the_index_page_in_chromium_links_every_feed_and_looks_right() {
    let Some(chromium_binary) = tools::program("chromium") else {
        return;
    };
    let site = TestServer::start();
    let project = Project::new(&site_with_three_sections(&site));
    // One section fails from its second run on: the page shows a failing feed too.
    project.run(&["run", "--once"]).expect_code(0);
    site.set("/weather/", Reply::error(503));
    let daemon = Daemon::spawn(&project, &["run", "--serve", "127.0.0.1:0"], &[]);
    let addr: SocketAddr = daemon.served_at();
    wait_until(
        "the weather feed to fail",
        || daemon.log().contains("refresh failed"),
        || daemon.log(),
    );
    wait_until(
        "the index page to show it",
        || get(addr, "/").text().contains("failing"),
        || get(addr, "/").text(),
    );

    let url = format!("http://{addr}/");
    let profile = tempfile::tempdir().unwrap();
    let dom = chromium(&chromium_binary, profile.path(), &["--dump-dom"], &url);
    let dom = Html::parse_document(&String::from_utf8_lossy(&dom));

    // Every feed is on the page, hostile title escaped as text.
    let text: String = dom.root_element().text().collect();
    for title in [
        "Harbour Ledger — News",
        "Council & Politics",
        "Coast Weather",
    ] {
        assert!(text.contains(title), "{title} is not on the page");
    }

    // Every subscribe link and every autodiscovery link answers with its feed type.
    let links = Selector::parse("a[type][href], link[rel=alternate][href]").unwrap();
    let mut followed = Vec::new();
    for element in dom.select(&links) {
        let href = element.attr("href").unwrap();
        let declared = element.attr("type").unwrap_or_default();
        // Links are relative to the page, or absolute at base_url.
        let path = href
            .strip_prefix("https://feeds.example.org")
            .unwrap_or(href)
            .trim_start_matches("./");
        let path = if path.starts_with('/') {
            path.to_owned()
        } else {
            format!("/{path}")
        };
        let response = get(addr, &path);
        assert_eq!(response.status, 200, "{href} ({path}): {response:?}");
        let served = response.expect_header("content-type");
        assert!(
            served.starts_with(declared) && served.ends_with("charset=utf-8"),
            "{href}: declared {declared}, served {served}"
        );
        followed.push(path);
    }
    for file in [
        "/harbour.xml",
        "/harbour.atom",
        "/harbour.json",
        "/council.xml",
        "/council.atom",
        "/weather.atom",
    ] {
        assert!(
            followed.iter().any(|p| p == file),
            "no link to {file}: {followed:?}"
        );
    }

    // Screenshots, for a person: desktop and phone.
    let out = artifacts();
    for (name, size) in [
        ("index-desktop.png", "1280,1400"),
        ("index-phone.png", "390,1600"),
    ] {
        let path = out.join(name);
        let _ = std::fs::remove_file(&path);
        let screenshot = format!("--screenshot={}", path.display());
        let window = format!("--window-size={size}");
        chromium(
            &chromium_binary,
            profile.path(),
            &[&screenshot, &window],
            &url,
        );
        let png = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
            "{name}"
        );
        eprintln!("screenshot: {}", path.display());
    }
}
