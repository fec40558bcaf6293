//! scrapefeed turns web pages that have no feed into RSS 2.0 and Atom 1.0 feeds.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! feeds.yaml ─ config::load ─▶ Config (selectors compiled, URLs parsed, schedules checked)
//! refresh(feed):
//!   fetch::Fetcher ─▶ fetch::Page (UTF-8 HTML, final URL, validators)
//!   extract::extract ─▶ extract::Extraction (items found on the page, cards skipped)
//!   store::Store ─▶ the feed's history (stable ids and dates, items beyond the page)
//!   publish::publish ─▶ output/<slug>.xml, .atom (atomic, rewritten only when changed)
//! ```
//!
//! `pass` runs many refreshes concurrently for `run --once`; `daemon` schedules them;
//! `serve` publishes `output_dir` over HTTP (`serve`, `run --serve`).
//! Every stage has its own error type naming the feed, URL, selector or path involved;
//! `anyhow` appears only in the binary.

pub mod cli;
pub mod commands;
pub mod config;
pub mod daemon;
pub mod digest;
pub mod extract;
pub mod fetch;
pub mod health;
pub mod item;
pub mod pass;
pub mod preview;
pub mod publish;
pub mod refresh;
pub mod schedule;
pub mod serve;
pub mod status;
pub mod store;
pub mod suggest;
pub mod validators;
