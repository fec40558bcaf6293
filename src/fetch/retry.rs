//! Retries within a refresh: a transient fault (a reset connection, a timeout, a 502
//! from an overloaded server) should not cost a feed its new items until the next
//! scheduled run, and a permanent one (404, 410, a refused redirect) should not be
//! hammered.
//!
//! A failed attempt is retried after an exponential backoff with jitter (1 s, 2 s,
//! 4 s … each between half and all of that), at most `retries` times, and only while
//! the retry can start within `retry_budget` of the first attempt. A 429 or 503 that
//! says `Retry-After` is retried after that wait when it fits the budget; a longer wait
//! fails the refresh, and the daemon holds the feed back instead.

use std::time::Duration;

use super::FetchError;

/// How hard one fetch tries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub retries: u32,
    /// Retries start only within this long of the first attempt.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            retries: 3,
            budget: Duration::from_secs(30),
        }
    }
}

/// The first backoff; each further one doubles.
const FIRST_BACKOFF: Duration = Duration::from_secs(1);

/// What a failure says about trying again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Will not get better by asking again (404, a refused redirect, too large …).
    Permanent,
    /// May work on the next attempt, after a backoff.
    Transient,
    /// The server asked for this wait (Retry-After).
    After(Duration),
}

/// How a failure should be treated.
pub fn verdict(error: &FetchError) -> Verdict {
    match error {
        FetchError::Status {
            status,
            retry_after,
            ..
        } => match (*status, retry_after) {
            (429 | 503, Some(wait)) => Verdict::After(*wait),
            (408 | 429 | 500 | 502 | 503 | 504, _) => Verdict::Transient,
            _ => Verdict::Permanent,
        },
        FetchError::Timeout { .. } | FetchError::Network { .. } => Verdict::Transient,
        _ => Verdict::Permanent,
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `retry` (1-based) after `error`, when
    /// `elapsed` has passed since the first attempt; `None`: give up.
    pub fn wait_before(
        &self,
        retry: u32,
        error: &FetchError,
        elapsed: Duration,
    ) -> Option<Duration> {
        if retry > self.retries {
            return None;
        }
        let wait = match verdict(error) {
            Verdict::Permanent => return None,
            Verdict::After(wait) => wait,
            Verdict::Transient => jittered(FIRST_BACKOFF * 2u32.saturating_pow(retry - 1)),
        };
        (elapsed + wait < self.budget).then_some(wait)
    }
}

/// Between half and all of `full`, so feeds that failed together do not retry together.
fn jittered(full: Duration) -> Duration {
    full.mul_f64(0.5 + fastrand::f64() / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use url::Url;

    fn status(code: u16, retry_after: Option<u64>) -> FetchError {
        FetchError::Status {
            url: Url::parse("https://news.example/").unwrap(),
            status: code,
            retry_after: retry_after.map(Duration::from_secs),
            challenge: None,
        }
    }

    #[test]
    fn server_errors_and_timeouts_are_transient_client_errors_permanent() {
        for code in [500, 502, 503, 504, 408, 429] {
            assert_eq!(verdict(&status(code, None)), Verdict::Transient, "{code}");
        }
        for code in [400, 401, 403, 404, 410, 501] {
            assert_eq!(verdict(&status(code, None)), Verdict::Permanent, "{code}");
        }
        let timeout = FetchError::Timeout {
            url: Url::parse("https://news.example/").unwrap(),
            after: Duration::from_secs(30),
        };
        assert_eq!(verdict(&timeout), Verdict::Transient);
        assert_eq!(
            verdict(&status(429, Some(5))),
            Verdict::After(Duration::from_secs(5))
        );
    }

    #[test]
    fn backoff_doubles_with_jitter_within_count_and_budget() {
        let policy = RetryPolicy {
            retries: 3,
            budget: Duration::from_secs(30),
        };
        let error = status(502, None);
        for (retry, full) in [(1, 1.0), (2, 2.0), (3, 4.0)] {
            let wait = policy
                .wait_before(retry, &error, Duration::ZERO)
                .expect("a retry")
                .as_secs_f64();
            assert!(wait >= full / 2.0 && wait <= full, "retry {retry}: {wait}s");
        }
        assert_eq!(policy.wait_before(4, &error, Duration::ZERO), None, "count");
        assert_eq!(
            policy.wait_before(1, &error, Duration::from_millis(29_600)),
            None,
            "budget"
        );
        assert_eq!(
            policy.wait_before(1, &status(404, None), Duration::ZERO),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_only_within_the_budget() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.wait_before(1, &status(429, Some(1)), Duration::ZERO),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.wait_before(1, &status(503, Some(3600)), Duration::ZERO),
            None,
            "a long Retry-After defers the feed instead"
        );
    }
}
