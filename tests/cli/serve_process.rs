//! The server as a process: `run --serve` refreshes and serves in one process and
//! stops as one; the default address is the one `base_url` names; a busy port or a
//! bad address is a clear error before anything runs.

use std::net::{SocketAddr, TcpListener, TcpStream};

use crate::support::daemon::{Daemon, wait_until};
use crate::support::http::get;
use crate::support::{Card, GRID_FEED_FIELDS, Project, Reply, TestServer, grid_page};

fn project_for(site: &TestServer, base_url: &str, extra: &str) -> Project {
    site.set(
        "/news/",
        Reply::html(grid_page(&[Card::new(
            "tide-gauge",
            "New tide gauge at the pier",
            Some("2024-11-20T10:00:00Z"),
        )])),
    );
    Project::new(&format!(
        "settings:\n  base_url: {base_url}\n  host_delay: 0s\n{extra}feeds:\n  harbour:\n    url: {}\n    schedule: \"@hourly\"\n{GRID_FEED_FIELDS}",
        site.url("/news/")
    ))
}

/// A port nobody listens on right now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

#[test]
fn run_serve_refreshes_and_serves_in_one_process_and_stops_as_one() {
    let site = TestServer::start();
    let project = project_for(&site, "https://feeds.example.org/", "");
    let daemon = Daemon::spawn(&project, &["run", "--serve", "127.0.0.1:0"], &[]);
    let addr = daemon.served_at();
    daemon.wait_log("refreshed");

    let response = get(addr, "/harbour.atom");
    assert_eq!(response.status, 200, "{response:?}");
    let feed = feed_rs::parser::parse(response.body.as_slice()).expect("the served Atom parses");
    assert_eq!(feed.entries.len(), 1);

    daemon.signal("TERM");
    let (code, log) = daemon.wait_exit();
    assert_eq!(code, 0, "{log}");
    assert!(
        TcpStream::connect(addr).is_err(),
        "the server stopped with the daemon\n{log}"
    );
}

#[test]
fn the_default_address_is_the_one_base_url_names() {
    let site = TestServer::start();
    let port = free_port();
    let project = project_for(&site, &format!("http://localhost:{port}/"), "");
    project.run(&["run", "--once"]).expect_code(0);
    let server = Daemon::spawn(&project, &["serve"], &[]);
    let addr = server.served_at();
    assert_eq!(addr.port(), port, "{}", server.log());
    assert!(addr.ip().is_loopback());
    // `localhost` is both loopback addresses, where the machine has IPv6.
    let v4: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    assert_eq!(get(v4, "/harbour.xml").status, 200);
    if server.log().contains(&format!("http://[::1]:{port}/")) {
        let v6: SocketAddr = format!("[::1]:{port}").parse().unwrap();
        assert_eq!(get(v6, "/harbour.xml").status, 200);
    }
    assert!(!server.log().contains("WARN"), "{}", server.log());
}

#[test]
fn settings_listen_is_used_and_a_mismatch_with_base_url_is_pointed_out() {
    let site = TestServer::start();
    let project = project_for(
        &site,
        "http://localhost:8080/",
        "  listen: \"127.0.0.1:0\"\n",
    );
    let server = Daemon::spawn(&project, &["serve"], &[]);
    let addr = server.served_at();
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    wait_until(
        "the warning about base_url",
        || server.log().contains("self links lead elsewhere"),
        || server.log(),
    );
}

#[test]
fn a_busy_port_or_a_bad_address_is_a_clear_error() {
    let site = TestServer::start();
    let project = project_for(&site, "https://feeds.example.org/", "");
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let busy = taken.local_addr().unwrap().to_string();

    let run = project.run(&["serve", "--listen", &busy]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("cannot listen on {busy}")),
        "{run}"
    );
    assert!(run.stderr.contains("choose another address"), "{run}");
    // The daemon does not start either: nothing was fetched.
    let run = project.run(&["run", "--serve", &busy]);
    run.expect_code(1);
    assert!(site.requests_to("/news/").is_empty(), "{run}");

    let run = project.run(&["serve", "--listen", "localhost"]);
    run.expect_code(2);
    assert!(run.stderr.contains("has no port"), "{run}");

    project.write_config(
        "settings:\n  listen: \"[::1:8080\"\nfeeds:\n  harbour: https://example.org/\n",
    );
    let run = project.run(&["check"]);
    run.expect_code(2);
    assert!(run.stderr.contains("feeds.yaml:2:"), "{run}");
    assert!(run.stderr.contains("unbalanced brackets"), "{run}");
}
