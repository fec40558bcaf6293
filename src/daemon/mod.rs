//! The daemon behind `scrapefeed run`: every feed on its schedule, for months.
//!
//! One loop owns all state. It sleeps until the next feed is due (or a minute at most,
//! so a suspend or a clock change is noticed), starts due refreshes as tasks bounded by
//! `concurrency`, reloads feeds.yaml on SIGHUP or when the file changes, and on
//! shutdown lets refreshes in flight finish within the grace period. Signals arrive as
//! a `Control`, so tests drive the daemon without sending any.

pub mod clock;
pub(crate) mod memory;
pub mod notify;
pub mod plan;
pub mod reload;
pub mod signals;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, Semaphore};
use tokio::task::{Id, JoinSet};
use tokio_util::sync::CancellationToken;

use crate::config::{self, Config, Feed};
use crate::fetch::FetchError;
use crate::publish::file::remove_stale_temp_files;
use crate::refresh::{self, Context, Outcome, RefreshError, Report};
use crate::store::{Mode, Store, StoreError, StoreLock};
use clock::Clock;
use plan::Plan;
use reload::{ConfigDiff, ConfigWatch};

/// The longest the loop sleeps without looking at the clock again.
const MAX_SLEEP: Duration = Duration::from_secs(60);
/// How often feeds.yaml is checked for changes.
const WATCH_EVERY: Duration = Duration::from_secs(1);
/// How long after a refresh finishes the index page and OPML list are written, so
/// refreshes finishing together cause one write — per thousand configured feeds (see
/// [`site_delay`]).
const SITE_DELAY: Duration = Duration::from_secs(1);
/// The longest the index page and OPML list wait after a refresh.
const MAX_SITE_DELAY: Duration = Duration::from_secs(30);

/// The wait before the index page and OPML list are written: one second, and one more
/// per thousand feeds. Each write reads every feed's record and looks at every feed's
/// files, so with 10,000 feeds refreshing every half hour (five refreshes a second) a
/// one-second wait would rebuild the whole index every second.
fn site_delay(feeds: usize) -> Duration {
    let thousands = u32::try_from(feeds / 1000).unwrap_or(u32::MAX);
    SITE_DELAY
        .saturating_mul(thousands.saturating_add(1))
        .min(MAX_SITE_DELAY)
}

/// How the outside world steers the daemon.
#[derive(Debug, Clone, Default)]
pub struct Control {
    /// Stop starting work; let refreshes in flight finish within the grace period.
    pub shutdown: CancellationToken,
    /// Stop now (a second signal).
    pub force: CancellationToken,
    /// Reload feeds.yaml.
    pub reload: Arc<Notify>,
}

/// Why the daemon could not start.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Fetch(#[from] FetchError),
}

/// Runs until `control.shutdown` (then drains) or `control.force`.
pub async fn run(
    path: &Path,
    config: Config,
    control: Control,
    clock: Arc<dyn Clock>,
) -> Result<(), DaemonError> {
    let _lock = StoreLock::acquire(&config.settings.state_dir, Mode::Daemon)?;
    let store = Store::open(&config.settings.state_dir)?;
    if let Ok(removed @ 1..) = remove_stale_temp_files(&config.settings.output_dir) {
        tracing::info!("removed {removed} temporary file(s) left by an interrupted run");
    }
    let mut daemon = Daemon::new(path, config, store, control.shutdown.clone(), clock)?;
    tracing::info!(
        "scrapefeed {} running {} feed(s) from {}",
        env!("CARGO_PKG_VERSION"),
        daemon.config.feeds.len(),
        path.display()
    );
    memory::release_freed_memory();
    notify::ready(&daemon.status_line());
    daemon.run(&control).await;
    notify::stopping();
    daemon.drain(&control).await;
    if daemon.site_due.is_some() {
        crate::pass::update_site(&daemon.ctx).await;
    }
    Ok(())
}

struct Daemon {
    path: PathBuf,
    config: Arc<Config>,
    ctx: Context,
    limit: Arc<Semaphore>,
    plan: Plan,
    tasks: JoinSet<Option<Report>>,
    /// Cancelled when shutdown begins.
    shutdown: CancellationToken,
    /// Cancelled when the grace period is over: parsing in flight stops.
    abandon: CancellationToken,
    task_feeds: HashMap<Id, String>,
    /// Feeds whose last refresh failed, with the error.
    failing: HashMap<String, String>,
    clock: Arc<dyn Clock>,
    /// When the index page and OPML list are next written (after refreshes finish
    /// or the configuration changes; coalesced by [`site_delay`]).
    site_due: Option<tokio::time::Instant>,
}

