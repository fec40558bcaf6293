//! `scrapefeed serve`: output_dir over real HTTP, as feed readers and caches use it —
//! the right media types, strong validators and 304s, gzip and brotli with their own
//! ETags, HEAD, 405 for other methods, nothing outside output_dir whatever the path
//! says, and the `base_url` path.

use std::io::Read;
use std::net::SocketAddr;
use std::os::unix::fs::symlink;

use crate::support::daemon::Daemon;
use crate::support::http::{Response, get, request};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, harbour_stories, next_second,
};

/// A project whose feed `harbour` (hourly) has been written once, and a server for it.
fn published(base_url: &str) -> (TestServer, Project) {
    let site = TestServer::start();
    site.set("/news/", Reply::html(grid_page(&harbour_stories())));
    let project = Project::new(&format!(
        "settings:\n  base_url: {base_url}\nfeeds:\n  harbour:\n    url: {}\n    schedule: \"@hourly\"\n{GRID_FEED_FIELDS}",
        site.url("/news/")
    ));
    project.run(&["run", "--once"]).expect_code(0);
    (site, project)
}

fn serve(project: &Project) -> (Daemon, SocketAddr) {
    let server = Daemon::spawn(project, &["serve", "--listen", "127.0.0.1:0"], &[]);
    let addr = server.served_at();
    (server, addr)
}

fn file(project: &Project, name: &str) -> Vec<u8> {
    std::fs::read(project.output(name)).expect("output file")
}

#[track_caller]
fn assert_ok(response: &Response, what: &str) {
    assert_eq!(response.status, 200, "{what}: {response:?}");
}

