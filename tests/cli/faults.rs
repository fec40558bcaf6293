//! Faulty servers on 127.0.0.1: transient faults are retried within the pass (the new
//! items arrive now, not at the next scheduled run), and everything else fails the
//! feed with a clear message, its last good files byte-identical, within bounded time
//! and memory, while the other feed of the pass goes on.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::support::{
    Card, GRID_FEED_FIELDS, Project, Reply, Run, Snapshot, TestServer, aged_snapshot, grid_page,
    snapshot,
};

fn stories() -> Vec<Card> {
    vec![
        Card::new(
            "tide-tables",
            "New tide tables for the harbour",
            Some("2025-02-03T09:00:00Z"),
        ),
        Card::new(
            "lighthouse",
            "Lighthouse keeper retires after forty years",
            Some("2025-02-02T15:00:00Z"),
        ),
        Card::new(
            "regatta",
            "Regatta moves to September",
            Some("2025-02-01T11:00:00Z"),
        ),
    ]
}

fn more_stories() -> Vec<Card> {
    let mut more = stories();
    more.insert(
        0,
        Card::new(
            "new-quay",
            "The new quay opens to ferries",
            Some("2025-02-04T08:00:00Z"),
        ),
    );
    more
}

/// Two feeds on one server that both succeeded once: `faulty` (at `/faulty/`, about to
/// misbehave) and `steady` (whose page gains a story before the faulty run).
struct Site {
    server: TestServer,
    project: Project,
    faulty_before: Vec<Snapshot>,
}

impl Site {
    /// `settings` are extra lines under `settings:` (indented by two spaces).
    fn new(settings: &str) -> Site {
        let server = TestServer::start();
        server.set("/faulty/", Reply::html(grid_page(&stories())));
        server.set("/steady/", Reply::html(grid_page(&stories())));
        let project = Project::new(&format!(
            "settings:\n  base_url: https://feeds.example.org/\n  host_delay: 0s\n{settings}feeds:\n  faulty:\n    url: {}\n{GRID_FEED_FIELDS}  steady:\n    url: {}\n{GRID_FEED_FIELDS}",
            server.url("/faulty/"),
            server.url("/steady/"),
        ));
        project.run(&["run", "--once"]).expect_code(0);
        let faulty_before = ["faulty.xml", "faulty.atom"]
            .iter()
            .map(|f| aged_snapshot(&project.output(f)))
            .collect();
        server.set("/steady/", Reply::html(grid_page(&more_stories())));
        Site {
            server,
            project,
            faulty_before,
        }
    }

    fn run(&self) -> Run {
        self.project.run(&["run", "--once"])
    }

    /// A pass in which `/faulty/` answers with `replies` in turn.
    fn run_answering(&self, replies: Vec<Reply>) -> Run {
        self.server.set_sequence("/faulty/", replies);
        self.run()
    }

    /// The faulty feed failed with `expected`, kept its files, and `steady` went on.
    #[track_caller]
    fn assert_failed_safely(&self, run: &Run, expected: &str) {
        run.expect_code(1);
        let line = run.summary("faulty");
        assert!(line.contains("FAILED"), "{run}");
        assert!(
            line.contains(expected),
            "the FAILED line says `{expected}`\n{run}"
        );
        let after: Vec<_> = ["faulty.xml", "faulty.atom"]
            .iter()
            .map(|f| snapshot(&self.project.output(f)))
            .collect();
        assert!(
            after == self.faulty_before,
            "the failed feed's files are byte-identical and keep their mtime\n{run}"
        );
        self.assert_steady_went_on(run);
    }

    #[track_caller]
    fn assert_recovered(&self, run: &Run) {
        run.expect_code(0);
        let line = run.summary("faulty");
        assert!(line.contains(" ok ") && line.contains("1 new"), "{run}");
        let titles: Vec<String> = self
            .project
            .feed("faulty.xml")
            .entries
            .iter()
            .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
            .collect();
        assert!(
            titles.iter().any(|t| t == "The new quay opens to ferries"),
            "the new story is in the feed after the same pass: {titles:?}"
        );
        self.assert_steady_went_on(run);
    }

    #[track_caller]
    fn assert_steady_went_on(&self, run: &Run) {
        assert!(run.summary("steady").contains("1 new"), "{run}");
        assert_eq!(self.project.feed("steady.xml").entries.len(), 4);
    }
}

#[test]
fn a_500_then_success_gets_the_new_items_in_the_same_pass() {
    let site = Site::new("");
    let run = site.run_answering(vec![
        Reply::error(500),
        Reply::html(grid_page(&more_stories())),
    ]);
    site.assert_recovered(&run);
    assert_eq!(
        site.server.requests_to("/faulty/").len(),
        3,
        "first run, the 500, the retry"
    );
}

