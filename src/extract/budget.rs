//! The time a page may cost: a cooperative deadline that every long loop checks.
//!
//! Parsing and extraction run on a blocking thread, where nothing can interrupt them
//! from outside. So the work interrupts itself: the parser (fed in chunks), the card
//! loop and detection's loops call [`Budget::check`] and stop with [`Exhausted`] once
//! the page has used its time, or once the daemon abandons the work at shutdown.
//!
//! The time is the CPU time of the thread doing the work, not the wall clock: how
//! complex a page is does not depend on how busy the machine is, so a loaded machine
//! (or a test suite running in parallel) never fails an ordinary page, and the same
//! page fails the same way everywhere. A budget is created on the thread that does
//! the work and checked there. A check costs an atomic load and a clock read (under
//! a microsecond): call it once per card, candidate or few thousand elements, not per
//! character.

use std::time::Duration;

use tokio_util::sync::CancellationToken;

/// How long parsing and extracting one page may take. Ordinary pages take
/// milliseconds; the page bounds (`parse`) keep hostile ones far below this.
pub const PAGE_TIME_LIMIT: Duration = Duration::from_secs(10);

/// Why work on a page stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Exhausted {
    /// The page used up its time.
    #[error(
        "parsing and extracting took more than {}s of CPU time",
        limit.as_secs_f64()
    )]
    TimeUp { limit: Duration },
    /// The work was abandoned from outside (the daemon is shutting down).
    #[error("abandoned: scrapefeed is shutting down")]
    Cancelled,
}

/// A deadline in the working thread's CPU time plus a cancellation signal, for
/// everything that works on one page.
#[derive(Debug, Clone)]
pub struct Budget {
    deadline: Option<Duration>,
    limit: Duration,
    cancel: CancellationToken,
}

impl Budget {
    /// `limit` of this thread's CPU time from now, not cancellable from outside.
    pub fn new(limit: Duration) -> Budget {
        Budget {
            deadline: thread_cpu_time().checked_add(limit),
            limit,
            cancel: CancellationToken::new(),
        }
    }

    /// The budget of one page: [`PAGE_TIME_LIMIT`] from now.
    pub fn page() -> Budget {
        Budget::new(PAGE_TIME_LIMIT)
    }

    /// No deadline (for tests and callers that bound the work themselves).
    pub fn unlimited() -> Budget {
        Budget {
            deadline: None,
            limit: Duration::MAX,
            cancel: CancellationToken::new(),
        }
    }

    /// The same deadline, also ended when `token` is cancelled.
    pub fn cancelled_by(mut self, token: &CancellationToken) -> Budget {
        self.cancel = token.clone();
        self
    }

    /// `Ok` while there is time left; call it regularly inside long loops.
    pub fn check(&self) -> Result<(), Exhausted> {
        if self.cancel.is_cancelled() {
            return Err(Exhausted::Cancelled);
        }
        match self.deadline {
            Some(deadline) if thread_cpu_time() >= deadline => {
                Err(Exhausted::TimeUp { limit: self.limit })
            }
            _ => Ok(()),
        }
    }
}

/// The CPU time the calling thread has used so far.
fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is handed.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    if status != 0 {
        return Duration::ZERO;
    }
    let secs = u64::try_from(now.tv_sec).unwrap_or(0);
    let nanos = u32::try_from(now.tv_nsec).unwrap_or(0);
    Duration::new(secs, nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_budget_says_so() {
        assert_eq!(Budget::unlimited().check(), Ok(()));
        assert_eq!(Budget::new(Duration::from_secs(3600)).check(), Ok(()));
        assert_eq!(
            Budget::new(Duration::ZERO).check(),
            Err(Exhausted::TimeUp {
                limit: Duration::ZERO
            })
        );
    }

    #[test]
    fn cancelling_ends_the_budget_wherever_it_was_cloned() {
        let token = CancellationToken::new();
        let budget = Budget::new(Duration::from_secs(3600)).cancelled_by(&token);
        let copy = budget.clone();
        assert_eq!(copy.check(), Ok(()));
        token.cancel();
        assert_eq!(budget.check(), Err(Exhausted::Cancelled));
        assert_eq!(copy.check(), Err(Exhausted::Cancelled));
    }

    #[test]
    fn the_message_names_the_limit() {
        let message = Exhausted::TimeUp {
            limit: Duration::from_secs(10),
        }
        .to_string();
        assert_eq!(
            message,
            "parsing and extracting took more than 10s of CPU time"
        );
    }

    #[test]
    fn the_budget_counts_work_not_waiting() {
        let budget = Budget::new(Duration::from_millis(50));
        std::thread::sleep(Duration::from_millis(120));
        assert_eq!(budget.check(), Ok(()), "sleeping costs no CPU time");
        let mut x = 0u64;
        while budget.check().is_ok() {
            x = x.wrapping_add(std::hint::black_box(1));
        }
        assert!(x > 0);
        assert!(matches!(budget.check(), Err(Exhausted::TimeUp { .. })));
    }
}
