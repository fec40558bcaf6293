//! When each feed runs next, and which are running.
//!
//! The rules: a feed's next run is what its schedule says (`Schedule::next_run`: the
//! next fire time plus the feed's stable jitter), unless a server's Retry-After holds
//! it back longer. A feed never runs twice at once: a time that comes while the feed is still running is skipped. After a suspend
//! or a stall, every missed time together runs once, not once per missed time.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::config::Feed;

/// The next time `feed` should run after `now`, jitter included.
fn next_run(feed: &Feed, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    feed.schedule.next_run(&feed.slug, now)
}

/// How long a feed that failed `failures` times in a row waits at least before its
/// next run: nothing after one failure (its schedule decides), then 10 minutes,
/// doubling with each failure, at most 6 hours. A schedule sparser than that wins.
pub fn backoff(failures: u32) -> Option<Duration> {
    const FIRST: Duration = Duration::from_secs(10 * 60);
    const CAP: Duration = Duration::from_secs(6 * 3600);
    let doublings = failures.checked_sub(2)?;
    Some(
        FIRST
            .saturating_mul(2u32.saturating_pow(doublings.min(16)))
            .min(CAP),
    )
}

/// The schedule of every feed, and which are running.
///
/// Due times are kept twice: by feed, and in time order, so that the daemon's loop —
/// which wakes at least once a second — finds what is due and when it next wakes by
/// looking at the front of the queue, not at every feed (with 10,000 feeds the scan
/// was the idle daemon's whole CPU use).
#[derive(Debug, Default)]
pub struct Plan {
    due: BTreeMap<String, DateTime<Utc>>,
    queue: BTreeSet<(DateTime<Utc>, String)>,
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
        if due.is_none() {
            tracing::warn!(feed = %feed.slug, "schedule `{}` has no future time; the feed will not run", feed.schedule.source());
        }
        self.set(&feed.slug, due);
    }

    /// Sets (or with `None` clears) a feed's due time in both indexes.
    fn set(&mut self, slug: &str, due: Option<DateTime<Utc>>) {
        if let Some(old) = self.due.remove(slug) {
            self.queue.remove(&(old, slug.to_owned()));
        }
        if let Some(due) = due {
            self.due.insert(slug.to_owned(), due);
            self.queue.insert((due, slug.to_owned()));
        }
    }

    pub fn remove(&mut self, slug: &str) {
        self.set(slug, None);
    }

    /// Feeds whose time has come and that are not already running; each is marked
    /// running and given its next time (computed from now, so missed times collapse
    /// into this one run). They come in the order of `feeds`.
    pub fn take_due<'a>(&mut self, feeds: &'a [Feed], now: DateTime<Utc>) -> Vec<&'a Feed> {
        let mut due = BTreeSet::new();
        while self.queue.first().is_some_and(|(at, _)| *at <= now) {
            if let Some((_, slug)) = self.queue.pop_first() {
                self.due.remove(&slug);
                due.insert(slug);
            }
        }
        let mut start = Vec::new();
        if due.is_empty() {
            return start;
        }
        for feed in feeds.iter().filter(|f| due.contains(&f.slug)) {
            self.set(&feed.slug, next_run(feed, now));
            if self.running.contains(&feed.slug) {
                tracing::info!(feed = %feed.slug, "still running from its last time; this time is skipped");
                continue;
            }
            self.running.insert(feed.slug.clone());
            start.push(feed);
        }
        start
    }

    /// Moves a failing feed's next run out (see [`backoff`]); its next success
    /// returns it to its schedule, since the schedule decides every later time.
    pub fn back_off(&mut self, slug: &str, failures: u32, now: DateTime<Utc>) {
        if let Some(wait) = backoff(failures) {
            self.defer(
                slug,
                now + chrono::Duration::from_std(wait).unwrap_or_default(),
            );
        }
    }

    /// Holds a feed back until `until` at least (a server's Retry-After).
    pub fn defer(&mut self, slug: &str, until: DateTime<Utc>) {
        if self.due.get(slug).is_some_and(|due| *due < until) {
            self.set(slug, Some(until));
        }
    }

    pub fn finished(&mut self, slug: &str) {
        self.running.remove(slug);
    }

    pub fn running(&self) -> usize {
        self.running.len()
    }

    /// The earliest planned time.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.queue.first().map(|(at, _)| *at)
    }

    pub fn due_of(&self, slug: &str) -> Option<DateTime<Utc>> {
        self.due.get(slug).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::clock::{Clock, TokioClock};
    use chrono::{TimeZone, Timelike};
    use std::path::Path;
    use std::time::Duration;

    fn feeds(yaml: &str) -> Vec<Feed> {
        crate::config::parse(yaml, Path::new("feeds.yaml"))
            .unwrap()
            .feeds
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    /// Drives a plan for `hours` under tokio's paused clock, returning each start time.
    async fn simulate(
        feeds: &[Feed],
        start: DateTime<Utc>,
        hours: u64,
        run_time: Duration,
    ) -> Vec<(String, DateTime<Utc>)> {
        let clock = TokioClock::starting_at(start);
        let mut plan = Plan::default();
        for feed in feeds {
            plan.add(feed, clock.now(), false);
        }
        let mut started = Vec::new();
        let mut finishing: Vec<(DateTime<Utc>, String)> = Vec::new();
        let end = start + chrono::Duration::hours(hours as i64);
        while clock.now() < end {
            let now = clock.now();
            finishing.retain(|(at, slug)| {
                let done = *at <= now;
                if done {
                    plan.finished(slug);
                }
                !done
            });
            for feed in plan.take_due(feeds, now) {
                started.push((feed.slug.clone(), now));
                finishing.push((
                    now + chrono::Duration::from_std(run_time).unwrap(),
                    feed.slug.clone(),
                ));
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        started
    }

    #[tokio::test(start_paused = true)]
    async fn daily_time_in_a_zone_across_dst() {
        let feeds = feeds(
            "feeds:\n  berlin:\n    url: https://example.org/\n    schedule: '0 9 * * *'\n    timezone: Europe/Berlin\n",
        );
        // 2026-03-29: Berlin moves from UTC+1 to UTC+2.
        let starts = simulate(&feeds, utc(2026, 3, 27, 12, 0), 96, Duration::from_secs(5)).await;
        let berlin = chrono_tz::Europe::Berlin;
        let local: Vec<String> = starts
            .iter()
            .map(|(_, t)| t.with_timezone(&berlin).format("%m-%d %H").to_string())
            .collect();
        assert_eq!(local, ["03-28 09", "03-29 09", "03-30 09", "03-31 09"]);
        // In UTC the hour moves with the change: 08:xx before, 07:xx after.
        assert_eq!(starts[0].1.hour(), 8);
        assert_eq!(starts[2].1.hour(), 7);
        // Jitter is under a tenth of the interval and the same every day.
        let minutes: Vec<u32> = starts
            .iter()
            .map(|(_, t)| t.with_timezone(&berlin).minute())
            .collect();
        assert!(minutes.windows(2).all(|w| w[0] == w[1]), "{minutes:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_running_feed_is_never_started_twice() {
        let feeds =
            feeds("feeds:\n  slow:\n    url: https://example.org/\n    schedule: '*/10 * * * *'\n");
        // Each run takes 25 minutes: two of every three times find it still running.
        let starts = simulate(
            &feeds,
            utc(2026, 5, 1, 0, 0),
            2,
            Duration::from_secs(25 * 60),
        )
        .await;
        for pair in starts.windows(2) {
            let gap = pair[1].1 - pair[0].1;
            assert!(
                gap >= chrono::Duration::minutes(25),
                "started again after {gap}"
            );
        }
        assert_eq!(starts.len(), 4, "{starts:?}");
    }

    #[test]
    fn missed_times_run_once_after_a_stall() {
        let feeds =
            feeds("feeds:\n  hourly:\n    url: https://example.org/\n    schedule: '@hourly'\n");
        let mut plan = Plan::default();
        let start = utc(2026, 5, 1, 0, 30);
        plan.add(&feeds[0], start, false);
        // The machine sleeps for five hours: five times were missed.
        let woke = start + chrono::Duration::hours(5);
        assert_eq!(
            plan.take_due(&feeds, woke).len(),
            1,
            "one run for all missed times"
        );
        plan.finished("hourly");
        assert!(
            plan.take_due(&feeds, woke + chrono::Duration::seconds(1))
                .is_empty()
        );
        let next = plan.due_of("hourly").unwrap();
        assert!(
            next > woke && next <= woke + chrono::Duration::hours(1),
            "next {next} after waking at {woke}"
        );
    }

    /// A feed on a 5-minute schedule that has just run once: its feeds, plan, the time
    /// it ran and its next scheduled time.
    fn ran_once_every_five_minutes() -> (Vec<Feed>, Plan, DateTime<Utc>, DateTime<Utc>) {
        let feeds =
            feeds("feeds:\n  a:\n    url: https://a.example/\n    schedule: '*/5 * * * *'\n");
        let mut plan = Plan::default();
        let now = utc(2026, 5, 1, 0, 0);
        plan.add(&feeds[0], now, true);
        assert_eq!(plan.take_due(&feeds, now).len(), 1);
        plan.finished("a");
        let scheduled = plan.due_of("a").unwrap();
        (feeds, plan, now, scheduled)
    }

    #[test]
    fn retry_after_defers_the_next_run_but_never_advances_it() {
        let (feeds, mut plan, now, scheduled) = ran_once_every_five_minutes();
        plan.defer("a", now + chrono::Duration::minutes(30));
        assert_eq!(plan.due_of("a"), Some(now + chrono::Duration::minutes(30)));
        assert!(
            plan.take_due(&feeds, scheduled).is_empty(),
            "the scheduled time is skipped"
        );
        plan.defer("a", now + chrono::Duration::minutes(1));
        assert_eq!(
            plan.due_of("a"),
            Some(now + chrono::Duration::minutes(30)),
            "a shorter wait changes nothing"
        );
    }

    #[test]
    fn a_failing_feed_backs_off_up_to_a_cap_and_success_returns_it_to_schedule() {
        let minutes = |n: u32| backoff(n).map(|d| d.as_secs() / 60);
        assert_eq!(minutes(0), None);
        assert_eq!(minutes(1), None, "one failure: the schedule decides");
        assert_eq!(minutes(2), Some(10));
        assert_eq!(minutes(3), Some(20));
        assert_eq!(minutes(5), Some(80));
        assert_eq!(minutes(8), Some(360), "capped at 6 hours");
        assert_eq!(minutes(1000), Some(360));

        let (feeds, mut plan, now, scheduled) = ran_once_every_five_minutes();
        plan.back_off("a", 4, now);
        assert_eq!(plan.due_of("a"), Some(now + chrono::Duration::minutes(40)));
        assert!(plan.take_due(&feeds, scheduled).is_empty());
        // It runs at the backed-off time, succeeds, and is on its 5-minute schedule again.
        let later = now + chrono::Duration::minutes(40);
        assert_eq!(plan.take_due(&feeds, later).len(), 1);
        plan.finished("a");
        let next = plan.due_of("a").unwrap();
        assert!(next - later <= chrono::Duration::minutes(6), "{next}");
    }

    #[test]
    fn run_at_start_makes_feeds_due_at_once() {
        let feeds = feeds("feeds:\n  a: https://a.example/\n  b: https://b.example/\n");
        let mut plan = Plan::default();
        let now = utc(2026, 5, 1, 0, 7);
        for feed in &feeds {
            plan.add(feed, now, true);
        }
        assert_eq!(plan.take_due(&feeds, now).len(), 2);
    }

    #[test]
    fn the_queue_gives_due_feeds_in_file_order_and_the_earliest_time() {
        let feeds = feeds(
            "feeds:\n  z-hourly:\n    url: https://z.example/\n    schedule: '0 * * * *'\n  a-daily:\n    url: https://a.example/\n    schedule: '0 6 * * *'\n  m-hourly:\n    url: https://m.example/\n    schedule: '30 * * * *'\n",
        );
        let mut plan = Plan::default();
        let now = utc(2026, 5, 1, 0, 10);
        for feed in &feeds {
            plan.add(feed, now, false);
        }
        let earliest = feeds.iter().filter_map(|f| plan.due_of(&f.slug)).min();
        assert_eq!(plan.next_due(), earliest);
        assert!(plan.take_due(&feeds, now).is_empty(), "nothing is due yet");
        let later = utc(2026, 5, 1, 7, 0);
        let started: Vec<&str> = plan
            .take_due(&feeds, later)
            .iter()
            .map(|f| f.slug.as_str())
            .collect();
        assert_eq!(started, ["z-hourly", "a-daily", "m-hourly"], "file order");
        for feed in &feeds {
            plan.finished(&feed.slug);
            assert!(
                plan.due_of(&feed.slug).unwrap() > later,
                "{} planned again",
                feed.slug
            );
        }
        plan.remove("m-hourly");
        plan.defer("z-hourly", utc(2026, 5, 2, 0, 0));
        assert_eq!(plan.due_of("m-hourly"), None);
        assert_eq!(
            plan.next_due(),
            Some(utc(2026, 5, 2, 0, 0)),
            "the deferred feed is at the front, the removed one is gone"
        );
        assert!(
            plan.take_due(&feeds, utc(2026, 5, 1, 23, 0)).is_empty(),
            "the deferred feed waits, the daily one is tomorrow"
        );
    }
}