#[test]
fn feeds_are_served_with_their_types_validators_and_freshness() {
    let (_site, project) = published("https://feeds.example.org/");
    std::fs::write(
        project.output("index.html"),
        "<!doctype html><title>Feeds</title>",
    )
    .unwrap();
    std::fs::write(project.output("feeds.opml"), "<opml version=\"2.0\"/>").unwrap();
    std::fs::write(project.output("harbour.json"), "{}").unwrap();
    let (_server, addr) = serve(&project);

    for (path, media_type) in [
        ("/harbour.xml", "application/rss+xml; charset=utf-8"),
        ("/harbour.atom", "application/atom+xml; charset=utf-8"),
        ("/harbour.json", "application/feed+json; charset=utf-8"),
        ("/feeds.opml", "text/x-opml; charset=utf-8"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/", "text/html; charset=utf-8"),
    ] {
        let response = get(addr, path);
        assert_ok(&response, path);
        assert_eq!(response.expect_header("content-type"), media_type, "{path}");
        let etag = response.expect_header("etag");
        assert!(
            etag.starts_with('"') && etag.ends_with('"'),
            "{path}: a strong ETag, not {etag}"
        );
        response.expect_header("last-modified");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    }
    let rss = get(addr, "/harbour.xml");
    assert_eq!(rss.body, file(&project, "harbour.xml"), "the file as it is");
    let parsed = feed_rs::parser::parse(rss.body.as_slice()).expect("the served RSS parses");
    assert_eq!(parsed.entries.len(), 3);

    // An hourly feed is fresh until its next run has had time to land.
    let max_age: u64 = rss
        .expect_header("cache-control")
        .strip_prefix("public, max-age=")
        .and_then(|n| n.parse().ok())
        .expect("public, max-age=N");
    assert!(
        max_age > 0 && max_age <= 3600 + 20 + 60 + 360,
        "max-age={max_age}"
    );
}

#[test]
fn conditional_requests_get_304_until_the_feed_changes() {
    let (site, project) = published("https://feeds.example.org/");
    let (_server, addr) = serve(&project);

    let first = get(addr, "/harbour.atom");
    assert_ok(&first, "first");
    let etag = first.expect_header("etag").to_owned();
    let modified = first.expect_header("last-modified").to_owned();

    let by_tag = request(addr, "GET", "/harbour.atom", &[("If-None-Match", &etag)]);
    assert_eq!(by_tag.status, 304, "{by_tag:?}");
    assert!(by_tag.body.is_empty());
    assert_eq!(
        by_tag.header("etag"),
        Some(etag.as_str()),
        "a 304 names what is still valid"
    );
    let by_date = request(
        addr,
        "GET",
        "/harbour.atom",
        &[("If-Modified-Since", &modified)],
    );
    assert_eq!(by_date.status, 304, "{by_date:?}");
    let other = request(
        addr,
        "GET",
        "/harbour.atom",
        &[("If-None-Match", "\"something-else\"")],
    );
    assert_ok(&other, "another tag");

    // A new story: the feed is rewritten, the old validators no longer match.
    next_second();
    let mut more = harbour_stories();
    more.insert(
        0,
        Card::new(
            "ferry",
            "Ferry timetable changes",
            Some("2024-11-21T08:00:00Z"),
        ),
    );
    site.set("/news/", Reply::html(grid_page(&more)));
    project.run(&["run", "--once"]).expect_code(0);
    let changed = request(addr, "GET", "/harbour.atom", &[("If-None-Match", &etag)]);
    assert_ok(&changed, "after the change");
    assert_ne!(changed.expect_header("etag"), etag);
    assert!(changed.text().contains("Ferry timetable changes"));
}

fn decompress(coding: &str, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    match coding {
        "gzip" => flate2::read::GzDecoder::new(body).read_to_end(&mut out),
        "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut out),
        other => panic!("unexpected coding {other}"),
    }
    .expect("decompress");
    out
}

#[test]
fn gzip_and_brotli_are_negotiated_each_with_its_own_strong_etag() {
    let (_site, project) = published("https://feeds.example.org/");
    let (_server, addr) = serve(&project);
    let original = file(&project, "harbour.xml");

    let plain = get(addr, "/harbour.xml");
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(
        plain.expect_header("content-length"),
        original.len().to_string()
    );
    let plain_tag = plain.expect_header("etag").to_owned();

    let mut tags = vec![plain_tag.clone()];
    for (accept, coding) in [("gzip", "gzip"), ("br", "br"), ("gzip;q=0.5, br", "br")] {
        let response = request(addr, "GET", "/harbour.xml", &[("Accept-Encoding", accept)]);
        assert_ok(&response, accept);
        assert_eq!(
            response.header("content-encoding"),
            Some(coding),
            "{accept}"
        );
        assert!(
            response
                .expect_header("vary")
                .to_ascii_lowercase()
                .contains("accept-encoding")
        );
        assert_eq!(
            response.expect_header("content-type"),
            "application/rss+xml; charset=utf-8"
        );
        assert!(response.body.len() < original.len(), "{coding} is smaller");
        assert_eq!(
            decompress(coding, &response.body),
            original,
            "{coding} decodes to the file"
        );
        let tag = response.expect_header("etag").to_owned();
        assert!(!tag.starts_with("W/"), "still strong: {tag}");
        assert!(
            !tags.contains(&tag) || accept.contains("q="),
            "{tag} is its own: {tags:?}"
        );
        tags.push(tag.clone());

        // The reader revalidates with the tag it holds, and keeps it.
        let again = request(
            addr,
            "GET",
            "/harbour.xml",
            &[("Accept-Encoding", accept), ("If-None-Match", &tag)],
        );
        assert_eq!(again.status, 304, "{accept}: {again:?}");
        assert_eq!(again.header("etag"), Some(tag.as_str()));
    }
    let none = request(
        addr,
        "GET",
        "/harbour.xml",
        &[("Accept-Encoding", "identity")],
    );
    assert_eq!(none.header("content-encoding"), None);
    assert_eq!(none.header("etag"), Some(plain_tag.as_str()));
}

#[test]
fn head_answers_like_get_without_a_body_and_other_methods_get_405() {
    let (_site, project) = published("https://feeds.example.org/");
    let (_server, addr) = serve(&project);

    let got = get(addr, "/harbour.xml");
    let head = request(addr, "HEAD", "/harbour.xml", &[]);
    assert_ok(&head, "HEAD");
    assert!(head.body.is_empty());
    for name in [
        "content-type",
        "content-length",
        "etag",
        "last-modified",
        "cache-control",
    ] {
        assert_eq!(head.header(name), got.header(name), "{name}");
    }
    // With compression negotiated too: the same encoding, tag and Vary.
    let br = [("Accept-Encoding", "br")];
    let got_br = request(addr, "GET", "/harbour.xml", &br);
    let head_br = request(addr, "HEAD", "/harbour.xml", &br);
    assert!(head_br.body.is_empty());
    for name in [
        "content-type",
        "content-encoding",
        "etag",
        "vary",
        "cache-control",
    ] {
        assert_eq!(head_br.header(name), got_br.header(name), "{name} with br");
    }
    assert_eq!(head_br.header("content-encoding"), Some("br"));

    let missing = get(addr, "/missing.xml");
    assert_eq!(missing.status, 404);
    assert!(missing.text().starts_with("Not found."), "{missing:?}");

    for path in ["/harbour.xml", "/", "/missing.xml", "/healthz", "/metrics"] {
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"] {
            let response = request(addr, method, path, &[]);
            assert_eq!(response.status, 405, "{method} {path}: {response:?}");
            let allow = response.expect_header("allow").replace(' ', "");
            assert!(
                allow.contains("GET") && allow.contains("HEAD"),
                "{method} {path}: Allow {allow}"
            );
        }
    }
    assert_eq!(
        file(&project, "harbour.xml"),
        got.body,
        "nothing was changed"
    );
}