impl Daemon {
    /// The daemon for `config` on `store`, every feed planned.
    fn new(
        path: &Path,
        config: Config,
        store: Store,
        shutdown: CancellationToken,
        clock: Arc<dyn Clock>,
    ) -> Result<Daemon, DaemonError> {
        let config = Arc::new(config);
        let abandon = CancellationToken::new();
        let mut daemon = Daemon {
            path: path.to_path_buf(),
            limit: Arc::new(Semaphore::new(config.settings.concurrency)),
            ctx: Context::new(config.clone(), store)?.abandoned_by(&abandon),
            abandon,
            config,
            plan: Plan::default(),
            tasks: JoinSet::new(),
            shutdown,
            task_feeds: HashMap::new(),
            failing: HashMap::new(),
            clock,
            // At start, so the index lists every feed (new ones too) before any refresh.
            site_due: Some(tokio::time::Instant::now()),
        };
        let now = daemon.clock.now();
        for feed in &daemon.config.feeds {
            daemon
                .plan
                .add(feed, now, daemon.config.settings.run_at_start);
        }
        Ok(daemon)
    }

    async fn run(&mut self, control: &Control) {
        let mut watch = ConfigWatch::new(&self.path);
        let mut watch_tick = tokio::time::interval(WATCH_EVERY);
        let watchdog_every = notify::watchdog_interval().unwrap_or(Duration::from_secs(3600));
        let mut watchdog = tokio::time::interval(watchdog_every);
        loop {
            self.start_due();
            let sleep = self.sleep_time();
            tokio::select! {
                () = control.shutdown.cancelled() => return,
                () = control.reload.notified() => {
                    self.reload();
                    watch.settle();
                }
                _ = watch_tick.tick() => {
                    if watch.poll() {
                        tracing::info!("{} changed on disk", self.path.display());
                        self.reload();
                    }
                }
                _ = watchdog.tick() => notify::watchdog(),
                Some(done) = self.tasks.join_next_with_id() => self.finished(done),
                () = sleep_until(self.site_due), if self.site_due.is_some() => {
                    self.site_due = None;
                    crate::pass::update_site(&self.ctx).await;
                }
                () = tokio::time::sleep(sleep) => {}
            }
        }
    }

    fn sleep_time(&self) -> Duration {
        let now = self.clock.now();
        self.plan.next_due().map_or(MAX_SLEEP, |due| {
            (due - now)
                .to_std()
                .unwrap_or(Duration::ZERO)
                .min(MAX_SLEEP)
        })
    }

    fn start_due(&mut self) {
        let now = self.clock.now();
        let config = self.config.clone();
        for feed in self.plan.take_due(&config.feeds, now) {
            self.spawn(feed.clone());
        }
    }

    fn spawn(&mut self, feed: Feed) {
        let (ctx, limit) = (self.ctx.clone(), self.limit.clone());
        let slug = feed.slug.clone();
        let shutdown = self.shutdown.clone();
        let handle = self.tasks.spawn(async move {
            // A refresh still waiting for a slot when shutdown begins never starts.
            let asked = std::time::Instant::now();
            let _permit = tokio::select! {
                permit = limit.acquire_owned() => permit,
                () = shutdown.cancelled() => return None,
            };
            let waited = asked.elapsed();
            let mut report = refresh::refresh(&ctx, &feed).await;
            report.queued += waited;
            Some(report)
        });
        self.task_feeds.insert(handle.id(), slug);
    }

    fn finished(&mut self, done: Result<(Id, Option<Report>), tokio::task::JoinError>) {
        let (slug, report) = match done {
            Ok((id, report)) => (self.task_feeds.remove(&id), report),
            Err(e) => {
                let slug = self.task_feeds.remove(&e.id());
                tracing::error!(
                    feed = slug.as_deref().unwrap_or("?"),
                    "refresh task failed: {e}"
                );
                (slug, None)
            }
        };
        let Some(slug) = slug else { return };
        self.plan.finished(&slug);
        self.site_soon();
        if let Some(report) = report {
            let now = self.clock.now();
            // A server's Retry-After (429, 503) holds the feed back at least that long,
            // and a feed failing again and again is asked less and less often.
            if let Err(RefreshError::Fetch(error)) = &report.result
                && let Some(wait) = error.retry_after()
            {
                self.plan.defer(
                    &slug,
                    now + chrono::Duration::from_std(wait).unwrap_or_default(),
                );
            }
            if report.result.is_err() {
                self.plan.back_off(&slug, report.failures, now);
            }
            log_report(&report, self.plan.due_of(&slug));
            match &report.result {
                Ok(_) => self.failing.remove(&slug),
                Err(e) => self.failing.insert(slug, e.to_string()),
            };
        }
        notify::status(&self.status_line());
    }

