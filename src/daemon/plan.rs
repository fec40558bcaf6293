//! When each feed runs next: its schedule plus a small, stable jitter.
//!
//! The rules: a feed's next run is its schedule's next time after now, delayed by a
//! jitter derived from its name (so sections of one site do not all fire on the same
//! second, and the delay stays the same across restarts). A feed never runs twice at
//! once: a time that comes while the feed is still running is skipped. After a suspend
//! or a stall, every missed time together runs once, not once per missed time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Feed;
use crate::schedule::jitter;

/// The most a feed's start is shifted by jitter.
const MAX_JITTER: Duration = Duration::from_secs(5 * 60);

/// The next time `feed` should run after `now`, jitter included.
pub fn next_run(feed: &Feed, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let first = feed.schedule.next_after(now)?;
    // Jitter stays well within the interval between two runs (a tenth of it).
    let interval = feed
        .schedule
        .next_after(first)
        .and_then(|second| (second - first).to_std().ok())
        .unwrap_or(MAX_JITTER);
    let shift = jitter(&feed.slug, (interval / 10).min(MAX_JITTER));
    Some(first + chrono::Duration::from_std(shift).unwrap_or_default())
}

/// The schedule of every feed, and which are running.
#[derive(Debug, Default)]
pub struct Plan {
    due: BTreeMap<String, DateTime<Utc>>,
    running: BTreeSet<String>,
}

impl Plan {
    /// Plans a feed: due now, or at its next scheduled time.
    pub fn add(&mut self, feed: &Feed, now: DateTime<Utc>, run_now: bool) {
        let due = if run_now {
            Some(now)
        } else {
            next_run(feed, now)
        };
        match due {
            Some(due) => {
                self.due.insert(feed.slug.clone(), due);
            }
            None => {
                tracing::warn!(feed = %feed.slug, "schedule `{}` has no future time; the feed will not run", feed.schedule.source());
            }
        }
    }

    pub fn remove(&mut self, slug: &str) {
        self.due.remove(slug);
    }

    /// Feeds whose time has come and that are not already running; each is marked
    /// running and given its next time (computed from now, so missed times collapse
    /// into this one run).
    pub fn take_due<'a>(&mut self, feeds: &'a [Feed], now: DateTime<Utc>) -> Vec<&'a Feed> {
        let mut start = Vec::new();
        for feed in feeds {
            let Some(&due) = self.due.get(&feed.slug) else {
                continue;
            };
            if due > now {
                continue;
            }
            match next_run(feed, now) {
                Some(next) => self.due.insert(feed.slug.clone(), next),
                None => self.due.remove(&feed.slug),
            };
            if self.running.contains(&feed.slug) {
                tracing::info!(feed = %feed.slug, "still running from its last time; this time is skipped");
                continue;
            }
            self.running.insert(feed.slug.clone());
            start.push(feed);
        }
        start
    }

    pub fn finished(&mut self, slug: &str) {
        self.running.remove(slug);
    }

    pub fn is_running(&self, slug: &str) -> bool {
        self.running.contains(slug)
    }

    pub fn running(&self) -> usize {
        self.running.len()
    }

    /// The earliest planned time.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.due.values().min().copied()
    }

    pub fn due_of(&self, slug: &str) -> Option<DateTime<Utc>> {
        self.due.get(slug).copied()
    }
}