#[test]
fn nothing_outside_output_dir_is_reachable() {
    let (_site, project) = published("https://feeds.example.org/");
    let out = project.root().join("output");
    symlink(project.config_path(), out.join("leak.xml")).unwrap();
    symlink("..", out.join("up")).unwrap();
    symlink("/dev/zero", out.join("zero.xml")).unwrap();
    symlink("/etc", out.join("etc")).unwrap();
    std::fs::write(out.join(".harbour.xml.tmp"), "half-written").unwrap();
    std::fs::create_dir(out.join("archive")).unwrap();
    std::fs::write(out.join("archive/old.xml"), "<rss/>").unwrap();
    let (_server, addr) = serve(&project);
    let secret = std::fs::read_to_string(project.config_path()).unwrap();

    for target in [
        "/../feeds.yaml",
        "/%2e%2e/feeds.yaml",
        "/%2E%2E/feeds.yaml",
        "/..%2ffeeds.yaml",
        "/..%2Ffeeds.yaml",
        "/%2e%2e%2ffeeds.yaml",
        "/harbour.xml/../../feeds.yaml",
        "/archive/../../feeds.yaml",
        "/%2fetc%2fpasswd",
        "/%2Fetc/passwd",
        "//etc/passwd",
        "/..\\feeds.yaml",
        "/leak.xml",
        "/up/feeds.yaml",
        "/up/state/scrapefeed.sqlite",
        "/zero.xml",
        "/etc/passwd",
        "/.harbour.xml.tmp",
        "/%2eharbour.xml.tmp",
        "/harbour.xml%00.txt",
    ] {
        let response = get(addr, target);
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {} {:?}",
            response.status,
            response.text()
        );
        assert!(
            !response.text().contains(secret.trim()),
            "{target} leaked feeds.yaml"
        );
        assert!(
            !response.text().contains("root:"),
            "{target} leaked /etc/passwd"
        );
    }
    // No listing of a folder without index.html (and output_dir has none here).
    std::fs::remove_file(out.join("index.html")).ok();
    assert_eq!(get(addr, "/").status, 404);
    assert_eq!(get(addr, "/archive/").status, 404);
    // A real file in a subfolder is still a file.
    assert_ok(&get(addr, "/archive/old.xml"), "a file in a subfolder");
}

#[test]
fn a_base_url_with_a_path_is_served_there_and_at_the_root() {
    let (_site, project) = published("https://example.org/feeds/");
    let (_server, addr) = serve(&project);
    let original = file(&project, "harbour.xml");

    let prefixed = get(addr, "/feeds/harbour.xml");
    assert_ok(&prefixed, "/feeds/harbour.xml");
    assert_eq!(prefixed.body, original);
    let parsed = feed_rs::parser::parse(prefixed.body.as_slice()).unwrap();
    let self_link = parsed
        .links
        .iter()
        .find(|l| l.rel.as_deref() == Some("self"))
        .map(|l| l.href.clone());
    assert_eq!(
        self_link.as_deref(),
        Some("https://example.org/feeds/harbour.xml")
    );
    // A proxy that strips the prefix reaches the same file.
    assert_eq!(get(addr, "/harbour.xml").body, original);
    let bare = get(addr, "/feeds");
    assert_eq!(bare.status, 308);
    assert_eq!(bare.header("location"), Some("/feeds/"));
    assert_eq!(get(addr, "/feedsharbour.xml").status, 404);
}