    /// Asks for the index page and OPML list to be written shortly.
    fn site_soon(&mut self) {
        let delay = site_delay(self.config.feeds.len());
        self.site_due
            .get_or_insert_with(|| tokio::time::Instant::now() + delay);
    }

    fn status_line(&self) -> String {
        let next = self.plan.next_due().map_or_else(
            || "none".to_owned(),
            |t| t.format("%H:%M:%S UTC").to_string(),
        );
        format!(
            "{} feeds, {} refreshing, {} failing; next run {next}",
            self.config.feeds.len(),
            self.plan.running(),
            self.failing.len()
        )
    }

    /// Loads feeds.yaml again; with errors, the running configuration stays untouched.
    fn reload(&mut self) {
        notify::reloading();
        match config::load(&self.path) {
            Err(errors) => {
                for error in &errors.0 {
                    tracing::error!("{error}");
                }
                tracing::error!(
                    "{} has {} error(s); still running the previous configuration",
                    self.path.display(),
                    errors.0.len()
                );
            }
            Ok(new) => {
                new.warnings.iter().for_each(|w| tracing::warn!("{}", w.0));
                self.apply(new);
            }
        }
        memory::release_freed_memory();
        notify::ready(&self.status_line());
    }

    /// Applies a loaded configuration all or nothing: everything the new configuration
    /// needs (its HTTP client above all) is built first; only when that succeeded do
    /// the plan, the shared context and the configuration change together.
    fn apply(&mut self, new: Config) {
        let diff = ConfigDiff::between(&self.config, &new);
        let new = Arc::new(new);
        let ctx = if diff.settings_changed {
            match Context::new(new.clone(), self.ctx.store.clone()) {
                Ok(ctx) => ctx.abandoned_by(&self.abandon),
                Err(e) => {
                    tracing::error!(
                        "cannot apply the new settings ({e}); still running the previous configuration"
                    );
                    return;
                }
            }
        } else {
            Context {
                config: new.clone(),
                ..self.ctx.clone()
            }
        };
        let limit = if new.settings.concurrency == self.config.settings.concurrency {
            self.limit.clone()
        } else {
            Arc::new(Semaphore::new(new.settings.concurrency))
        };
        // Nothing below can fail.
        if new.settings.state_dir != self.config.settings.state_dir {
            tracing::warn!("state_dir changed: this takes effect at the next restart");
        }
        let now = self.clock.now();
        for slug in &diff.removed {
            self.plan.remove(slug);
            self.failing.remove(slug);
        }
        for feed in &new.feeds {
            if diff.added.contains(&feed.slug) {
                self.plan.add(feed, now, true);
            } else if diff.rescheduled.contains(&feed.slug) {
                self.plan.add(feed, now, false);
            }
        }
        self.ctx = ctx;
        self.limit = limit;
        self.config = new;
        self.site_soon();
        tracing::info!("reloaded {}: {}", self.path.display(), diff.summary());
    }

    /// Lets refreshes in flight finish within the grace period (or until forced).
    async fn drain(&mut self, control: &Control) {
        if self.tasks.is_empty() {
            return;
        }
        let grace = self.config.settings.grace_period;
        tracing::info!(
            "waiting up to {grace:?} for {} refresh(es) in flight",
            self.tasks.len()
        );
        let deadline = tokio::time::sleep(grace);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                done = self.tasks.join_next_with_id() => match done {
                    Some(done) => self.finished(done),
                    None => return,
                },
                () = &mut deadline => {
                    tracing::warn!("grace period over: abandoning {} refresh(es)", self.tasks.len());
                    break;
                }
                () = control.force.cancelled() => break,
            }
        }
        // Parsing runs on blocking threads that no abort reaches: it is told to stop,
        // and notices within milliseconds (the binary waits no longer than a moment
        // for blocking threads either: `main`).
        self.abandon.cancel();
        self.tasks.abort_all();
        // Abandoned refreshes never leave partial files: writes go through temporary
        // files, which are removed here (and at the next start, should one remain).
        let _ = remove_stale_temp_files(&self.config.settings.output_dir);
    }
}

