//! `status`: each feed's health and the store's size, read from the store without
//! changing it.
//!
//! The next run is shown only while a daemon holds the store: without one, nothing will
//! run, and a time would be a promise nobody keeps. The time comes from the feed's
//! schedule (the same rule the daemon plans with), not from the daemon itself.

use std::fmt::Write;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::config::Config;
use crate::extract::auto::Choice;
use crate::health::Health;
use crate::store::{Holder, Mode, Store, StoreError};

/// Everything `status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub store: StoreStatus,
    /// The process running feeds on the store, if any.
    pub runner: Option<Runner>,
    pub feeds: Vec<FeedStatus>,
}

/// The store file and its size on disk.
#[derive(Debug, Clone, Serialize)]
pub struct StoreStatus {
    pub path: PathBuf,
    pub bytes: u64,
    pub items: usize,
}

/// The process holding the store's lock.
#[derive(Debug, Clone, Serialize)]
pub struct Runner {
    pub pid: Option<u32>,
    /// `daemon` (`scrapefeed run`) or `once` (`scrapefeed run --once`).
    pub mode: Option<&'static str>,
}

/// One feed's health.
#[derive(Debug, Clone, Serialize)]
pub struct FeedStatus {
    pub feed: String,
    pub url: String,
    /// The feed has run and its last refresh succeeded.
    pub healthy: bool,
    /// `new`, `ok`, `failing` (within `stale_after`) or `stale`, with the failure streak.
    pub health: Health,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub consecutive_failures: u32,
    pub items_stored: usize,
    pub cards_last_time: Option<usize>,
    /// How the cards are found: the configured selector, or what detection chose.
    pub cards_from: String,
    pub last_change: Option<DateTime<Utc>>,
    pub schedule: String,
    /// When the daemon runs the feed next; `None` when no daemon is running.
    pub next_run: Option<DateTime<Utc>>,
}

/// The status of every configured feed.
pub fn collect(
    config: &Config,
    store: &Store,
    runner: Option<&Holder>,
    now: DateTime<Utc>,
) -> Result<Status, StoreError> {
    let daemon = runner.is_some_and(|r| r.mode == Some(Mode::Daemon));
    let feeds = config
        .feeds
        .iter()
        .map(|feed| {
            let record = store.feed(&feed.slug)?;
            let health = Health::of(&record, feed.stale_after, now);
            Ok(FeedStatus {
                feed: feed.slug.clone(),
                url: feed.url.to_string(),
                healthy: health == Health::Ok,
                health,
                last_success: record.last_success,
                last_error: record.last_error,
                last_error_at: record.last_error_at,
                consecutive_failures: record.failures,
                items_stored: record.items,
                cards_last_time: record.cards,
                cards_from: match (
                    &feed.items,
                    record.detected.as_deref().and_then(Choice::from_json),
                ) {
                    (Some(items), _) => format!("selector `{}`", items.source),
                    (None, Some(choice)) => choice.describe(),
                    (None, None) => "detection (not run yet)".to_owned(),
                },
                last_change: record.last_change,
                schedule: feed.schedule.source().to_owned(),
                next_run: daemon
                    .then(|| feed.schedule.next_run(&feed.slug, now))
                    .flatten(),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Status {
        store: StoreStatus {
            path: store.path().to_path_buf(),
            bytes: store.size(),
            items: store.item_count()?,
        },
        runner: runner.map(|r| Runner {
            pid: r.pid,
            mode: r.mode.map(|m| match m {
                Mode::Daemon => "daemon",
                Mode::Once => "once",
            }),
        }),
        feeds,
    })
}

/// Width of the CARDS FOUND BY column; `--json` has the whole text.
const CARDS_FROM_WIDTH: usize = 40;

/// A readable table of feed health, then a line about the store and the runner.
pub fn table(status: &Status) -> String {
    let mut out = String::new();
    let when = |t: Option<DateTime<Utc>>| {
        t.map_or_else(
            || "-".to_owned(),
            |t| t.format("%Y-%m-%d %H:%M").to_string(),
        )
    };
    let _ = writeln!(
        out,
        "{:<24} {:<8} {:<16} {:>5} {:>5} {:>5}  {:<16}  {:<CARDS_FROM_WIDTH$}  LAST ERROR",
        "FEED", "HEALTH", "LAST SUCCESS", "ITEMS", "CARDS", "FAILS", "NEXT RUN", "CARDS FOUND BY"
    );
    for row in &status.feeds {
        let health = match &row.health {
            Health::Failing(_) => "FAILING",
            Health::Stale(_) => "STALE",
            other => other.label(),
        };
        let error = match (&row.last_error, row.last_error_at) {
            (Some(e), Some(at)) if row.consecutive_failures > 0 => {
                format!("{} — {e}", at.format("%Y-%m-%d %H:%M"))
            }
            _ => String::new(),
        };
        let line = format!(
            "{:<24} {:<8} {:<16} {:>5} {:>5} {:>5}  {:<16}  {:<CARDS_FROM_WIDTH$}  {error}",
            row.feed,
            health,
            if row.last_success.is_some() {
                when(row.last_success)
            } else {
                "never".to_owned()
            },
            row.items_stored,
            row.cards_last_time
                .map_or_else(|| "-".to_owned(), |c| c.to_string()),
            row.consecutive_failures,
            when(row.next_run),
            crate::preview::clip(&row.cards_from, CARDS_FROM_WIDTH),
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let runner = match &status.runner {
        Some(Runner {
            pid,
            mode: Some("daemon"),
        }) => format!("daemon running{}", pid_text(*pid)),
        Some(Runner { pid, mode }) => format!(
            "{} running{} (no daemon: NEXT RUN stays empty)",
            mode.map_or("a refresh", |_| "`run --once`"),
            pid_text(*pid)
        ),
        None => "no daemon running (NEXT RUN appears while `scrapefeed run` is running)".to_owned(),
    };
    let _ = writeln!(
        out,
        "\nstore {}: {}, {} item(s); {runner}",
        status.store.path.display(),
        human_bytes(status.store.bytes),
        status.store.items,
    );
    out
}

fn pid_text(pid: Option<u32>) -> String {
    pid.map_or_else(String::new, |pid| format!(" (pid {pid})"))
}

/// Bytes in binary units, as `du -h` shows them (`12.3 MiB`).
fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn sizes_read_like_du() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(27 << 20), "27.0 MiB");
    }
}
