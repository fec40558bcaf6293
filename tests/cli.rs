//! Integration tests of the `scrapefeed` binary and its store, with real parts only:
//! a real HTTP server on 127.0.0.1 (`support::server`), the real binary run in a
//! temporary project directory, real SQLite files, and the output read back with
//! feed-rs. Nothing is mocked and nothing leaves the machine.
//!
//! One test binary; each file under `tests/cli/` covers one promise of the product.

mod support;

#[path = "cli/bounded_store.rs"]
mod bounded_store;
#[path = "cli/check.rs"]
mod check;
#[path = "cli/conditional.rs"]
mod conditional;
#[path = "cli/crash.rs"]
mod crash;
#[path = "cli/daemon.rs"]
mod daemon;
#[path = "cli/detection_floor.rs"]
mod detection_floor;
#[path = "cli/detection_memory.rs"]
mod detection_memory;
#[path = "cli/detection_scale.rs"]
mod detection_scale;
#[path = "cli/detection_shapes.rs"]
mod detection_shapes;
#[path = "cli/error_items.rs"]
mod error_items;
#[path = "cli/faults.rs"]
mod faults;
#[path = "cli/formats.rs"]
mod formats;
#[path = "cli/full_pass.rs"]
mod full_pass;
#[path = "cli/history.rs"]
mod history;
#[path = "cli/hostile_pages.rs"]
mod hostile_pages;
#[path = "cli/index_page.rs"]
mod index_page;
#[path = "cli/lock.rs"]
mod lock;
#[path = "cli/never_blank.rs"]
mod never_blank;
#[path = "cli/newsboat.rs"]
mod newsboat;
#[path = "cli/not_a_page.rs"]
mod not_a_page;
#[path = "cli/preview.rs"]
mod preview;
#[path = "cli/quiet.rs"]
mod quiet;
#[path = "cli/redirects.rs"]
mod redirects;
#[path = "cli/removed_feeds.rs"]
mod removed_feeds;
#[path = "cli/retention.rs"]
mod retention;
#[path = "cli/robots.rs"]
mod robots;
#[path = "cli/safe_text.rs"]
mod safe_text;
#[path = "cli/serve.rs"]
mod serve;
#[path = "cli/serve_health.rs"]
mod serve_health;
#[path = "cli/serve_process.rs"]
mod serve_process;
#[path = "cli/site.rs"]
mod site;
#[path = "cli/status.rs"]
mod status;
#[path = "cli/store_compat.rs"]
mod store_compat;
#[path = "cli/unix_tools.rs"]
mod unix_tools;
#[path = "cli/unsafe_outputs.rs"]
mod unsafe_outputs;
#[path = "cli/websub.rs"]
mod websub;
#[path = "cli/write_failure.rs"]
mod write_failure;