/// Sleeps until `due` (forever when there is none; the caller guards that case).
async fn sleep_until(due: Option<tokio::time::Instant>) {
    match due {
        Some(due) => tokio::time::sleep_until(due).await,
        None => std::future::pending().await,
    }
}

/// One line per refresh: feed, new/total items, HTTP status or 304, the time it took
/// (`ms`) and, apart, the time it waited for its turn (`queued_ms`: a `concurrency`
/// slot and the host's `per_host`/`host_delay`), and the next run.
fn log_report(report: &Report, next: Option<DateTime<Utc>>) {
    let next = next.map_or_else(String::new, |t| t.format("%Y-%m-%d %H:%M:%S").to_string());
    let ms = report.working.as_millis();
    let queued_ms = report.queued.as_millis();
    match &report.result {
        Ok(Outcome::Updated {
            new,
            total,
            status,
            written,
            ..
        }) => {
            let written = written.len();
            tracing::info!(feed = %report.slug, new, total, status, written, ms, queued_ms, next = %next, "refreshed");
        }
        Ok(Outcome::NotModified) => {
            tracing::info!(feed = %report.slug, status = 304, ms, queued_ms, next = %next, "not modified")
        }
        Err(error) => {
            tracing::warn!(feed = %report.slug, ms, queued_ms, failures = report.failures, next = %next, "refresh failed: {error}")
        }
    }
    if report.newly_stale {
        tracing::error!(feed = %report.slug, failures = report.failures, "{}", crate::pass::stale_line(report));
    }
    if let Some(failures) = report.recovered_after {
        tracing::info!(feed = %report.slug, "recovered after {failures} failure(s) in a row");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::daemon::clock::SystemClock;

    #[test]
    fn the_site_waits_longer_the_more_feeds_each_write_reads() {
        assert_eq!(site_delay(1), Duration::from_secs(1));
        assert_eq!(site_delay(999), Duration::from_secs(1));
        assert_eq!(site_delay(2_500), Duration::from_secs(3));
        assert_eq!(site_delay(10_000), Duration::from_secs(11));
        assert_eq!(site_delay(1_000_000), MAX_SITE_DELAY);
        assert_eq!(site_delay(usize::MAX), MAX_SITE_DELAY);
    }

    fn daemon(yaml: &str, dir: &Path) -> Daemon {
        let config = config::parse(yaml, &dir.join("feeds.yaml")).unwrap();
        let store = Store::open(&config.settings.state_dir).unwrap();
        Daemon::new(
            &config.path.clone(),
            config,
            store,
            CancellationToken::new(),
            Arc::new(SystemClock),
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_configuration_whose_client_cannot_be_built_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let old = "feeds:\n  alpha: https://a.example/\n  gamma: https://g.example/\n";
        let mut daemon = daemon(old, dir.path());
        let planned =
            |d: &Daemon| ["alpha", "beta", "gamma"].map(|slug| d.plan.due_of(slug).is_some());
        assert_eq!(planned(&daemon), [true, false, true]);

        // gamma removed, beta added, and a setting no HTTP client accepts. (`check`
        // refuses this User-Agent at load; it stands for any setting that passes the
        // checks but fails when the client is built.)
        let mut new = config::parse(
            "settings:\n  timeout: 5s\nfeeds:\n  alpha: https://a.example/\n  beta: https://b.example/\n",
            &dir.path().join("feeds.yaml"),
        )
        .unwrap();
        new.settings.user_agent = "broken\u{1}agent".into();
        daemon.apply(new);
        assert_eq!(
            planned(&daemon),
            [true, false, true],
            "the plan is untouched: gamma still runs, beta does not"
        );
        assert!(daemon.config.feed("gamma").is_some());
        assert_eq!(daemon.ctx.config.settings.timeout, Duration::from_secs(30));

        // The same change with a good User-Agent is applied whole.
        let good = config::parse(
            "settings:\n  timeout: 5s\nfeeds:\n  alpha: https://a.example/\n  beta: https://b.example/\n",
            &dir.path().join("feeds.yaml"),
        )
        .unwrap();
        daemon.apply(good);
        assert_eq!(planned(&daemon), [true, true, false]);
        assert_eq!(daemon.ctx.config.settings.timeout, Duration::from_secs(5));
    }
}
