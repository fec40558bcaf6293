//! Politeness per host: at most `per_host` requests in flight to one host, and at least
//! `host_delay` between the starts of two requests to it (longer when the host's
//! robots.txt asks for a `Crawl-delay`).
//!
//! Many sections of one site (Fortune's economy, tech, finance …) are many feeds but
//! one server; this gate makes them queue instead of arriving together.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The gate shared by every fetch of a process.
#[derive(Debug, Clone)]
pub struct HostGate {
    per_host: usize,
    hosts: Arc<Mutex<HashMap<String, Arc<HostState>>>>,
}

#[derive(Debug)]
struct HostState {
    slots: Arc<Semaphore>,
    /// When the next request to this host may start.
    next_start: tokio::sync::Mutex<Option<Instant>>,
}

/// Held while a request to the host is in flight.
#[derive(Debug)]
pub struct HostPass {
    _permit: OwnedSemaphorePermit,
}

impl HostGate {
    pub fn new(per_host: usize) -> HostGate {
        HostGate {
            per_host: per_host.max(1),
            hosts: Arc::default(),
        }
    }

    /// Waits until a request to `host` may start; the next one may start `delay` later.
    pub async fn enter(&self, host: &str, delay: Duration) -> HostPass {
        let state = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts
                .entry(host.to_ascii_lowercase())
                .or_insert_with(|| {
                    Arc::new(HostState {
                        slots: Arc::new(Semaphore::new(self.per_host)),
                        next_start: Default::default(),
                    })
                })
                .clone()
        };
        let permit = state
            .slots
            .clone()
            .acquire_owned()
            .await
            .expect("host semaphore is never closed");
        let mut next_start = state.next_start.lock().await;
        if let Some(at) = *next_start {
            tokio::time::sleep_until(at).await;
        }
        *next_start = Some(Instant::now() + delay);
        HostPass { _permit: permit }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn requests_to_one_host_are_spaced() {
        let gate = HostGate::new(1);
        let start = Instant::now();
        let mut starts = Vec::new();
        for _ in 0..3 {
            let _pass = gate.enter("example.org", Duration::from_secs(1)).await;
            starts.push(start.elapsed());
        }
        assert_eq!(
            starts,
            [
                Duration::ZERO,
                Duration::from_secs(1),
                Duration::from_secs(2)
            ]
        );
    }

    #[tokio::test(start_paused = true)]
    async fn other_hosts_do_not_wait() {
        let gate = HostGate::new(1);
        let start = Instant::now();
        let _a = gate.enter("a.example", Duration::from_secs(5)).await;
        let _b = gate.enter("B.example", Duration::from_secs(5)).await;
        assert_eq!(start.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn in_flight_limit_holds_until_released() {
        let gate = HostGate::new(1);
        let first = gate.enter("a.example", Duration::ZERO).await;
        let second = tokio::time::timeout(
            Duration::from_secs(10),
            gate.enter("a.example", Duration::ZERO),
        )
        .await;
        assert!(
            second.is_err(),
            "a second request waits while the first is in flight"
        );
        drop(first);
        let third = tokio::time::timeout(
            Duration::from_secs(10),
            gate.enter("a.example", Duration::ZERO),
        )
        .await;
        assert!(third.is_ok());
    }
}
