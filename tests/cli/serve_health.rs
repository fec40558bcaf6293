//! `/healthz` and `/metrics`: read from the store, so a `serve` process beside the
//! refreshes reports what they did — fine, failing within `stale_after` (still 200),
//! stale (503, naming the feed and its error), and the per-feed and total numbers.

use std::net::SocketAddr;

use crate::support::daemon::Daemon;
use crate::support::http::{Response, get, request};
use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page, harbour_stories,
};

fn project(site: &TestServer, stale_after: &str) -> Project {
    site.set("/news/", Reply::html(grid_page(&harbour_stories())));
    // No retries: a failure is one quick request, well within a short stale_after.
    Project::new(&format!(
        "settings:\n  base_url: https://feeds.example.org/\n  stale_after: {stale_after}\n  retries: 0\nfeeds:\n  harbour:\n    url: {}\n    schedule: \"@hourly\"\n{GRID_FEED_FIELDS}",
        site.url("/news/")
    ))
}

fn serve(project: &Project) -> (Daemon, SocketAddr) {
    let server = Daemon::spawn(project, &["serve", "--listen", "127.0.0.1:0"], &[]);
    let addr = server.served_at();
    (server, addr)
}

fn health(addr: SocketAddr) -> (u16, serde_json::Value) {
    let response = get(addr, "/healthz");
    assert_eq!(response.header("content-type"), Some("application/json"));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let body = serde_json::from_slice(&response.body)
        .unwrap_or_else(|e| panic!("/healthz is not JSON ({e}): {}", response.text()));
    (response.status, body)
}

/// The value of the sample `name` (with its labels, as written) in `/metrics`.
fn sample(metrics: &Response, name: &str) -> Option<f64> {
    metrics.text().lines().find_map(|line| {
        let (key, value) = line.rsplit_once(' ')?;
        (key == name).then(|| value.parse().expect("a number"))
    })
}

#[test]
fn a_healthy_feed_is_200_and_its_numbers_are_in_the_metrics() {
    let site = TestServer::start();
    let project = project(&site, "2d");
    let (_server, addr) = serve(&project);

    // Before anything ran there is no store: every feed is new, which is fine.
    let (status, body) = health(addr);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "ok");
    let metrics = get(addr, "/metrics");
    assert_eq!(metrics.status, 200, "{metrics:?}");
    assert_eq!(
        sample(
            &metrics,
            r#"scrapefeed_feed_health{feed="harbour",state="new"}"#
        ),
        Some(1.0)
    );
    assert_eq!(sample(&metrics, "scrapefeed_refreshes_total"), Some(0.0));

    let before = chrono::Utc::now().timestamp() as f64;
    project.run(&["run", "--once"]).expect_code(0);
    let (status, body) = health(addr);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["feeds"], 1);
    assert_eq!(body["problems"], serde_json::json!([]));

    let metrics = get(addr, "/metrics");
    assert!(
        metrics
            .expect_header("content-type")
            .starts_with("application/openmetrics-text"),
        "{metrics:?}"
    );
    assert!(metrics.text().ends_with("# EOF\n"));
    let feed = |name: &str| sample(&metrics, &format!(r#"scrapefeed_{name}{{feed="harbour"}}"#));
    assert_eq!(feed("feed_items"), Some(3.0));
    assert_eq!(feed("feed_consecutive_failures"), Some(0.0));
    assert_eq!(feed("feed_http_status"), Some(200.0));
    let success = feed("feed_last_success_timestamp_seconds").expect("a last success");
    assert!(
        success >= before - 1.0 && success <= before + 60.0,
        "{success} vs {before}"
    );
    let took = feed("feed_fetch_duration_seconds").expect("a fetch duration");
    assert!(took > 0.0 && took < 20.0, "{took}");
    assert_eq!(
        sample(
            &metrics,
            r#"scrapefeed_feed_health{feed="harbour",state="ok"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &metrics,
            r#"scrapefeed_feed_health{feed="harbour",state="new"}"#
        ),
        Some(0.0)
    );
    assert_eq!(sample(&metrics, "scrapefeed_feeds"), Some(1.0));
    assert_eq!(sample(&metrics, "scrapefeed_refreshes_total"), Some(1.0));
    assert_eq!(
        sample(&metrics, "scrapefeed_refresh_failures_total"),
        Some(0.0)
    );
    assert_eq!(sample(&metrics, "scrapefeed_pages_parsed_total"), Some(1.0));
    let bytes = sample(&metrics, "scrapefeed_fetched_bytes_total").expect("bytes");
    assert!(bytes > 1000.0, "{bytes}");

    // HEAD works as for every GET route.
    let head = request(addr, "HEAD", "/healthz", &[]);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
}

#[test]
fn a_failing_feed_is_200_within_its_grace_and_503_once_stale() {
    let site = TestServer::start();
    let project = project(&site, "3s");
    project.run(&["run", "--once"]).expect_code(0);
    let (_server, addr) = serve(&project);

    site.set("/news/", Reply::error(500));
    project.run(&["run", "--once"]).expect_code(1);
    let (status, body) = health(addr);
    assert_eq!(
        status, 200,
        "failing within stale_after still serves: {body}"
    );
    assert_eq!(body["status"], "ok");
    let problem = &body["problems"][0];
    assert_eq!(problem["feed"], "harbour");
    assert_eq!(problem["state"], "failing");
    assert_eq!(problem["failures"], 1);
    assert!(
        problem["error"].as_str().unwrap().contains("HTTP 500"),
        "{body}"
    );
    assert!(problem["last_success"].is_string(), "{body}");

    let metrics = get(addr, "/metrics");
    let feed = |name: &str| sample(&metrics, &format!(r#"scrapefeed_{name}{{feed="harbour"}}"#));
    assert_eq!(feed("feed_http_status"), Some(500.0));
    assert_eq!(feed("feed_consecutive_failures"), Some(1.0));
    assert_eq!(feed("feed_items"), Some(3.0), "the items stay");
    assert_eq!(sample(&metrics, "scrapefeed_refreshes_total"), Some(2.0));
    assert_eq!(
        sample(&metrics, "scrapefeed_refresh_failures_total"),
        Some(1.0)
    );
    assert_eq!(sample(&metrics, "scrapefeed_pages_parsed_total"), Some(1.0));
    assert_eq!(
        sample(
            &metrics,
            r#"scrapefeed_feed_health{feed="harbour",state="failing"}"#
        ),
        Some(1.0)
    );

    // Past stale_after since the last success: the monitor is told.
    std::thread::sleep(std::time::Duration::from_millis(3200));
    let (status, body) = health(addr);
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["status"], "stale");
    assert_eq!(body["problems"][0]["feed"], "harbour");
    assert_eq!(body["problems"][0]["state"], "stale");
    assert!(
        body["problems"][0]["error"]
            .as_str()
            .unwrap()
            .contains("HTTP 500")
    );
    let metrics = get(addr, "/metrics");
    assert_eq!(
        sample(
            &metrics,
            r#"scrapefeed_feed_health{feed="harbour",state="stale"}"#
        ),
        Some(1.0)
    );

    // Recovery clears it.
    site.set(
        "/news/",
        Reply::html(grid_page(&[Card::new("ferry", "Ferry", None)])),
    );
    project.run(&["run", "--once"]).expect_code(0);
    let (status, body) = health(addr);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["problems"], serde_json::json!([]));
}