#[test]
fn a_429_with_retry_after_is_retried_after_that_wait() {
    let site = Site::new("");
    let run = site.run_answering(vec![
        Reply::error(429).header("Retry-After", "1"),
        Reply::html(grid_page(&more_stories())),
    ]);
    site.assert_recovered(&run);
    let requests = site.server.requests_to("/faulty/");
    let waited = requests[2].at - requests[1].at;
    assert!(
        waited >= Duration::from_millis(950),
        "the retry waited for Retry-After: {waited:?}"
    );
}

#[test]
fn a_reset_connection_is_retried() {
    let site = Site::new("");
    let run = site.run_answering(vec![
        Reply::hang_up(),
        Reply::html(grid_page(&more_stories())),
    ]);
    site.assert_recovered(&run);
}

#[test]
fn a_permanent_error_is_not_retried_and_says_so() {
    let site = Site::new("");
    let run = site.run_answering(vec![Reply::error(404)]);
    site.assert_failed_safely(
        &run,
        "HTTP 404 Not Found — not retried: check the feed's URL",
    );
    assert_eq!(
        site.server.requests_to("/faulty/").len(),
        2,
        "one request only"
    );
}

#[test]
fn a_server_error_that_persists_gives_up_within_the_retry_budget() {
    let site = Site::new("  retries: 2\n  retry_budget: 10s\n");
    let run = site.run_answering(vec![Reply::error(503)]);
    site.assert_failed_safely(
        &run,
        "HTTP 503 Service Unavailable — gave up after 3 attempts",
    );
    assert_eq!(site.server.requests_to("/faulty/").len(), 1 + 3);
}

#[test]
fn a_server_that_never_answers_times_out() {
    let site = Site::new("  timeout: 2s\n  retry_budget: 1s\n");
    site.server.set(
        "/faulty/",
        Reply::html(grid_page(&more_stories())).delay(Duration::from_secs(60)),
    );
    let started = Instant::now();
    let run = site.run();
    site.assert_failed_safely(&run, "timed out after 2s");
    assert!(started.elapsed() < Duration::from_secs(20), "{run}");
}

#[test]
fn a_server_that_drips_a_byte_a_second_times_out() {
    let site = Site::new("  timeout: 3s\n  retry_budget: 1s\n");
    site.server.set(
        "/faulty/",
        Reply::html(grid_page(&more_stories())).trickle(1, Duration::from_secs(1)),
    );
    let started = Instant::now();
    let run = site.run();
    site.assert_failed_safely(&run, "timed out after 3s");
    assert!(started.elapsed() < Duration::from_secs(20), "{run}");
}

/// A gzip body of `size` zero bytes (1 GiB here: about 4.5 MiB on the wire).
fn gzip_zeros(size: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let block = vec![0u8; 1 << 20];
    for _ in 0..size / block.len() {
        encoder.write_all(&block).expect("compress");
    }
    encoder.finish().expect("compress")
}

#[test]
fn a_gzip_bomb_stops_at_max_body() {
    let site = Site::new("  max_body: 10MB\n");
    let bomb = gzip_zeros(1 << 30);
    site.server.set(
        "/faulty/",
        Reply::bytes("text/html; charset=utf-8", bomb).header("Content-Encoding", "gzip"),
    );
    let run = site.run();
    site.assert_failed_safely(&run, "larger than the 10000000-byte limit (max_body)");
}

#[test]
fn invalid_utf8_is_read_with_replacement_characters() {
    let site = Site::new("");
    let page = grid_page(&more_stories());
    // Bytes that are not UTF-8 in a page that says it is: a Latin-1 "é" and a stray 0xff.
    let mut bytes = page.into_bytes();
    let at = bytes
        .windows(6)
        .position(|w| w == b"Regatt")
        .expect("the regatta story");
    bytes.splice(at..at, [0xe9, 0xff, b' ']);
    site.server
        .set("/faulty/", Reply::bytes("text/html; charset=utf-8", bytes));
    let run = site.run();
    site.assert_recovered(&run);
    let atom = site.project.feed("faulty.atom");
    assert_eq!(atom.entries.len(), 4, "every card is still read");
}

#[test]
fn truncated_html_is_parsed_as_far_as_it_goes() {
    let site = Site::new("");
    let page = grid_page(&more_stories());
    let cut = page.find("Regatta moves").expect("the last story");
    let run = site.run_answering(vec![Reply::html(&page[..cut + 7])]);
    site.assert_recovered(&run);
    let titles: Vec<String> = site
        .project
        .feed("faulty.xml")
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t == "Lighthouse keeper retires after forty years"),
        "{titles:?}"
    );
}
