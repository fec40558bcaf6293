//! A feed's health, decided in one place from what the store remembers.
//!
//! `status`, the index page, `/healthz` and `/metrics` all say whether a feed is fine;
//! they must never disagree, so they all ask `Health::of`. A feed that fails keeps its
//! last good files, so one failure is not yet a problem for readers: it is *failing*.
//! Once it has gone `stale_after` (default two days) without a success, readers are
//! missing items: it is *stale*, and that is what monitoring should page on.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::store::FeedRecord;

/// What a feed's recent refreshes say about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum Health {
    /// Never refreshed yet.
    New,
    /// The last refresh succeeded.
    Ok,
    /// The last refreshes failed, but the feed succeeded within `stale_after`.
    Failing(Streak),
    /// No success for longer than `stale_after`.
    Stale(Streak),
}

/// The current run of failures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Streak {
    /// When the first failure of this run happened.
    pub since: DateTime<Utc>,
    /// Failures in a row.
    pub failures: u32,
    /// The last failure's message.
    pub error: String,
    /// The last success before it, if the feed ever succeeded.
    pub last_success: Option<DateTime<Utc>>,
}

impl Health {
    /// The health of a feed with this store record, `now`.
    pub fn of(record: &FeedRecord, stale_after: Duration, now: DateTime<Utc>) -> Health {
        if record.failures == 0 {
            return if record.last_success.is_some() {
                Health::Ok
            } else {
                Health::New
            };
        }
        let since = record
            .failing_since
            .or(record.last_error_at)
            .or(record.last_attempt)
            .unwrap_or(now);
        let streak = Streak {
            since,
            failures: record.failures,
            error: record.last_error.clone().unwrap_or_default(),
            last_success: record.last_success,
        };
        // A feed that never succeeded is stale once it has failed for that long.
        let good_until = record.last_success.unwrap_or(since);
        let stale_after = chrono::Duration::from_std(stale_after).unwrap_or(chrono::Duration::MAX);
        if now.signed_duration_since(good_until) > stale_after {
            Health::Stale(streak)
        } else {
            Health::Failing(streak)
        }
    }

    /// One word for tables and metrics labels: `new`, `ok`, `failing`, `stale`.
    pub fn label(&self) -> &'static str {
        match self {
            Health::New => "new",
            Health::Ok => "ok",
            Health::Failing(_) => "failing",
            Health::Stale(_) => "stale",
        }
    }

    /// Whether readers are being served: everything but a stale feed. (A failing feed
    /// still shows its last good files and is within its grace.)
    pub fn is_serving(&self) -> bool {
        !matches!(self, Health::Stale(_))
    }

    /// Whether the last refresh succeeded (or none has run yet).
    pub fn is_ok(&self) -> bool {
        matches!(self, Health::New | Health::Ok)
    }

    /// The failure streak, when the feed is failing or stale.
    pub fn streak(&self) -> Option<&Streak> {
        match self {
            Health::Failing(streak) | Health::Stale(streak) => Some(streak),
            Health::New | Health::Ok => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const DAY: Duration = Duration::from_secs(86_400);

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, day, hour, 0, 0).unwrap()
    }

    fn failing(last_success: Option<DateTime<Utc>>, since: DateTime<Utc>) -> FeedRecord {
        FeedRecord {
            last_success,
            failing_since: Some(since),
            last_error_at: Some(since),
            last_error: Some("GET https://example.org/: HTTP 500".into()),
            failures: 3,
            ..FeedRecord::default()
        }
    }

    #[test]
    fn a_feed_never_run_is_new_and_one_that_succeeded_is_ok() {
        assert_eq!(
            Health::of(&FeedRecord::default(), DAY, at(1, 0)),
            Health::New
        );
        let ok = FeedRecord {
            last_success: Some(at(1, 0)),
            ..FeedRecord::default()
        };
        // However long ago: a feed on a weekly schedule is not stale between runs.
        assert_eq!(Health::of(&ok, DAY, at(20, 0)), Health::Ok);
    }

    #[test]
    fn failing_within_the_grace_then_stale_after_it() {
        let record = failing(Some(at(1, 0)), at(1, 6));
        let health = Health::of(&record, 2 * DAY, at(2, 23));
        assert_eq!(health.label(), "failing");
        assert!(health.is_serving() && !health.is_ok());
        let streak = health.streak().expect("a streak");
        assert_eq!(streak.since, at(1, 6));
        assert_eq!(streak.failures, 3);
        assert_eq!(streak.last_success, Some(at(1, 0)));

        // Two days after the last success, not after the first failure.
        let health = Health::of(&record, 2 * DAY, at(3, 1));
        assert_eq!(health.label(), "stale");
        assert!(!health.is_serving());
    }

    #[test]
    fn a_feed_that_never_succeeded_is_stale_counting_from_its_first_failure() {
        let record = failing(None, at(1, 0));
        assert_eq!(Health::of(&record, DAY, at(1, 23)).label(), "failing");
        assert_eq!(Health::of(&record, DAY, at(2, 1)).label(), "stale");
    }

    #[test]
    fn serialises_with_its_state() {
        let json = serde_json::to_value(Health::of(&failing(None, at(1, 0)), DAY, at(1, 1)))
            .expect("json");
        assert_eq!(json["state"], "failing");
        assert_eq!(json["failures"], 3);
        assert_eq!(
            serde_json::to_value(Health::Ok).expect("json")["state"],
            "ok"
        );
    }
}
