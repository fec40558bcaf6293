//! A pass of the library (`scrapefeed::pass::run_pass`) measured inside this process:
//! its CPU from `getrusage` (the server thread's taken out later), its peak memory as
//! VmHWM above the RSS just before it, and the checks that it did what the workload
//! expects of it.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use scrapefeed::refresh::{Context, Outcome, Report};

use crate::measure::{memory, process_times, reset_peak_rss, trim_heap};
use crate::server::Server;

/// The library's refresh context for a feeds.yaml, as `scrapefeed run` builds it.
pub fn context(config_path: &Path) -> Context {
    let config = scrapefeed::config::load(config_path)
        .unwrap_or_else(|e| panic!("the generated feeds.yaml is invalid: {e}"));
    let store = scrapefeed::store::Store::open(&config.settings.state_dir).expect("open store");
    Context::new(Arc::new(config), store).expect("context")
}

/// What one measured pass did and cost.
pub struct Pass {
    pub label: &'static str,
    pub reports: Vec<Report>,
    /// User and system CPU of the whole process (the server thread included).
    pub user: f64,
    pub system: f64,
    pub server_cpu: f64,
    pub wall: f64,
    /// Peak RSS during the pass minus the RSS just before it, in KiB.
    pub peak_delta_kib: u64,
    pub hwm_reset: bool,
}

impl Pass {
    pub fn totals(&self) -> (usize, usize, usize, usize, usize) {
        let (mut ok, mut on_page, mut new, mut written, mut not_modified) = (0, 0, 0, 0, 0);
        for report in &self.reports {
            match &report.result {
                Ok(Outcome::Updated {
                    on_page: p,
                    new: n,
                    written: w,
                    ..
                }) => {
                    ok += 1;
                    on_page += p;
                    new += n;
                    written += w.len();
                }
                Ok(Outcome::NotModified) => {
                    ok += 1;
                    not_modified += 1;
                }
                Err(_) => {}
            }
        }
        (ok, on_page, new, written, not_modified)
    }

    /// Every feed succeeded with `cards` items; all new when `cold`, none new otherwise.
    pub fn check(&self, feeds: usize, cards: usize, cold: bool) {
        for report in &self.reports {
            if let Err(e) = &report.result {
                panic!("{} pass: feed {} failed: {e}", self.label, report.slug);
            }
        }
        let (ok, on_page, new, _, _) = self.totals();
        assert_eq!(ok, feeds, "{} pass: every feed succeeds", self.label);
        assert_eq!(
            on_page,
            feeds * cards,
            "{} pass: every card becomes an item",
            self.label
        );
        if cold {
            assert_eq!(new, feeds * cards, "cold pass: every item is new");
        } else {
            assert_eq!(new, 0, "{} pass: nothing is new", self.label);
        }
    }
}

pub fn measure_pass(
    runtime: &tokio::runtime::Runtime,
    ctx: &Context,
    server: &Server,
    label: &'static str,
) -> Pass {
    trim_heap();
    let hwm_reset = reset_peak_rss();
    let before = memory();
    let (times0, server0, started) = (process_times(), server.cpu(), Instant::now());
    let reports = runtime.block_on(scrapefeed::pass::run_pass(ctx, &[]));
    let wall = started.elapsed().as_secs_f64();
    let times = process_times();
    let server_cpu = server.cpu() - server0;
    let after = memory();
    let baseline = if hwm_reset { before.rss } else { before.hwm };
    Pass {
        label,
        reports,
        user: times.0 - times0.0,
        system: times.1 - times0.1,
        server_cpu,
        wall,
        peak_delta_kib: after.hwm.saturating_sub(baseline),
        hwm_reset,
    }
}
