//! Helpers shared by the integration tests: a real HTTP server on 127.0.0.1
//! (`server`), a temporary project directory and the binary run against it
//! (`project`), a running daemon or server (`daemon`), a disk that fills up (`disk`),
//! the section pages the server serves (`pages`) and hostile ones (`hostile`), accessors for the feeds read back
//! with feed-rs (`feed`), `status --json` read back (`status`), a client for
//! scrapefeed's own server that sends requests as written (`http`), and the
//! independent programs some tests use as real clients (`tools`).

pub mod daemon;
pub mod disk;
pub mod feed;
pub mod hostile;
pub mod http;
pub mod pages;
pub mod project;
pub mod server;
pub mod status;
pub mod tools;

pub use pages::{Card, GRID_FEED_FIELDS, fixture, grid_page, harbour_stories, redesigned_page};
pub use project::{
    Project, Run, Snapshot, aged_snapshot, finish, next_second, parse_feed, snapshot,
};
pub use server::{Reply, TestServer};
pub use status::{feed_row, status_json};

/// The `settings:` block most tests use: outputs served at a fixed base URL, and a
/// timeout short enough that a broken test fails quickly.
pub fn settings() -> &'static str {
    "settings:\n  base_url: https://feeds.example.org/\n  timeout: 20s\n"
}
